import Kube9Kit

/// A y/n question that blocks other keys until answered.
public enum Confirmation: Sendable, Equatable {
    case stopForward(ForwardRecord)
    /// `x` on a pod with several forwards.
    case stopForwards([ForwardRecord])
    case stopAll(count: Int)
    case quit(liveCount: Int)
    /// Removing a saved forward from `forwards.json`.
    case removeSaved(SavedForward)
    /// Forwards on a non-loopback address (reachable from other machines); no returns to the dialog they came from.
    case exposeForwards([ForwardRequest], dialog: PortDialogState?)

    public var question: String {
        switch self {
        case .stopForward(let record): UIText.confirmStop(record)
        case .stopForwards(let records): UIText.confirmStopSeveral(records.count, pod: records.first?.target.name ?? "")
        case .stopAll(let count): UIText.confirmStopAll(count)
        case .quit(let count): UIText.confirmQuit(count)
        case .removeSaved(let entry): UIText.confirmRemoveSaved(entry)
        case .exposeForwards(let requests, _): UIText.confirmExpose(address: requests.first?.address ?? "", count: requests.count)
        }
    }
}

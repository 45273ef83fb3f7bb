import Kube9Kit

/// A y/n question that blocks other keys until answered.
public enum Confirmation: Sendable, Equatable {
    case stopForward(ForwardRecord)
    case stopAll(count: Int)
    case quit(liveCount: Int)
    /// Removing a saved forward from `forwards.json`.
    case removeSaved(SavedForward)
    /// Forwards on a non-loopback address (reachable from other machines).
    case exposeForwards([ForwardRequest])

    public var question: String {
        switch self {
        case .stopForward(let record): UIText.confirmStop(record)
        case .stopAll(let count): UIText.confirmStopAll(count)
        case .quit(let count): UIText.confirmQuit(count)
        case .removeSaved(let entry): UIText.confirmRemoveSaved(entry)
        case .exposeForwards(let requests): UIText.confirmExpose(address: requests.first?.address ?? "", count: requests.count)
        }
    }
}

import Kube9Kit

/// A y/n question that blocks other keys until answered.
public enum Confirmation: Sendable, Equatable {
    case stopForward(ForwardRecord)
    case stopAll(count: Int)
    case quit(activeCount: Int)

    public var question: String {
        switch self {
        case .stopForward(let record): UIText.confirmStop(record)
        case .stopAll(let count): UIText.confirmStopAll(count)
        case .quit(let count): UIText.confirmQuit(count)
        }
    }
}

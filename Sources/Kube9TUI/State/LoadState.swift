/// The children of a node: not asked for yet, being fetched, fetched, or failed with the manager's message.
public enum LoadState<Value: Sendable & Equatable>: Sendable, Equatable {
    case idle
    case loading
    case loaded(Value)
    case failed(String)

    public var value: Value? {
        if case .loaded(let value) = self { return value }
        return nil
    }

    /// Never fetched, or failed: expanding fetches it.
    public var needsLoad: Bool {
        switch self {
        case .idle, .failed: true
        case .loading, .loaded: false
        }
    }

    public var isLoading: Bool {
        if case .loading = self { return true }
        return false
    }
}

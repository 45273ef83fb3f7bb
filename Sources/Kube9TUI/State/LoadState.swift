import Kube9Kit

/// The children of a node: not asked for yet, being fetched, fetched, or failed with the manager's message.
public enum LoadState<Value: Sendable & Equatable>: Sendable, Equatable {
    case idle
    case loading
    case loaded(Value)
    case failed(String)

    /// A list's answer: loaded, or failed with the manager's message.
    public init(_ result: Result<Value, KubeError>) {
        switch result {
        case .success(let value): self = .loaded(value)
        case .failure(let error): self = .failed(error.message)
        }
    }

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
}

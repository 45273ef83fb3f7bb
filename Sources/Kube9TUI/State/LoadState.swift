import Kube9Kit

/// The children of a node: not asked for yet, being fetched, fetched, failed with the manager's message, or given up
/// by the person (Esc while the read waited for a credential plugin's login).
public enum LoadState<Value: Sendable & Equatable>: Sendable, Equatable {
    case idle
    case loading
    case loaded(Value)
    case failed(String)
    case cancelled

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

    /// Never fetched, failed or cancelled: expanding fetches it.
    public var needsLoad: Bool {
        switch self {
        case .idle, .failed, .cancelled: true
        case .loading, .loaded: false
        }
    }
}

import Kube9Kit

/// Forwards started together: how many, how many came up, and the errors of the others.
public struct StartBatch: Sendable, Equatable {
    public var requests: [ForwardRequest]
    public var started: Int = 0
    public var errors: [String] = []
    /// Started by `S`: the saved forwards that were not running (the summary counts saved forwards).
    public var isSaved: Bool

    public init(requests: [ForwardRequest], isSaved: Bool = false) {
        self.requests = requests
        self.isSaved = isSaved
    }

    public var isComplete: Bool { started + errors.count >= requests.count }
}

import Kube9Kit

/// Forwards started together: how many, how many came up, and the errors of the others.
public struct StartBatch: Sendable, Equatable {
    public var requests: [ForwardRequest]
    public var started: Int = 0
    public var errors: [String] = []

    public init(requests: [ForwardRequest]) {
        self.requests = requests
    }

    public var isComplete: Bool { started + errors.count >= requests.count }
}

/// One namespace of a context.
public struct KubeNamespace: Sendable, Equatable, Hashable {
    public var name: String
    /// `Active` or `Terminating`.
    public var phase: String

    public init(name: String, phase: String = "Active") {
        self.name = name
        self.phase = phase
    }
}

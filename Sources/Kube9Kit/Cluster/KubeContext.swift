/// One kubeconfig context, as `kubectl config view -o json` describes it.
public struct KubeContext: Sendable, Equatable, Hashable {
    public var name: String
    public var cluster: String
    public var user: String
    /// The context's default namespace (`nil` means `default`).
    public var namespace: String?
    public var isCurrent: Bool

    public init(name: String, cluster: String = "", user: String = "", namespace: String? = nil, isCurrent: Bool = false) {
        self.name = name
        self.cluster = cluster
        self.user = user
        self.namespace = namespace
        self.isCurrent = isCurrent
    }

    /// The namespace kubectl uses for this context when none is given.
    public var defaultNamespace: String { namespace ?? "default" }
}

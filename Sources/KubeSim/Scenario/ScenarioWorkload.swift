/// A workload controller in a scenario namespace (apps/v1 Deployment, StatefulSet, ReplicaSet or DaemonSet): what
/// `kubectl port-forward deploy/NAME` resolves to one of the namespace's pods through `selector`, as on a real
/// cluster. The sim runs no controller: the pods are the scenario's own (`replaceOnDelete` replaces them).
public struct ScenarioWorkload: Sendable, Codable, Equatable {
    /// `Deployment`, `StatefulSet`, `ReplicaSet` or `DaemonSet`.
    public var kind: String
    public var name: String
    /// The pods it owns: `spec.selector.matchLabels`.
    public var selector: [String: String]

    /// Each kind's resource (its plural) and short name, as apps/v1 discovery lists them.
    public static let resources: [String: (plural: String, shortName: String)] = [
        "Deployment": ("deployments", "deploy"), "StatefulSet": ("statefulsets", "sts"),
        "ReplicaSet": ("replicasets", "rs"), "DaemonSet": ("daemonsets", "ds"),
    ]

    public init(kind: String, name: String, selector: [String: String]) {
        self.kind = kind
        self.name = name
        self.selector = selector
    }

    /// `Deployment` for `deployments`.
    static func kind(of resource: String) -> String {
        resources.first { $0.value.plural == resource }?.key ?? "Deployment"
    }

    /// `deployments` for a Deployment.
    var resource: String { Self.resources[kind]?.plural ?? kind.lowercased() + "s" }
}

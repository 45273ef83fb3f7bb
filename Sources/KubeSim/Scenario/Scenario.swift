/// A description of the clusters kube9-sim plays: one entry per kubeconfig context.
///
/// The JSON format is documented in the README; every field except names is optional.
public struct Scenario: Sendable, Codable, Equatable {
    public var contexts: [ScenarioContext]

    public init(contexts: [ScenarioContext]) {
        self.contexts = contexts
    }
}

/// One kubeconfig context, backed by its own API server on its own loopback port.
public struct ScenarioContext: Sendable, Codable, Equatable {
    public var name: String
    /// Default namespace of the kubeconfig context.
    public var namespace: String?
    /// The minor version `/version` reports (27–33); picks the kubectl binary through the dispatcher. Default 32.
    public var kubectlMinor: Int?
    /// When true, the kubeconfig points at a closed port.
    public var unreachable: Bool
    /// Delay before every API answer.
    public var latencyMs: Int
    public var namespaces: [ScenarioNamespace]

    public init(
        name: String, namespace: String? = nil, kubectlMinor: Int? = nil, unreachable: Bool = false,
        latencyMs: Int = 0, namespaces: [ScenarioNamespace] = []
    ) {
        self.name = name
        self.namespace = namespace
        self.kubectlMinor = kubectlMinor
        self.unreachable = unreachable
        self.latencyMs = latencyMs
        self.namespaces = namespaces
    }

    enum CodingKeys: String, CodingKey {
        case name, namespace, kubectlMinor, unreachable, latencyMs, namespaces
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        namespace = try c.decodeIfPresent(String.self, forKey: .namespace)
        kubectlMinor = try c.decodeIfPresent(Int.self, forKey: .kubectlMinor)
        unreachable = try c.decodeIfPresent(Bool.self, forKey: .unreachable) ?? false
        latencyMs = try c.decodeIfPresent(Int.self, forKey: .latencyMs) ?? 0
        namespaces = try c.decodeIfPresent([ScenarioNamespace].self, forKey: .namespaces) ?? []
    }
}

public struct ScenarioNamespace: Sendable, Codable, Equatable {
    public var name: String
    /// When true, `pods/portforward` answers 403 with the RBAC message.
    public var forbidPortForward: Bool
    public var pods: [ScenarioPod]
    public var services: [ScenarioService]

    public init(name: String, forbidPortForward: Bool = false, pods: [ScenarioPod] = [], services: [ScenarioService] = []) {
        self.name = name
        self.forbidPortForward = forbidPortForward
        self.pods = pods
        self.services = services
    }

    enum CodingKeys: String, CodingKey { case name, forbidPortForward, pods, services }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        forbidPortForward = try c.decodeIfPresent(Bool.self, forKey: .forbidPortForward) ?? false
        pods = try c.decodeIfPresent([ScenarioPod].self, forKey: .pods) ?? []
        services = try c.decodeIfPresent([ScenarioService].self, forKey: .services) ?? []
    }
}

public struct ScenarioPod: Sendable, Codable, Equatable {
    public var name: String
    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`. Default `Running`.
    public var phase: String
    public var labels: [String: String]
    /// When true, deleting the pod makes a replacement appear (same labels, new name suffix), as a ReplicaSet would.
    public var replaceOnDelete: Bool
    public var containers: [ScenarioContainer]

    public init(
        name: String, phase: String = "Running", labels: [String: String] = [:], replaceOnDelete: Bool = false,
        containers: [ScenarioContainer] = []
    ) {
        self.name = name
        self.phase = phase
        self.labels = labels
        self.replaceOnDelete = replaceOnDelete
        self.containers = containers
    }

    enum CodingKeys: String, CodingKey { case name, phase, labels, replaceOnDelete, containers }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        phase = try c.decodeIfPresent(String.self, forKey: .phase) ?? "Running"
        labels = try c.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        replaceOnDelete = try c.decodeIfPresent(Bool.self, forKey: .replaceOnDelete) ?? false
        containers = try c.decodeIfPresent([ScenarioContainer].self, forKey: .containers) ?? []
    }
}

public struct ScenarioContainer: Sendable, Codable, Equatable {
    public var name: String
    /// Default `registry.k8s.io/{name}:latest`-like image shown in the pod spec.
    public var image: String?
    public var ports: [ScenarioPort]

    public init(name: String, image: String? = nil, ports: [ScenarioPort] = []) {
        self.name = name
        self.image = image
        self.ports = ports
    }

    enum CodingKeys: String, CodingKey { case name, image, ports }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        image = try c.decodeIfPresent(String.self, forKey: .image)
        ports = try c.decodeIfPresent([ScenarioPort].self, forKey: .ports) ?? []
    }
}

public struct ScenarioPort: Sendable, Codable, Equatable {
    public var containerPort: Int
    public var name: String?
    /// `TCP` (default), `UDP` or `SCTP`. Only TCP ports are backed by a server.
    public var `protocol`: String

    public init(containerPort: Int, name: String? = nil, protocol: String = "TCP") {
        self.containerPort = containerPort
        self.name = name
        self.protocol = `protocol`
    }

    enum CodingKeys: String, CodingKey { case containerPort, name, `protocol` }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        containerPort = try c.decode(Int.self, forKey: .containerPort)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        `protocol` = try c.decodeIfPresent(String.self, forKey: .protocol) ?? "TCP"
    }
}

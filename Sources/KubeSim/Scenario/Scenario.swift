/// A description of the clusters kube9-sim plays: one entry per kubeconfig context.
///
/// The JSON format is documented in the README; every field except names is optional.
public struct Scenario: Sendable, Codable, Equatable {
    public var contexts: [ScenarioContext]
    /// Default of every context's `tls` (true when absent): HTTPS with a CA made at start.
    public var tls: Bool?

    public init(contexts: [ScenarioContext], tls: Bool? = nil) {
        self.contexts = contexts
        self.tls = tls
    }

    /// Whether `context` is served over HTTPS: its own `tls`, else the scenario's, else true.
    public func servesTLS(_ context: ScenarioContext) -> Bool {
        context.tls ?? tls ?? true
    }
}

/// Bearer-token authentication of one context.
public struct ScenarioAuth: Sendable, Codable, Equatable {
    /// Tokens the API accepts; any other token, and a missing one, gets 401 (`/version` stays public).
    public var tokens: [String]
    /// Tokens that answer 401 as if they had expired.
    public var expiredTokens: [String]
    /// The user name RBAC messages show (default `{context}-user`).
    public var user: String?

    public init(tokens: [String], expiredTokens: [String] = [], user: String? = nil) {
        self.tokens = tokens
        self.expiredTokens = expiredTokens
        self.user = user
    }

    enum CodingKeys: String, CodingKey { case tokens, expiredTokens, user }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tokens = try c.decodeIfPresent([String].self, forKey: .tokens) ?? []
        expiredTokens = try c.decodeIfPresent([String].self, forKey: .expiredTokens) ?? []
        user = try c.decodeIfPresent(String.self, forKey: .user)
    }
}

/// The kubeconfig user of one context: a token, or an exec credential plugin written as given.
public struct ScenarioUser: Sendable, Codable, Equatable {
    public var token: String?
    public var exec: ScenarioExec?

    public init(token: String? = nil, exec: ScenarioExec? = nil) {
        self.token = token
        self.exec = exec
    }
}

/// A client-go exec credential plugin (`users[].user.exec` of a kubeconfig).
public struct ScenarioExec: Sendable, Codable, Equatable {
    public var command: String
    public var args: [String]?
    public var env: [ScenarioEnvVar]?
    /// Default `client.authentication.k8s.io/v1beta1` (understood by kubectl 1.11 and later).
    public var apiVersion: String?

    public init(command: String, args: [String]? = nil, env: [ScenarioEnvVar]? = nil, apiVersion: String? = nil) {
        self.command = command
        self.args = args
        self.env = env
        self.apiVersion = apiVersion
    }
}

public struct ScenarioEnvVar: Sendable, Codable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// How kubectl may reach `pods/portforward`.
public enum PortForwardProtocol: String, Sendable, Codable, Equatable, CaseIterable {
    /// KEP-4006: SPDY/3.1 tunneled in WebSocket binary messages (servers 1.30 and later).
    case websocket
    /// The SPDY/3.1 upgrade (every server).
    case spdy
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
    /// HTTPS (nil: the scenario's default, true when absent too).
    public var tls: Bool?
    /// Bearer tokens the API requires; nil serves anyone.
    public var auth: ScenarioAuth?
    /// The kubeconfig user; nil: the first `auth` token, or no credentials.
    public var user: ScenarioUser?
    /// Which port-forward upgrades the API accepts (default both; `["spdy"]` plays a server older than 1.30).
    public var portForwardProtocols: [PortForwardProtocol]
    /// Listing (and watching) namespaces, and pods or services across all namespaces, answers 403.
    public var forbidListNamespaces: Bool
    public var namespaces: [ScenarioNamespace]

    public init(
        name: String, namespace: String? = nil, kubectlMinor: Int? = nil, unreachable: Bool = false,
        latencyMs: Int = 0, tls: Bool? = nil, auth: ScenarioAuth? = nil, user: ScenarioUser? = nil,
        portForwardProtocols: [PortForwardProtocol] = PortForwardProtocol.allCases, forbidListNamespaces: Bool = false,
        namespaces: [ScenarioNamespace] = []
    ) {
        self.name = name
        self.namespace = namespace
        self.kubectlMinor = kubectlMinor
        self.unreachable = unreachable
        self.latencyMs = latencyMs
        self.tls = tls
        self.auth = auth
        self.user = user
        self.portForwardProtocols = portForwardProtocols
        self.forbidListNamespaces = forbidListNamespaces
        self.namespaces = namespaces
    }

    enum CodingKeys: String, CodingKey {
        case name, namespace, kubectlMinor, unreachable, latencyMs, tls, auth, user, portForwardProtocols
        case forbidListNamespaces, namespaces
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        namespace = try c.decodeIfPresent(String.self, forKey: .namespace)
        kubectlMinor = try c.decodeIfPresent(Int.self, forKey: .kubectlMinor)
        unreachable = try c.decodeIfPresent(Bool.self, forKey: .unreachable) ?? false
        latencyMs = try c.decodeIfPresent(Int.self, forKey: .latencyMs) ?? 0
        tls = try c.decodeIfPresent(Bool.self, forKey: .tls)
        auth = try c.decodeIfPresent(ScenarioAuth.self, forKey: .auth)
        user = try c.decodeIfPresent(ScenarioUser.self, forKey: .user)
        portForwardProtocols =
            try c.decodeIfPresent([PortForwardProtocol].self, forKey: .portForwardProtocols) ?? PortForwardProtocol.allCases
        forbidListNamespaces = try c.decodeIfPresent(Bool.self, forKey: .forbidListNamespaces) ?? false
        namespaces = try c.decodeIfPresent([ScenarioNamespace].self, forKey: .namespaces) ?? []
    }
}

public struct ScenarioNamespace: Sendable, Codable, Equatable {
    public var name: String
    /// When true, `pods/portforward` answers 403 with the RBAC message.
    public var forbidPortForward: Bool
    public var pods: [ScenarioPod]
    public var services: [ScenarioService]
    /// Deployments, StatefulSets, ReplicaSets and DaemonSets that select the pods (apps/v1).
    public var workloads: [ScenarioWorkload]
    /// Verbs on pods RBAC refuses in this namespace (`list`, `watch`, `get`): a Role that grants less than the usual
    /// port-forward set, answered 403 with the RBAC message.
    public var forbidPodVerbs: [String]

    /// The verbs ``forbidPodVerbs`` may name.
    static let podVerbs: Set<String> = ["get", "list", "watch"]

    public init(
        name: String, forbidPortForward: Bool = false, pods: [ScenarioPod] = [], services: [ScenarioService] = [],
        workloads: [ScenarioWorkload] = [], forbidPodVerbs: [String] = []
    ) {
        self.name = name
        self.forbidPortForward = forbidPortForward
        self.pods = pods
        self.services = services
        self.workloads = workloads
        self.forbidPodVerbs = forbidPodVerbs
    }

    enum CodingKeys: String, CodingKey { case name, forbidPortForward, pods, services, workloads, forbidPodVerbs }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        forbidPortForward = try c.decodeIfPresent(Bool.self, forKey: .forbidPortForward) ?? false
        pods = try c.decodeIfPresent([ScenarioPod].self, forKey: .pods) ?? []
        services = try c.decodeIfPresent([ScenarioService].self, forKey: .services) ?? []
        workloads = try c.decodeIfPresent([ScenarioWorkload].self, forKey: .workloads) ?? []
        forbidPodVerbs = try c.decodeIfPresent([String].self, forKey: .forbidPodVerbs) ?? []
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
    /// Run before the app containers: to completion, or (`restartPolicy: Always`) beside them as native sidecars,
    /// whose ports are served like the app containers'.
    public var initContainers: [ScenarioContainer]
    /// How long a delete that names no grace period keeps the pod listed, Terminating and serving, before it is
    /// gone (a real pod's default is 30). Default 0: gone at once.
    public var terminationGracePeriodSeconds: Int

    public init(
        name: String, phase: String = "Running", labels: [String: String] = [:], replaceOnDelete: Bool = false,
        containers: [ScenarioContainer] = [], initContainers: [ScenarioContainer] = [], terminationGracePeriodSeconds: Int = 0
    ) {
        self.name = name
        self.phase = phase
        self.labels = labels
        self.replaceOnDelete = replaceOnDelete
        self.containers = containers
        self.initContainers = initContainers
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
    }

    enum CodingKeys: String, CodingKey {
        case name, phase, labels, replaceOnDelete, containers, initContainers, terminationGracePeriodSeconds
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        phase = try c.decodeIfPresent(String.self, forKey: .phase) ?? "Running"
        labels = try c.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        replaceOnDelete = try c.decodeIfPresent(Bool.self, forKey: .replaceOnDelete) ?? false
        containers = try c.decodeIfPresent([ScenarioContainer].self, forKey: .containers) ?? []
        initContainers = try c.decodeIfPresent([ScenarioContainer].self, forKey: .initContainers) ?? []
        terminationGracePeriodSeconds = try c.decodeIfPresent(Int.self, forKey: .terminationGracePeriodSeconds) ?? 0
    }
}

public struct ScenarioContainer: Sendable, Codable, Equatable {
    public var name: String
    /// Default `registry.k8s.io/{name}:latest`-like image shown in the pod spec.
    public var image: String?
    public var ports: [ScenarioPort]
    /// Only `Always`, and only on an init container: a native sidecar.
    public var restartPolicy: String?

    public init(name: String, image: String? = nil, ports: [ScenarioPort] = [], restartPolicy: String? = nil) {
        self.name = name
        self.image = image
        self.ports = ports
        self.restartPolicy = restartPolicy
    }

    /// The one `restartPolicy` a container may have: on an init container, which makes it a native sidecar.
    static let sidecarRestartPolicy = "Always"

    /// An init container that keeps running beside the app containers.
    public var isSidecar: Bool { restartPolicy == Self.sidecarRestartPolicy }

    /// The image the pod spec shows: the given one, else one named after the container.
    var shownImage: String { image ?? "registry.example.com/\(name):latest" }

    enum CodingKeys: String, CodingKey { case name, image, ports, restartPolicy }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        image = try c.decodeIfPresent(String.self, forKey: .image)
        ports = try c.decodeIfPresent([ScenarioPort].self, forKey: .ports) ?? []
        restartPolicy = try c.decodeIfPresent(String.self, forKey: .restartPolicy)
    }
}

public struct ScenarioPort: Sendable, Codable, Equatable {
    public var containerPort: Int
    public var name: String?
    /// `TCP` (default), `UDP` or `SCTP`. Only TCP ports are backed by a server.
    public var `protocol`: String
    /// false: nothing listens; each forwarded connection gets the kubelet's connection-refused error.
    public var listening: Bool
    /// Each forwarded connection ends after the pod has sent this many bytes (a connection cut mid-stream).
    public var resetAfterBytes: Int?

    public init(
        containerPort: Int, name: String? = nil, protocol: String = "TCP", listening: Bool = true, resetAfterBytes: Int? = nil
    ) {
        self.containerPort = containerPort
        self.name = name
        self.protocol = `protocol`
        self.listening = listening
        self.resetAfterBytes = resetAfterBytes
    }

    enum CodingKeys: String, CodingKey { case containerPort, name, `protocol`, listening, resetAfterBytes }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        containerPort = try c.decode(Int.self, forKey: .containerPort)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        `protocol` = try c.decodeIfPresent(String.self, forKey: .protocol) ?? "TCP"
        listening = try c.decodeIfPresent(Bool.self, forKey: .listening) ?? true
        resetAfterBytes = try c.decodeIfPresent(Int.self, forKey: .resetAfterBytes)
    }
}

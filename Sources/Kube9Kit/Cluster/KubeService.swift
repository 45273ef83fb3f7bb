/// A service's `spec.ports[].targetPort`: a number, or the name of a container port.
public enum ServiceTargetPort: Sendable, Equatable, Hashable {
    case number(Int)
    case name(String)

    public var description: String {
        switch self {
        case .number(let port): "\(port)"
        case .name(let name): name
        }
    }
}

/// One `spec.ports[]` entry of a service.
public struct ServicePort: Sendable, Equatable, Hashable {
    public var name: String?
    public var port: Int
    public var targetPort: ServiceTargetPort
    /// `TCP`, `UDP` or `SCTP` (kubectl forwards TCP only).
    public var protocolName: String

    public init(name: String? = nil, port: Int, targetPort: ServiceTargetPort? = nil, protocolName: String = "TCP") {
        self.name = name
        self.port = port
        self.targetPort = targetPort ?? .number(port)
        self.protocolName = protocolName
    }
}

/// A Kubernetes service, as kube9 shows and forwards it (`kubectl port-forward svc/NAME`).
public struct KubeService: Sendable, Equatable, Hashable {
    public var name: String
    public var namespace: String
    /// `ClusterIP`, `NodePort`, `LoadBalancer`, `ExternalName`.
    public var type: String
    public var ports: [ServicePort]
    public var selector: [String: String]

    public init(name: String, namespace: String, type: String = "ClusterIP", ports: [ServicePort] = [], selector: [String: String] = [:]) {
        self.name = name
        self.namespace = namespace
        self.type = type
        self.ports = ports
        self.selector = selector
    }

    /// The service sends traffic to `pod`: a selector, and the pod carries each of its labels (as the endpoints
    /// controller picks pods).
    public func selects(_ pod: Pod) -> Bool {
        !selector.isEmpty && pod.namespace == namespace && selector.allSatisfy { pod.labels[$0.key] == $0.value }
    }

    /// `80/TCP,9090/TCP`, like kubectl's PORT(S) column.
    public var portsSummary: String {
        ports.map { "\($0.port)/\($0.protocolName)" }.joined(separator: ",")
    }
}

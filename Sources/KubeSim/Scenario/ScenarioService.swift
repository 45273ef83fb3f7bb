/// A Service in a scenario namespace: pods are chosen by `selector`, ports map to container ports.
public struct ScenarioService: Sendable, Codable, Equatable {
    public var name: String
    public var selector: [String: String]
    public var ports: [ScenarioServicePort]
    /// `ClusterIP` (default), `NodePort` or `LoadBalancer`; informative only.
    public var type: String

    public init(name: String, selector: [String: String] = [:], ports: [ScenarioServicePort] = [], type: String = "ClusterIP") {
        self.name = name
        self.selector = selector
        self.ports = ports
        self.type = type
    }

    enum CodingKeys: String, CodingKey { case name, selector, ports, type }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        selector = try c.decodeIfPresent([String: String].self, forKey: .selector) ?? [:]
        ports = try c.decodeIfPresent([ScenarioServicePort].self, forKey: .ports) ?? []
        type = try c.decodeIfPresent(String.self, forKey: .type) ?? "ClusterIP"
    }
}

public struct ScenarioServicePort: Sendable, Codable, Equatable {
    public var name: String?
    public var port: Int
    /// A container port number or name; defaults to `port`.
    public var targetPort: ScenarioTargetPort?
    public var `protocol`: String

    public init(name: String? = nil, port: Int, targetPort: ScenarioTargetPort? = nil, protocol: String = "TCP") {
        self.name = name
        self.port = port
        self.targetPort = targetPort
        self.protocol = `protocol`
    }

    enum CodingKeys: String, CodingKey { case name, port, targetPort, `protocol` }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        port = try c.decode(Int.self, forKey: .port)
        targetPort = try c.decodeIfPresent(ScenarioTargetPort.self, forKey: .targetPort)
        `protocol` = try c.decodeIfPresent(String.self, forKey: .protocol) ?? "TCP"
    }
}

/// Kubernetes' IntOrString for `targetPort`: a number or a container port name.
public enum ScenarioTargetPort: Sendable, Codable, Equatable {
    case number(Int)
    case name(String)

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let number = try? c.decode(Int.self) {
            self = .number(number)
        } else {
            self = .name(try c.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let number): try c.encode(number)
        case .name(let name): try c.encode(name)
        }
    }
}

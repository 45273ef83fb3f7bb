import Foundation

/// A Service as the sim serves it, with its JSON rendered once.
struct ServiceRecord: Sendable {
    var service: ScenarioService
    var namespace: String
    var uid: String
    var clusterIP: String
    var creationTimestamp: Date
    var resourceVersion: Int
    private(set) var json: [UInt8] = []
    private(set) var metadataJSON: [UInt8] = []

    private struct Body: Encodable {
        var kind = "Service"
        var apiVersion = "v1"
        var metadata: KubeObjects.ObjectMeta
        var spec: Spec
        var status = Status()
    }

    private struct Spec: Encodable {
        var ports: [Port]
        var selector: [String: String]?
        var clusterIP: String
        var clusterIPs: [String]
        var type: String
        var sessionAffinity = "None"
        var ipFamilies = ["IPv4"]
        var ipFamilyPolicy = "SingleStack"
        var internalTrafficPolicy = "Cluster"
    }

    private struct Port: Encodable {
        var name: String?
        var `protocol`: String
        var port: Int
        var targetPort: ScenarioTargetPort
    }

    private struct Status: Encodable {
        var loadBalancer: [String: String] = [:]
    }

    mutating func render(encoder: JSONEncoder) {
        let metadata = KubeObjects.ObjectMeta(
            name: service.name, namespace: namespace, uid: uid, resourceVersion: String(resourceVersion),
            creationTimestamp: KubeObjects.timestamp(creationTimestamp))
        let body = Body(
            metadata: metadata,
            spec: Spec(
                ports: service.ports.map {
                    Port(name: $0.name, protocol: $0.protocol, port: $0.port, targetPort: $0.targetPort ?? .number($0.port))
                },
                selector: service.selector.isEmpty ? nil : service.selector, clusterIP: clusterIP, clusterIPs: [clusterIP],
                type: service.type))
        json = (try? Array(encoder.encode(body))) ?? []
        metadataJSON = (try? Array(encoder.encode(metadata))) ?? []
    }

    /// `80/TCP,443/TCP` as kubectl shows PORT(S).
    var portsSummary: String {
        service.ports.isEmpty ? "<none>" : service.ports.map { "\($0.port)/\($0.protocol)" }.joined(separator: ",")
    }
}

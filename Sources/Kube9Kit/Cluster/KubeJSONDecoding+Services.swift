import Foundation

/// Services from `kubectl get services -o json`: tolerant like the pod decoder (absent fields take defaults).
extension KubeJSONDecoding {
    public static func services(from data: Data) throws(KubeError) -> [KubeService] {
        let list: ServiceListDTO
        do {
            list = try JSONDecoder().decode(ServiceListDTO.self, from: data)
        } catch {
            throw KubeError(.malformedOutput, Messages.malformedOutput(what: "services", detail: "not the expected JSON"))
        }
        return (list.items ?? []).compactMap(\.model)
    }

    /// One service from `kubectl get service NAME -o json`.
    public static func service(from data: Data) throws(KubeError) -> KubeService {
        guard let dto = try? JSONDecoder().decode(ServiceDTO.self, from: data), let service = dto.model else {
            throw KubeError(.malformedOutput, Messages.malformedOutput(what: "service", detail: "not the expected JSON"))
        }
        return service
    }
}

private struct ServiceListDTO: Decodable {
    var items: [ServiceDTO]?
}

private struct ServiceDTO: Decodable {
    struct Metadata: Decodable {
        var name: String?
        var namespace: String?
    }
    struct Spec: Decodable {
        struct Port: Decodable {
            var name: String?
            var port: Int?
            var targetPort: TargetPort?
            var `protocol`: String?
        }
        var type: String?
        var ports: [Port]?
        var selector: [String: String]?
    }
    /// `targetPort` is an int-or-string.
    struct TargetPort: Decodable {
        var value: ServiceTargetPort

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) {
                value = .number(number)
            } else {
                let text = try container.decode(String.self)
                value = Int(text).map(ServiceTargetPort.number) ?? .name(text)
            }
        }
    }
    var metadata: Metadata?
    var spec: Spec?

    var model: KubeService? {
        guard let name = metadata?.name, !name.isEmpty else { return nil }
        let ports = (spec?.ports ?? []).compactMap { port -> ServicePort? in
            guard let number = port.port else { return nil }
            return ServicePort(
                name: port.name.flatMap { $0.isEmpty ? nil : $0 }, port: number, targetPort: port.targetPort?.value,
                protocolName: port.protocol ?? "TCP")
        }
        return KubeService(
            name: name, namespace: metadata?.namespace ?? "", type: spec?.type ?? "ClusterIP", ports: ports,
            selector: spec?.selector ?? [:])
    }
}

import Foundation

/// Pure decoders from kubectl's `-o json` output to kube9's models. Tolerant: absent fields take defaults,
/// list items without a name are skipped; output that is not the expected JSON is a `.malformedOutput` error.
/// Only the fields kube9 shows are decoded. The kubeconfig is read from its files (`Kubeconfig`), not through kubectl.
public enum KubeJSONDecoding {
    public static func namespaces(from data: Data) throws(KubeError) -> [KubeNamespace] {
        let list: ListDTO<NamespaceDTO> = try decode(ListDTO<NamespaceDTO>.self, from: data, what: "namespaces")
        return (list.items ?? []).compactMap { item in
            guard let name = item.metadata?.name, !name.isEmpty else { return nil }
            return KubeNamespace(name: name, phase: item.status?.phase ?? "Active")
        }
    }

    public static func pods(from data: Data) throws(KubeError) -> [Pod] {
        let list: ListDTO<PodDTO> = try decode(ListDTO<PodDTO>.self, from: data, what: "pods")
        return (list.items ?? []).compactMap { $0.model }
    }

    /// A pod list as the API server sends it, with the list's resourceVersion (where a watch of its changes starts).
    static func podList(from data: Data) throws(KubeError) -> (pods: [Pod], resourceVersion: String) {
        let list: ListDTO<PodDTO> = try decode(ListDTO<PodDTO>.self, from: data, what: "pods")
        return ((list.items ?? []).compactMap { $0.model }, list.metadata?.resourceVersion ?? "")
    }

    public static func pod(from data: Data) throws(KubeError) -> Pod {
        let dto: PodDTO = try decode(PodDTO.self, from: data, what: "pod")
        guard let pod = dto.model else {
            throw KubeError(.malformedOutput, Messages.malformedOutput(what: "pod", detail: "no metadata.name"))
        }
        return pod
    }

    /// One event of `kubectl get pods --watch --output-watch-events -o json`.
    public struct WatchEvent: Sendable, Equatable {
        public var type: String
        public var pod: Pod
    }

    public static func watchEvent(from data: Data) throws(KubeError) -> WatchEvent {
        let dto: WatchEventDTO = try decode(WatchEventDTO.self, from: data, what: "watch event")
        guard let type = dto.type, let pod = dto.object?.model else {
            throw KubeError(.malformedOutput, Messages.malformedOutput(what: "watch event", detail: "no type or object"))
        }
        return WatchEvent(type: type, pod: pod)
    }

    /// The `type` of one watch event (`ERROR` carries a Status, not a pod), nil when it is not one.
    static func watchEventType(from data: Data) -> String? {
        (try? JSONDecoder().decode(WatchEventTypeDTO.self, from: data))?.type
    }

    static func parseDate(_ text: String?) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        return try? Date(text, strategy: .iso8601)
    }

    private static func decode<T: Decodable>(_ type: T.Type, from data: Data, what: String) throws(KubeError) -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw KubeError(.malformedOutput, Messages.malformedOutput(what: what, detail: describe(error)))
        } catch {
            throw KubeError(.malformedOutput, Messages.malformedOutput(what: what, detail: "not JSON"))
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return keys.isEmpty ? "" : " at \(keys)"
        }
        switch error {
        case .dataCorrupted(let context): return "not valid JSON\(path(context))"
        case .keyNotFound(let key, let context): return "missing \(key.stringValue)\(path(context))"
        case .typeMismatch(_, let context): return "unexpected type\(path(context))"
        case .valueNotFound(_, let context): return "missing value\(path(context))"
        @unknown default: return "not the expected JSON"
        }
    }
}

// MARK: - Wire shapes (every field optional: tolerant decoding)

private struct ListDTO<Item: Decodable>: Decodable {
    struct ListMeta: Decodable { var resourceVersion: String? }
    var metadata: ListMeta?
    var items: [Item]?
}

private struct WatchEventTypeDTO: Decodable {
    var type: String?
}

private struct MetadataDTO: Decodable {
    struct Owner: Decodable {
        var kind: String?
        var name: String?
        var uid: String?
        var controller: Bool?
    }
    var name: String?
    var namespace: String?
    var uid: String?
    var labels: [String: String]?
    var ownerReferences: [Owner]?
    var deletionTimestamp: String?
}

private struct NamespaceDTO: Decodable {
    struct Status: Decodable { var phase: String? }
    var metadata: MetadataDTO?
    var status: Status?
}

private struct WatchEventDTO: Decodable {
    var type: String?
    var object: PodDTO?
}

private struct PodDTO: Decodable {
    struct Spec: Decodable {
        struct ContainerSpec: Decodable {
            struct Port: Decodable {
                var containerPort: Int?
                var name: String?
                var `protocol`: String?
            }
            var name: String?
            var image: String?
            var ports: [Port]?
            /// `Always` on an init container makes it a native sidecar.
            var restartPolicy: String?
        }
        var containers: [ContainerSpec]?
        var initContainers: [ContainerSpec]?
        var nodeName: String?
    }
    struct Status: Decodable {
        struct ContainerStatus: Decodable {
            var name: String?
            var ready: Bool?
            var restartCount: Int?
            var started: Bool?
        }
        var phase: String?
        var podIP: String?
        var startTime: String?
        var containerStatuses: [ContainerStatus]?
        var initContainerStatuses: [ContainerStatus]?
    }
    var metadata: MetadataDTO?
    var spec: Spec?
    var status: Status?

    var model: Pod? {
        guard let name = metadata?.name, !name.isEmpty else { return nil }
        let containers = (spec?.containers ?? []).map { Self.container($0, statuses: status?.containerStatuses, isSidecar: false) }
        // Native sidecars after the app containers; ready as kubectl counts them: started and ready.
        let sidecars = (spec?.initContainers ?? []).filter { $0.restartPolicy == "Always" }.map {
            Self.container($0, statuses: status?.initContainerStatuses, isSidecar: true)
        }
        let owners = (metadata?.ownerReferences ?? []).map {
            OwnerReference(kind: $0.kind ?? "", name: $0.name ?? "", uid: $0.uid ?? "", controller: $0.controller ?? false)
        }
        return Pod(
            name: name, namespace: metadata?.namespace ?? "", uid: metadata?.uid ?? "",
            phase: PodPhase(rawValue: status?.phase ?? "") ?? .unknown, labels: metadata?.labels ?? [:],
            containers: containers + sidecars, ownerReferences: owners,
            deletionTimestamp: KubeJSONDecoding.parseDate(metadata?.deletionTimestamp),
            podIP: status?.podIP.flatMap { $0.isEmpty ? nil : $0 },
            startTime: KubeJSONDecoding.parseDate(status?.startTime), nodeName: spec?.nodeName)
    }

    private static func container(_ spec: Spec.ContainerSpec, statuses: [Status.ContainerStatus]?, isSidecar: Bool) -> Container {
        let name = spec.name ?? ""
        let status = statuses?.first { $0.name == name }
        let ports = (spec.ports ?? []).compactMap { port -> ContainerPort? in
            guard let number = port.containerPort else { return nil }
            return ContainerPort(containerPort: number, name: port.name, protocolName: port.protocol ?? "TCP")
        }
        let ready = (status?.ready ?? false) && (!isSidecar || status?.started == true)
        return Container(
            name: name, image: spec.image ?? "", ports: ports, ready: ready, restartCount: status?.restartCount ?? 0,
            isSidecar: isSidecar)
    }
}

import Foundation

/// Named remote ports (`kube9 forward svc/web 8443:https`), numbered as kubectl numbers them.
extension KubectlClient {
    /// The numbers of `names` for `target`, from one read: a pod's container ports by name (`spec.containers`, as
    /// kubectl looks, not its native sidecars), a service's ports by name (whose target port kubectl then finds in
    /// the pod it picks), a workload's pod template's container ports by name (the pod kubectl picks is made from it).
    public func portNumbers(named names: Set<String>, of target: ForwardTarget) async throws(KubeError) -> [String: Int] {
        let named: [(name: String?, number: Int)]
        switch target.kind {
        case .pod:
            let pod = try await pod(context: target.context, namespace: target.namespace, name: target.name)
            named = pod.containers.filter { !$0.isSidecar }.flatMap(\.ports).map { ($0.name, $0.containerPort) }
        case .service:
            let service = try await service(context: target.context, namespace: target.namespace, name: target.name)
            named = service.ports.map { ($0.name, $0.port) }
        case .deployment, .statefulSet, .replicaSet, .daemonSet:
            let data = try await read(
                ["get", target.kind.resourcePrefix, target.name, "-n", target.namespace] + clusterArguments(context: target.context),
                what: target.kind.resourcePrefix, context: target.context)
            named = try KubeJSONDecoding.templatePorts(from: data).map { ($0.name, $0.containerPort) }
        }
        var numbers: [String: Int] = [:]
        for name in names {
            guard let port = named.first(where: { $0.name == name }) else {
                throw KubeError(.notFound, Messages.noNamedPort(name, in: target))
            }
            numbers[name] = port.number
        }
        return numbers
    }
}

extension KubeJSONDecoding {
    /// The container ports of a workload's pod template (`spec.template.spec.containers[].ports`).
    static func templatePorts(from data: Data) throws(KubeError) -> [ContainerPort] {
        struct Workload: Decodable {
            struct Spec: Decodable {
                struct Template: Decodable {
                    struct PodSpec: Decodable {
                        struct Container: Decodable {
                            struct Port: Decodable {
                                var containerPort: Int?
                                var name: String?
                            }
                            var ports: [Port]?
                        }
                        var containers: [Container]?
                    }
                    var spec: PodSpec?
                }
                var template: Template?
            }
            var spec: Spec?
        }
        guard let workload = try? JSONDecoder().decode(Workload.self, from: data) else {
            throw KubeError(.malformedOutput, Messages.malformedOutput(what: "workload", detail: "not the expected JSON"))
        }
        return (workload.spec?.template?.spec?.containers ?? []).flatMap { $0.ports ?? [] }.compactMap { port in
            port.containerPort.map { ContainerPort(containerPort: $0, name: port.name) }
        }
    }
}

/// Named remote ports (`kube9 forward svc/web 8443:https`), numbered as kubectl numbers them.
extension KubectlClient {
    /// The numbers of `names` for `target`: a pod's container ports by name (its native sidecars' too), a service's
    /// ports by name (whose target port kubectl then finds in the pod it picks). One read of the pod or the
    /// service. A workload's pod is known only once kubectl picks it: no names there.
    public func portNumbers(named names: Set<String>, of target: ForwardTarget) async throws(KubeError) -> [String: Int] {
        var numbers: [String: Int] = [:]
        switch target.kind {
        case .pod:
            let pod = try await pod(context: target.context, namespace: target.namespace, name: target.name)
            let ports = pod.containers.flatMap(\.ports)
            for name in names {
                guard let port = ports.first(where: { $0.name == name }) else {
                    throw KubeError(.notFound, Messages.noNamedPort(name, in: target))
                }
                numbers[name] = port.containerPort
            }
        case .service:
            let service = try await service(context: target.context, namespace: target.namespace, name: target.name)
            for name in names {
                guard let port = service.ports.first(where: { $0.name == name }) else {
                    throw KubeError(.notFound, Messages.noNamedPort(name, in: target))
                }
                numbers[name] = port.port
            }
        case .deployment, .statefulSet, .replicaSet, .daemonSet:
            throw KubeError(.other, Messages.namedPortNeedsPodOrService(target))
        }
        return numbers
    }
}

/// Why a port-forward request is refused, as the API server would answer it.
struct PortForwardRefusal: Error {
    let status: KubeStatus

    /// nil when the pod exists, is Running and its namespace allows port-forward.
    static func check(cluster: SimCluster, namespace: String, pod name: String) -> PortForwardRefusal? {
        if cluster.store.forbidsPortForward(namespace: namespace) {
            return PortForwardRefusal(status: .forbiddenPortForward(pod: name, namespace: namespace))
        }
        guard let pod = cluster.store.pod(namespace: namespace, name: name) else {
            return PortForwardRefusal(status: .notFound(kind: "pods", name: name))
        }
        guard pod.isRunning else {
            return PortForwardRefusal(
                status: .badRequest("unable to upgrade connection: pod \(name) is not running. Current status=\(pod.phase)"))
        }
        return nil
    }
}

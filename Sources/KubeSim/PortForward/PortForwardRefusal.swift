import NIOHTTP1

/// Why a port-forward request is refused, as the API server would answer it.
struct PortForwardRefusal: Error {
    let status: KubeStatus

    /// nil when the request is authenticated, the pod exists and is Running, and its namespace allows
    /// port-forward.
    static func check(cluster: SimCluster, request: HTTPRequestHead) -> PortForwardRefusal? {
        let route = APIRoute(uri: request.uri)
        if let status = cluster.access.authenticate(request.headers, route: route) {
            return PortForwardRefusal(status: status)
        }
        guard case .podPortForward(let namespace, let name) = route else {
            return PortForwardRefusal(status: .pageNotFound())
        }
        if cluster.store.forbidsPortForward(namespace: namespace) {
            return PortForwardRefusal(status: .forbiddenPortForward(pod: name, namespace: namespace, user: cluster.access.user))
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

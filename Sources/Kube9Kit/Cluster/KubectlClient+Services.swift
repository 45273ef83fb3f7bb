/// Services of a namespace (`kubectl get services -n NS -o json`), with the same deadline and errors as pods.
extension KubectlClient {
    public func services(context: String, namespace: String) async throws(KubeError) -> [KubeService] {
        let data = try await read(
            rawListArguments(context: context, path: Self.namespacedPath(namespace, "services")), what: "services",
            context: context)
        return try KubeJSONDecoding.services(from: data)
    }

    /// One service (`kubectl get service NAME -n NS -o json`): what `get` permission alone allows, as kubectl's own
    /// port-forward reads it.
    public func service(context: String, namespace: String, name: String) async throws(KubeError) -> KubeService {
        let data = try await read(
            ["get", "service", name, "-n", namespace] + clusterArguments(context: context), what: "service", context: context)
        return try KubeJSONDecoding.service(from: data)
    }

    /// Every service of the context in one list call (`kubectl get --raw /api/v1/services`): what the UI's
    /// jump-to-pod finder searches along with every pod.
    public func servicesInAllNamespaces(context: String) async throws(KubeError) -> [KubeService] {
        let data = try await read(rawListArguments(context: context, path: "/api/v1/services"), what: "services", context: context)
        return try KubeJSONDecoding.services(from: data)
    }
}

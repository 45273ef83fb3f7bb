/// Services of a namespace (`kubectl get services -n NS -o json`), with the same deadline and errors as pods.
extension KubectlClient {
    public func services(context: String, namespace: String) async throws(KubeError) -> [KubeService] {
        let data = try await read(
            rawListArguments(context: context, path: Self.namespacedPath(namespace, "services")), what: "services",
            context: context)
        return try KubeJSONDecoding.services(from: data)
    }
}

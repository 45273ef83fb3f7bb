/// Reads the cluster through kubectl (`-o json`, argv arrays, deadlines). API surface fixed; body to be written.
public struct KubectlClient: Sendable {
    public let configuration: KubectlConfiguration

    public init(configuration: KubectlConfiguration) {
        self.configuration = configuration
    }

    /// Contexts of the kubeconfig, the current one marked.
    public func contexts() async throws(KubeError) -> [KubeContext] {
        throw KubeError(.other, "not implemented")
    }

    public func namespaces(context: String) async throws(KubeError) -> [KubeNamespace] {
        throw KubeError(.other, "not implemented")
    }

    public func pods(context: String, namespace: String) async throws(KubeError) -> [Pod] {
        throw KubeError(.other, "not implemented")
    }

    public func pod(context: String, namespace: String, name: String) async throws(KubeError) -> Pod {
        throw KubeError(.other, "not implemented")
    }
}

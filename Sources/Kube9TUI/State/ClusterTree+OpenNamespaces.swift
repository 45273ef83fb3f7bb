import Kube9Kit

extension ClusterTree {
    /// The namespaces whose pod list is on screen (or would be, scrolled to): expanded, their context expanded too.
    public var openNamespaces: Set<NamespaceKey> {
        var keys = Set<NamespaceKey>()
        for case .namespace(let context, let name) in expanded where expanded.contains(.context(context)) {
            keys.insert(NamespaceKey(context: context, namespace: name))
        }
        return keys
    }
}

import Kube9Kit

extension ClusterTree {
    /// The namespaces whose pod list is on screen (or would be, scrolled to): expanded, their context expanded too,
    /// their read not given up (Esc while it waited for a login: its watch would wait for the same login).
    public var openNamespaces: Set<NamespaceKey> {
        var keys = Set<NamespaceKey>()
        for case .namespace(let context, let name) in expanded where expanded.contains(.context(context)) {
            let key = NamespaceKey(context: context, namespace: name)
            if pods[key] != .cancelled { keys.insert(key) }
        }
        return keys
    }
}

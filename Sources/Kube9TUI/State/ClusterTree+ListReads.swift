import Kube9Kit

extension ClusterTree {
    /// The context's list reads in flight (their lists `.loading`), in a stable order.
    public func listReadsLoading(in context: String) -> [ListRead] {
        var reads: [ListRead] = namespaces[context] == .loading ? [.namespaces(context: context)] : []
        let byName: (NamespaceKey, NamespaceKey) -> Bool = { $0.namespace < $1.namespace }
        reads += pods.filter { $0.key.context == context && $0.value == .loading }.keys.sorted(by: byName).map(ListRead.pods)
        reads += services.filter { $0.key.context == context && $0.value == .loading }.keys.sorted(by: byName)
            .map(ListRead.services)
        return reads
    }

    /// The list `read` fills was given up (Esc while it waited for a login): it says so until read again.
    public mutating func markCancelled(_ read: ListRead) {
        switch read {
        case .namespaces(let context): namespaces[context] = .cancelled
        case .pods(let key): pods[key] = .cancelled
        case .services(let key): services[key] = .cancelled
        case .allPods, .allServices: break  // the finder's: no list of the tree
        }
    }
}

import Kube9Kit

/// Identifies one row of the tree across rebuilds, so the selection survives loads and refreshes.
public indirect enum NodeID: Sendable, Hashable {
    case forwardsCategory
    /// The kubeconfig's context list: not a row itself, the parent of its `Loading…`/error/empty row.
    case contextList
    case forward(id: String)
    case context(String)
    case namespace(context: String, name: String)
    case pod(context: String, namespace: String, name: String)
    /// The `Services` node of a namespace (after its pods).
    case services(context: String, namespace: String)
    case service(context: String, namespace: String, name: String)
    /// A saved forward that is not running (listed under Port Forwarding).
    case savedForward(SavedForward)
    /// The `Loading…`, error or empty row under `parent`.
    case status(parent: NodeID)

    /// The node this one hangs under (nil for roots).
    public var parent: NodeID? {
        switch self {
        case .forwardsCategory, .contextList, .context: nil
        case .forward: .forwardsCategory
        case .namespace(let context, _): .context(context)
        case .pod(let context, let namespace, _): .namespace(context: context, name: namespace)
        case .services(let context, let namespace): .namespace(context: context, name: namespace)
        case .service(let context, let namespace, _): .services(context: context, namespace: namespace)
        case .savedForward: .forwardsCategory
        case .status(let parent): parent
        }
    }

    /// Every ancestor, nearest first.
    public var ancestors: [NodeID] {
        var result: [NodeID] = []
        var current = parent
        while let node = current {
            result.append(node)
            current = node.parent
        }
        return result
    }
}

/// A context/namespace pair, the key of a pod list.
public struct NamespaceKey: Sendable, Hashable {
    public var context: String
    public var namespace: String

    public init(context: String, namespace: String) {
        self.context = context
        self.namespace = namespace
    }
}

/// A context/namespace/pod triple, to find a pod's forwards.
public struct PodKey: Sendable, Hashable {
    public var context: String
    public var namespace: String
    public var name: String

    public init(context: String, namespace: String, name: String) {
        self.context = context
        self.namespace = namespace
        self.name = name
    }
}

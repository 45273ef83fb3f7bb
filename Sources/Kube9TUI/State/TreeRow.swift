import Kube9Kit

/// What a visible row shows.
public enum RowContent: Sendable, Equatable {
    case forwardsCategory(connectedCount: Int)
    case forward(ForwardRecord)
    case noForwards
    case context(KubeContext, isCurrent: Bool)
    case namespace(name: String, isDefault: Bool)
    /// `nameColumn`: the width the names of this pod list are padded to, so phase and ready counts line up.
    case pod(Pod, context: String, isForwarded: Bool, nameColumn: Int)
    case servicesGroup
    /// `nameColumn`: as for pods, so types and ports line up.
    case service(KubeService, nameColumn: Int)
    /// A saved forward that is not running, and why it last failed to start.
    case savedForward(SavedForward, failure: String?)
    case loading
    /// A list whose read waits for the context's credential plugin: the plugin's line (a URL, a code).
    case waitingForLogin(String)
    case failed(String)
    case empty(String)
}

extension RowContent {
    /// The text `/` matches (the node's name or the forward's label); nil for status rows.
    public var filterLabel: String? {
        switch self {
        case .forwardsCategory: UIText.forwardsCategory
        case .forward(let record): record.label
        case .context(let context, _): context.name
        case .namespace(let name, _): name
        case .pod(let pod, _, _, _): pod.name
        case .servicesGroup: UIText.servicesGroup
        case .service(let service, _): service.name
        case .savedForward(let saved, _): saved.label
        case .noForwards, .loading, .waitingForLogin, .failed, .empty: nil
        }
    }
}

/// One visible row of the tree (the flattened, expanded part of it).
public struct TreeRow: Sendable, Equatable {
    public var id: NodeID
    public var depth: Int
    public var content: RowContent
    public var isExpandable: Bool
    public var isExpanded: Bool

    public init(id: NodeID, depth: Int, content: RowContent, isExpandable: Bool = false, isExpanded: Bool = false) {
        self.id = id
        self.depth = depth
        self.content = content
        self.isExpandable = isExpandable
        self.isExpanded = isExpanded
    }
}

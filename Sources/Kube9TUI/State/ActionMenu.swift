import Kube9Kit

/// What a menu entry does.
public enum MenuAction: Sendable, Equatable {
    case portForward
    case copyName
    case refresh
    case stop
    case restart
    case copyURL
    case save
    case toggleHealing
    case toggleOnDemand

    public var title: String {
        switch self {
        case .portForward: UIText.menuPortForward
        case .copyName: UIText.menuCopyName
        case .refresh: UIText.menuRefresh
        case .stop: UIText.menuStop
        case .restart: UIText.menuRestart
        case .copyURL: UIText.menuCopyURL
        case .save: UIText.menuSave
        case .toggleHealing: UIText.menuToggleHealing
        case .toggleOnDemand: UIText.menuToggleOnDemand
        }
    }
}

/// The action menu of a leaf (a pod or a forward): Enter on it, the terminal's right-click.
public struct ActionMenu: Sendable, Equatable {
    public var title: String
    public var target: NodeID
    public var actions: [MenuAction]
    public var selected: Int = 0

    public init(title: String, target: NodeID, actions: [MenuAction]) {
        self.title = title
        self.target = target
        self.actions = actions
    }
}

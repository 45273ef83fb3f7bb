import Foundation
import Kube9Kit

/// Everything the screen shows, as one immutable value. `AppUpdate.update` makes the next one; views draw it.
public struct AppState: Sendable {
    public private(set) var tree: ClusterTree
    /// The flattened visible tree, rebuilt only when the tree's structure changes (not on navigation).
    public private(set) var rows: [TreeRow]
    public private(set) var selection: Int = 0
    public private(set) var scrollOffset: Int = 0
    public var filter = FilterState()
    public var dialog: PortDialogState?
    public var confirmation: Confirmation?
    public var menu: ActionMenu?
    public var message: MessageLine?
    public var helpVisible = false
    public var size: TerminalSize
    public var capabilities: TerminalCapabilities
    public var now: Date
    /// The kubeconfig as the title shows it.
    public var kubeconfigLabel: String
    public var isDemo: Bool
    /// Starts in flight (the message line spins while there are any).
    public var startingForwards: [ForwardRequest] = []
    /// Several forwards started together (marked ports, `S`): counted so the last answer reports them all.
    public var batch: StartBatch?
    /// Set when the person confirmed quitting: the run loop ends.
    public var isQuitting = false

    public init(
        size: TerminalSize, capabilities: TerminalCapabilities = TerminalCapabilities(unicode: true, colors: true),
        now: Date = Date(timeIntervalSince1970: 0), kubeconfigLabel: String = "~/.kube/config", isDemo: Bool = false,
        contextOverride: String? = nil
    ) {
        self.tree = ClusterTree(contextOverride: contextOverride)
        self.rows = []
        self.size = size
        self.capabilities = capabilities
        self.now = now
        self.kubeconfigLabel = kubeconfigLabel
        self.isDemo = isDemo
        self.rows = tree.visibleRows()
    }

    public var glyphs: Glyphs { capabilities.glyphs }

    public var selectedRow: TreeRow? { rows.indices.contains(selection) ? rows[selection] : nil }

    public var activeForwardCount: Int { tree.activeForwardCount }
    public var liveForwardCount: Int { tree.liveForwardCount }

    /// Changes the tree and rebuilds the rows, keeping the selection on the same node when it still exists.
    public mutating func updateTree(_ change: (inout ClusterTree) -> Void) {
        let selectedID = selectedRow?.id
        change(&tree)
        rows = tree.visibleRows()
        if let selectedID, let index = rows.firstIndex(where: { $0.id == selectedID }) {
            selection = index
        }
        clampSelection()
    }

    /// Moves the selection to `index` (clamped) and scrolls it into view.
    public mutating func select(_ index: Int) {
        selection = index
        clampSelection()
    }

    public mutating func select(_ id: NodeID) {
        if let index = rows.firstIndex(where: { $0.id == id }) { select(index) }
    }

    public mutating func setSize(_ newSize: TerminalSize) {
        size = newSize
        clampSelection()
    }

    private mutating func clampSelection() {
        selection = min(max(0, selection), max(0, rows.count - 1))
        let height = size.treeHeight
        if selection < scrollOffset { scrollOffset = selection }
        if selection >= scrollOffset + height { scrollOffset = selection - height + 1 }
        scrollOffset = min(max(0, scrollOffset), max(0, rows.count - height))
    }
}

import Foundation
import Kube9Kit

/// Everything the screen shows, as one immutable value. `AppUpdate.update` makes the next one; views draw it.
public struct AppState: Sendable {
    public private(set) var tree: ClusterTree
    /// The flattened visible tree, rebuilt only when the tree's structure changes (not on navigation).
    public private(set) var rows: [TreeRow]
    public private(set) var selection: Int = 0
    public private(set) var scrollOffset: Int = 0
    /// The node the person selected, kept while a reload hides it (the selection comes back to it), and the rows
    /// that were around it (nearest first), where the selection goes when it is gone for good.
    private var anchor: NodeID?
    private var anchorNeighbours: [NodeID] = []
    private var anchorIndex = 0
    /// The `/` filter: while it has text, the rows are only its matches and their ancestors.
    public private(set) var filter = FilterState()
    /// What the filter searches, kept while the tree does not change (typing does not lay out the tree again).
    private var filterIndex: FilterIndex?
    public var dialog: PortDialogState?
    public var confirmation: Confirmation?
    public var menu: ActionMenu?
    /// The open pod lists a watch follows (``AppUpdate`` starts and ends them as namespaces open and close), and
    /// the list each watch reported (from its first `listed` on, what the tree shows: a slower `r` answer is older).
    public var followedPodLists: Set<NamespaceKey> = []
    public var livePods: [NamespaceKey: [Pod]] = [:]
    /// `o`: a namespace opened by name.
    public var namespacePrompt: NamespacePrompt?
    /// The jump-to-pod finder (`:` or Ctrl-P).
    public var finder: FinderState?
    /// A node chosen in the finder whose context's namespaces are still loading: selected when they arrive.
    public var pendingReveal: NodeID?
    public var message: MessageLine?
    /// When the message line last changed: success and info messages go after ``MessageLine/lifetime``.
    public var messageSince = Date(timeIntervalSince1970: 0)
    public var helpVisible = false {
        didSet { helpScroll = 0 }
    }
    /// The first help line shown (help scrolls when the screen is shorter than it).
    public private(set) var helpScroll = 0
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

    /// Forwards carrying traffic now: the status line's `N forwards active` and the category's count.
    public var connectedForwardCount: Int { tree.connectedForwardCount }

    /// Forwards `X` and `q` stop: the live ones in the list and the starts not answered yet (their record may not
    /// have arrived).
    public var liveForwardCount: Int {
        let pending = startingForwards.filter { request in
            !tree.forwards.contains { $0.isSameForward(as: request) }
        }
        return tree.liveForwardCount + pending.count
    }

    /// Changes the tree and rebuilds the rows. The selection stays on the node the person chose; while a reload
    /// hides it, it waits on the `Loading…` row of its list (and comes back when the node does); when the node is
    /// gone, it goes to its nearest surviving neighbour, else to its nearest ancestor.
    public mutating func updateTree(_ change: (inout ClusterTree) -> Void) {
        filterIndex = nil
        refreshRows(change)
    }

    private mutating func refreshRows(_ change: (inout ClusterTree) -> Void) {
        if anchor == nil { rememberAnchor() }
        change(&tree)
        rebuildRows()
        if let anchor {
            if let index = rows.firstIndex(where: { $0.id == anchor }) {
                selection = index
                clampSelection()
                rememberAnchor()
                return
            }
            // A saved forward started (its live row now) or a live one stopped (its saved row): the same forward.
            if let index = rows.firstIndex(where: { tree.isSameForward($0.id, as: anchor) }) {
                selection = index
                clampSelection()
                rememberAnchor()
                return
            }
            let fallbacks = [NodeID.status(parent: anchor.parent ?? .contextList)] + anchorNeighbours + anchor.ancestors
            var lookup: [NodeID: Int] = [:]
            for (index, row) in rows.enumerated() where lookup[row.id] == nil { lookup[row.id] = index }
            // While its list reloads: the Loading row. Else the row that took its place in the same list (a stopped
            // forward's saved row, the next pod), else a neighbour, else an ancestor.
            if let index = lookup[fallbacks[0]] {
                selection = index
            } else if rows.indices.contains(anchorIndex), anchor.parent != nil, rows[anchorIndex].id.parent == anchor.parent {
                selection = anchorIndex
            } else if let index = fallbacks.lazy.compactMap({ lookup[$0] }).first {
                selection = index
            }
        }
        clampSelection()
    }

    /// Sets the filter and rebuilds the rows (only matches and their ancestors while it has text).
    public mutating func setFilter(_ newFilter: FilterState) {
        filter = newFilter
        refreshRows { _ in }
    }

    /// Which match n/N last selected.
    public mutating func setCurrentMatch(_ index: Int?) {
        filter.currentMatch = index
    }

    private mutating func rebuildRows() {
        if filter.isActive {
            var index = filterIndex ?? FilterIndex(tree)
            let found = index.search(filter.query)
            filterIndex = index
            rows = found.rows
            filter.matches = found.matches
        } else {
            filterIndex = nil
            rows = tree.visibleRows()
            filter.matches = []
        }
    }

    /// The list under `parent` changed for good (its watch said so): when the selected node left it, the row that
    /// took its place is the one the selection follows from now on (not the gone node, which will not come back).
    public mutating func settleSelection(in parent: NodeID) {
        guard let anchor, anchor.parent == parent, !rows.contains(where: { $0.id == anchor }) else { return }
        rememberAnchor()
    }

    /// Moves the selection to `index` (clamped) and scrolls it into view.
    public mutating func select(_ index: Int) {
        selection = index
        clampSelection()
        rememberAnchor()
    }

    /// The selected node and the rows around it (below first, then above, nearest first).
    private mutating func rememberAnchor() {
        guard let row = selectedRow else {
            anchor = nil
            anchorNeighbours = []
            return
        }
        anchor = row.id
        anchorIndex = selection
        var near: [NodeID] = []
        for distance in 1...8 {
            if selection + distance < rows.count { near.append(rows[selection + distance].id) }
            if selection - distance >= 0 { near.append(rows[selection - distance].id) }
        }
        anchorNeighbours = near
    }

    public mutating func select(_ id: NodeID) {
        if let index = rows.firstIndex(where: { $0.id == id }) { select(index) }
    }

    public mutating func setSize(_ newSize: TerminalSize) {
        size = newSize
        clampSelection()
        scrollHelp(by: 0)
    }

    /// How many help lines the help box shows at this size (its border, hint and a blank line take four rows).
    public var helpPageHeight: Int { max(1, min(UIText.helpLines.count + 4, size.height) - 4) }

    /// Scrolls the help by `lines` (clamped to its length).
    public mutating func scrollHelp(by lines: Int) {
        helpScroll = min(max(0, helpScroll + lines), max(0, UIText.helpLines.count - helpPageHeight))
    }

    private mutating func clampSelection() {
        selection = min(max(0, selection), max(0, rows.count - 1))
        let height = size.treeHeight
        if selection < scrollOffset { scrollOffset = selection }
        if selection >= scrollOffset + height { scrollOffset = selection - height + 1 }
        scrollOffset = min(max(0, scrollOffset), max(0, rows.count - height))
    }
}

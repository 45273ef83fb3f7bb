import Kube9Kit

/// What the selected row has to say, whole, when the row cuts it (a narrow screen, a long message): why a saved
/// forward failed to start, why a list could not be read (or what stands in its place), why a forward is paused. On the message line while
/// nothing else is there, wrapped onto up to two more lines taken from the bottom of the tree (which scrolls so
/// the selected row stays above them).
public enum RowReasonView {
    /// The reason's lines, in the style of the row's own text for it.
    public struct Reason: Equatable, Sendable {
        public var lines: [String]
        public var style: CellStyle

        static let none = Reason(lines: [], style: Theme.error)
    }

    /// The selected row's reason (none when the row has none, the row shows it whole, or the message line holds a
    /// message or a prompt). Only the reason's own cut counts: what follows it on the row (uptime, activity, marks)
    /// may be cut without it.
    public static func reason(_ state: AppState) -> Reason {
        guard state.message == nil, state.namespacePrompt == nil, !state.filter.isEditing, !state.size.isTooSmall,
            let row = state.selectedRow, let (text, core, style) = text(of: row, glyphs: state.glyphs)
        else { return .none }
        let glyphs = state.glyphs
        let shown = Segment.fitted(
            TreeView.segments(for: row, state: state, glyphs: glyphs, needle: nil), width: state.size.width - 1,
            ellipsis: glyphs.ellipsis)
        guard let index = shown.firstIndex(where: { $0.text.hasSuffix(core) }),
            shown[...index].reduce(0, { $0 + CharacterWidth.of($1.text) }) > state.size.width - 1
        else { return .none }
        let limit = max(1, min(3, state.size.treeHeight / 2))
        var wrapped = Formatting.wrap(text, width: state.size.width)
        if wrapped.count > limit {
            let rest = wrapped[(limit - 1)...].joined(separator: " ")
            wrapped = Array(wrapped.prefix(limit - 1)) + [TextFitting.truncate(rest, toWidth: state.size.width, ellipsis: glyphs.ellipsis)]
        }
        return Reason(lines: wrapped, style: style)
    }

    /// The text a row may cut, as shown below the tree, the row segment's text it ends (`core`), and its style: an
    /// error (with the row's mark), a forward's pause or login prompt (its status).
    static func text(of row: TreeRow, glyphs: Glyphs) -> (shown: String, core: String, style: CellStyle)? {
        switch row.content {
        case .savedForward(_, let failure?): (glyphs.errorMark + " " + glyphs.plain(failure), failure, Theme.error)
        case .failed(let message): (glyphs.errorMark + " " + glyphs.plain(message), message, Theme.error)
        // A note in place of a list (`Cannot list namespaces (o opens one by name): <RBAC's words>`).
        case .empty(let message): (glyphs.plain(message), message, Theme.dim)
        case .forward(let record) where record.status == .paused || record.loginPrompt != nil:
            (glyphs.plain(Formatting.status(record)), Formatting.status(record), Theme.status(record.status))
        default: nil
        }
    }

    /// The tree's rows on screen and the first one drawn, with `reason` shown.
    public static func treeWindow(_ state: AppState, reason: Reason) -> (first: Int, height: Int) {
        let height = max(1, state.size.treeHeight - max(0, reason.lines.count - 1))
        let first = max(state.scrollOffset, state.selection - height + 1)
        return (first, height)
    }

    /// Draws `reason` on the lines that end with the message line (`bottom`).
    public static func draw(_ reason: Reason, into grid: inout CellGrid, bottom: Int) {
        let top = bottom - reason.lines.count + 1
        for (index, line) in reason.lines.enumerated() {
            grid.fill(x: 0, y: top + index, width: grid.width, height: 1)
            grid.write(line, x: 0, y: top + index, style: reason.style)
        }
    }
}

/// Why the selected saved forward failed to start, whole, when its row cuts it (a narrow screen, a long reason):
/// on the message line while nothing else is there, wrapped onto up to two more lines taken from the bottom of
/// the tree (which scrolls so the selected row stays above them).
public enum SavedReasonView {
    /// The reason's lines (empty when the selected row is not a failing saved forward, its reason fits on the row,
    /// or the message line holds a message or a prompt).
    public static func lines(_ state: AppState) -> [String] {
        guard state.message == nil, state.namespacePrompt == nil, !state.filter.isEditing, !state.size.isTooSmall,
            let row = state.selectedRow, case .savedForward(_, let failure?) = row.content
        else { return [] }
        let glyphs = state.glyphs
        let shown = Segment.fitted(
            TreeView.segments(for: row, state: state, glyphs: glyphs, needle: nil), width: state.size.width - 1,
            ellipsis: glyphs.ellipsis)
        guard shown.reduce(0, { $0 + CharacterWidth.of($1.text) }) > state.size.width - 1 else { return [] }
        let limit = max(1, min(3, state.size.treeHeight / 2))
        var wrapped = Formatting.wrap(glyphs.errorMark + " " + glyphs.plain(failure), width: state.size.width)
        if wrapped.count > limit {
            let rest = wrapped[(limit - 1)...].joined(separator: " ")
            wrapped = Array(wrapped.prefix(limit - 1)) + [TextFitting.truncate(rest, toWidth: state.size.width, ellipsis: glyphs.ellipsis)]
        }
        return wrapped
    }

    /// The tree's rows on screen and the first one drawn, with `reason` shown.
    public static func treeWindow(_ state: AppState, reason: [String]) -> (first: Int, height: Int) {
        let height = max(1, state.size.treeHeight - max(0, reason.count - 1))
        let first = max(state.scrollOffset, state.selection - height + 1)
        return (first, height)
    }

    /// Draws `reason` on the lines that end with the message line (`bottom`).
    public static func draw(_ reason: [String], into grid: inout CellGrid, bottom: Int) {
        let top = bottom - reason.count + 1
        for (index, line) in reason.enumerated() {
            grid.fill(x: 0, y: top + index, width: grid.width, height: 1)
            grid.write(line, x: 0, y: top + index, style: Theme.error)
        }
    }
}

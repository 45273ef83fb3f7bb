/// The jump-to-pod finder: the query, the ranked matches (the chosen one reversed), the count (after why a list
/// could not be read, if one could not) and the hints.
public enum FinderView {
    public static func draw(_ finder: FinderState, state: AppState, into grid: inout CellGrid) {
        let glyphs = state.glyphs
        let box = Box.centered(width: min(grid.width - 2, 70), height: min(grid.height - 2, 18), in: grid)
        // A long context (an EKS ARN) gives up its middle rather than its end.
        let lead = UIText.finderTitle + " " + glyphs.bullet + " "
        let context = TextFitting.truncateMiddle(
            finder.context, besides: CharacterWidth.of(lead), within: box.titleWidth, floor: Segment.elidedWidth,
            ellipsis: glyphs.ellipsis)
        box.draw(title: lead + context, into: &grid, glyphs: glyphs)
        let parts = box.inner.split([.fixed(1), .fill, .fixed(1)])
        parts[0].write([[Segment(UIText.finderPrompt, Theme.bold), Segment(finder.query), Segment(glyphs.cursor, Theme.bold)]],
                       into: &grid, glyphs: glyphs)
        let status: String
        switch finder.items {
        case .idle, .loading:
            parts[1].write([[Segment(Formatting.spinner(glyphs.spinner, at: state.now) + " " + UIText.finderLoading(finder.context), Theme.dim)]],
                           into: &grid, glyphs: glyphs)
            status = ""
        case .failed(let message):
            parts[1].write([[Segment(glyphs.errorMark + " " + message, Theme.error)]], into: &grid, glyphs: glyphs)
            status = ""
        case .cancelled:
            parts[1].write([[Segment(glyphs.errorMark + " " + UIText.listLoginCancelled, Theme.error)]], into: &grid, glyphs: glyphs)
            status = ""
        case .loaded(let all):
            let first = max(0, finder.selected - parts[1].height + 1)
            let shown = finder.results.dropFirst(first).prefix(parts[1].height)
            parts[1].write(shown.map { [Segment($0.label)] }, into: &grid, glyphs: glyphs)
            if finder.results.indices.contains(finder.selected) {
                grid.restyle(x: parts[1].x, y: parts[1].y + finder.selected - first, width: parts[1].width) { $0.reversed }
            }
            status = UIText.finderCount(finder.results.count, of: all.count) + "  "
        }
        // A list that could not be read: why, before the hints (the other list and the tree's are searched).
        let problem = finder.items.value == nil ? [] : finder.problem.map { [Segment(glyphs.errorMark + " " + $0 + "  ", Theme.error)] } ?? []
        parts[2].write([problem + [Segment(status + glyphs.plain(UIText.finderHint), Theme.dim)]], into: &grid, glyphs: glyphs)
    }
}

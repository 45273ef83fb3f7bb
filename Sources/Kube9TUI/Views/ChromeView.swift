import Kube9Kit

/// The title line, the message line (or the filter prompt) and the status line.
public enum ChromeView {
    public static func drawTitle(_ state: AppState, into grid: inout CellGrid) {
        let width = grid.width
        grid.fill(x: 0, y: 0, width: width, height: 1, style: Theme.bar)
        var parts = [Segment(" " + UIText.appName + " ", Theme.title)]
        if state.isDemo { parts.append(Segment(UIText.demoMark + " ", Theme.demo)) }
        // On a narrow screen the path and the context give up their middles before the line is cut.
        parts.append(Segment(" ", Theme.bar))
        parts.append(Segment(state.kubeconfigLabel, Theme.bar, elidable: true))
        if let context = state.tree.currentContextName {
            parts.append(Segment("  " + UIText.contextLabel, Theme.bar))
            parts.append(Segment(context, Theme.bar, elidable: true))
        }
        grid.write(parts, x: 0, y: 0, width: width, ellipsis: state.glyphs.ellipsis)
    }

    public static func drawMessage(_ state: AppState, into grid: inout CellGrid, y: Int) {
        let width = grid.width
        let glyphs = state.glyphs
        if let prompt = state.namespacePrompt {
            drawPrompt(
                UIText.namespacePrompt, prompt.text, hint: prompt.problem ?? UIText.namespacePromptHint,
                hintStyle: prompt.problem == nil ? Theme.dim : Theme.error, state, into: &grid, y: y)
            return
        }
        if state.filter.isEditing {
            drawPrompt(UIText.filterPrompt, state.filter.query, hint: UIText.filterHint, state, into: &grid, y: y)
            return
        }
        guard let message = state.message else { return }
        var parts: [Segment] = []
        if message.kind == .progress {
            parts.append(Segment(Formatting.spinner(glyphs.spinner, at: state.now) + " ", Theme.warning))
        }
        parts.append(Segment(glyphs.plain(message.text), Theme.message(message.kind)))
        grid.write(parts, x: 0, y: y, width: width, ellipsis: glyphs.ellipsis)
    }

    /// A one-line input on the message line: the label, the text typed (its end when long) and a cursor, the keys
    /// on the right when there is room.
    static func drawPrompt(
        _ label: String, _ text: String, hint: String, hintStyle: CellStyle = Theme.dim, _ state: AppState, into grid: inout CellGrid,
        y: Int
    ) {
        let width = grid.width
        let glyphs = state.glyphs
        let hintWidth = CharacterWidth.of(hint)
        let isRefusal = hintStyle != Theme.dim
        // The hint beside the text when it takes at most half the line; a refusal whenever it leaves room to type,
        // else in place of the text until the next key.
        let fits = isRefusal ? hintWidth + 2 <= width - CharacterWidth.of(label) - 8 : hintWidth + 2 < width / 2
        if isRefusal, !fits {
            grid.write([Segment(label, Theme.bold), Segment(hint, hintStyle)], x: 0, y: y, width: width, ellipsis: glyphs.ellipsis)
            return
        }
        let room = fits ? width - hintWidth - 2 : width
        // Show the end of a long text: that is where typing happens.
        var shown = text
        while CharacterWidth.of(label) + CharacterWidth.of(shown) > room - 2, !shown.isEmpty { shown.removeFirst() }
        grid.write([Segment(label, Theme.bold), Segment(shown), Segment(glyphs.cursor, Theme.bold)],
                   x: 0, y: y, width: room, ellipsis: glyphs.ellipsis)
        if room < width { grid.write(hint, x: width - hintWidth, y: y, style: hintStyle) }
    }

    public static func drawStatus(_ state: AppState, into grid: inout CellGrid, y: Int) {
        let width = grid.width
        grid.fill(x: 0, y: y, width: width, height: 1, style: Theme.bar)
        let active = state.connectedForwardCount
        var rightWidth = 0
        if active > 0 {
            let text = UIText.forwardsActive(active)
            rightWidth = min(width, CharacterWidth.of(text) + 1)
            grid.write(text, x: width - rightWidth, y: y, style: Theme.bar.bolded, maxWidth: rightWidth)
        }
        let room = width - rightWidth - (rightWidth > 0 ? 1 : 0)
        // The longest hints that fit whole (at 80 columns with forwards running, a shorter set instead of a cut).
        let hints = [state.glyphs.keyHints + UIText.keyHintsOnDemand, state.glyphs.keyHints, UIText.keyHintsMedium, UIText.keyHintsShort, UIText.keyHintsShortest]
        let fitting = hints.first { CharacterWidth.of($0) + 1 <= room } ?? UIText.keyHintsShort
        if room > 2 {
            grid.write([Segment(" " + fitting, Theme.bar)], x: 0, y: y, width: room, ellipsis: state.glyphs.ellipsis)
        }
    }
}

/// The smaller modal views: the y/n confirmation, a leaf's action menu, the help overlay, "too small".
public enum OverlayViews {
    public static func drawConfirmation(_ confirmation: Confirmation, state: AppState, into grid: inout CellGrid) {
        let glyphs = state.glyphs
        let question = glyphs.plain(confirmation.question)
        let width = min(grid.width - 2, max(34, CharacterWidth.of(question) + 6))
        let lines = Formatting.wrap(question, width: max(1, width - 4))
        let box = Box.centered(width: width, height: lines.count + 4, in: grid)
        box.draw(title: UIText.confirmTitle, into: &grid, glyphs: glyphs)
        for (index, text) in lines.enumerated() {
            box.write([Segment(text, Theme.bold)], line: index, into: &grid, glyphs: glyphs)
        }
        box.write([Segment(UIText.confirmHint, Theme.dim)], line: lines.count + 1, into: &grid, glyphs: glyphs)
    }

    public static func drawMenu(_ menu: ActionMenu, state: AppState, into grid: inout CellGrid) {
        let glyphs = state.glyphs
        var widest = max(CharacterWidth.of(UIText.menuHint), CharacterWidth.of(menu.title) + 2)
        for action in menu.actions { widest = max(widest, CharacterWidth.of(action.title) + 2) }
        let box = Box.centered(width: min(grid.width - 2, widest + 4), height: menu.actions.count + 4, in: grid)
        box.draw(title: menu.title, into: &grid, glyphs: glyphs)
        for (index, action) in menu.actions.enumerated() {
            let selected = index == menu.selected
            box.write([Segment((selected ? "> " : "  ") + action.title)], line: index, into: &grid, glyphs: glyphs)
            if selected { grid.restyle(x: box.innerX, y: box.innerY + index, width: box.innerWidth) { $0.reversed } }
        }
        box.write([Segment(UIText.menuHint, Theme.dim)], line: menu.actions.count + 1, into: &grid, glyphs: glyphs)
    }

    public static func drawHelp(state: AppState, into grid: inout CellGrid) {
        let glyphs = state.glyphs
        let keyColumn = 19
        let box = Box.centered(width: min(grid.width - 2, 70), height: UIText.helpLines.count + 4, in: grid)
        box.draw(title: UIText.helpTitle, into: &grid, glyphs: glyphs)
        let room = box.innerHeight - 2
        for (index, entry) in UIText.helpLines.prefix(max(0, room)).enumerated() {
            let key = TextFitting.pad(glyphs.plain(entry.0), toWidth: keyColumn, ellipsis: glyphs.ellipsis)
            box.write([Segment(key, Theme.bold), Segment(entry.1)], line: index, into: &grid, glyphs: glyphs)
        }
        box.write([Segment(UIText.helpClose, Theme.dim)], line: box.innerHeight - 1, into: &grid, glyphs: glyphs)
    }

    public static func drawTooSmall(state: AppState, into grid: inout CellGrid) {
        let glyphs = state.glyphs
        let lines = [UIText.tooSmall, UIText.tooSmallNeed(width: TerminalSize.minimum.width, height: TerminalSize.minimum.height)]
        let top = max(0, grid.height / 2 - 1)
        for (index, text) in lines.enumerated() {
            let fitted = TextFitting.truncate(text, toWidth: grid.width, ellipsis: glyphs.ellipsis)
            let x = max(0, (grid.width - CharacterWidth.of(fitted)) / 2)
            grid.write(fitted, x: x, y: top + index, style: index == 0 ? Theme.bold : Theme.dim)
        }
    }
}

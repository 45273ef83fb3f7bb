/// The smaller modal views: the y/n confirmation, a leaf's action menu, the help overlay, "too small".
public enum OverlayViews {
    /// Where the confirmation's parts are on a screen of `size`: what drawing and mouse clicks both go by.
    public struct ConfirmationLayout: Sendable, Equatable {
        public var box: Box
        /// The question, wrapped to the box.
        public var lines: [String]
        /// The screen row of the two buttons, and the columns each covers.
        public var buttonRow: Int
        public var yes: Range<Int>
        public var no: Range<Int>
    }

    public static func confirmationLayout(_ confirmation: Confirmation, size: TerminalSize, glyphs: Glyphs) -> ConfirmationLayout {
        let question = glyphs.plain(confirmation.question)
        let width = min(size.width - 2, max(34, CharacterWidth.of(question) + 6))
        let lines = Formatting.wrap(question, width: max(1, width - 4))
        let w = min(width, size.width)
        let h = min(lines.count + 4, size.height)
        let box = Box(x: (size.width - w) / 2, y: (size.height - h) / 2, width: w, height: h)
        let yesWidth = CharacterWidth.of(UIText.confirmYes)
        let noWidth = CharacterWidth.of(UIText.confirmNo)
        let gap = box.innerWidth >= yesWidth + 3 + noWidth ? 3 : 1
        let start = box.innerX + max(0, (box.innerWidth - yesWidth - gap - noWidth) / 2)
        return ConfirmationLayout(
            box: box, lines: lines, buttonRow: box.innerY + lines.count + 1, yes: start..<(start + yesWidth),
            no: (start + yesWidth + gap)..<(start + yesWidth + gap + noWidth))
    }

    /// The question and its two buttons (`y` and `n`/Esc, or a click on them).
    public static func drawConfirmation(_ confirmation: Confirmation, state: AppState, into grid: inout CellGrid) {
        let glyphs = state.glyphs
        let layout = confirmationLayout(confirmation, size: TerminalSize(width: grid.width, height: grid.height), glyphs: glyphs)
        let box = layout.box
        box.draw(title: UIText.confirmTitle, into: &grid, glyphs: glyphs)
        for (index, text) in layout.lines.enumerated() {
            box.write([Segment(text, Theme.bold)], line: index, into: &grid, glyphs: glyphs)
        }
        let line = layout.buttonRow - box.innerY
        guard line < box.innerHeight else { return }
        grid.write(UIText.confirmYes, x: layout.yes.lowerBound, y: layout.buttonRow, style: Theme.bold.reversed)
        grid.write(UIText.confirmNo, x: layout.no.lowerBound, y: layout.buttonRow, style: CellStyle.plain.reversed)
    }

    /// Where the menu's box is on a screen of `size` (drawing and clicks both go by it).
    public static func menuBox(_ menu: ActionMenu, size: TerminalSize) -> Box {
        var widest = max(CharacterWidth.of(UIText.menuHint), CharacterWidth.of(menu.title) + 2)
        for action in menu.actions { widest = max(widest, CharacterWidth.of(action.title) + 2) }
        let w = min(min(size.width - 2, widest + 4), size.width)
        let h = min(menu.actions.count + 4, size.height)
        return Box(x: (size.width - w) / 2, y: (size.height - h) / 2, width: w, height: h)
    }

    public static func drawMenu(_ menu: ActionMenu, state: AppState, into grid: inout CellGrid) {
        let glyphs = state.glyphs
        let box = menuBox(menu, size: TerminalSize(width: grid.width, height: grid.height))
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
        let parts = box.inner.split([.fill, .fixed(1), .fixed(1)])
        let shown = UIText.helpLines.dropFirst(state.helpScroll).prefix(parts[0].height)
        parts[0].write(shown.map { entry in
            [Segment(TextFitting.pad(glyphs.plain(entry.0), toWidth: keyColumn, ellipsis: glyphs.ellipsis), Theme.bold), Segment(entry.1)]
        }, into: &grid, glyphs: glyphs)
        let edge = box.x + box.width - 2
        if state.helpScroll > 0 { grid.write(glyphs.up, x: edge, y: parts[0].y, style: Theme.dim) }
        if state.helpScroll + shown.count < UIText.helpLines.count {
            grid.write(glyphs.down, x: edge, y: parts[0].y + parts[0].height - 1, style: Theme.dim)
        }
        let close = state.helpScroll + shown.count < UIText.helpLines.count ? UIText.helpScrollHint : UIText.helpClose
        parts[2].write([[Segment(close, Theme.dim)]], into: &grid, glyphs: glyphs)
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

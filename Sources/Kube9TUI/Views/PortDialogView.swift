import Kube9Kit

/// The modal port dialog: the remote port list (+ Custom…), the local port field with what is known of it, the
/// on-demand checkbox, the address and the hints. Its height is what the lines need; the port list gets the rows the screen leaves and
/// scrolls (with ▲/▼) inside the rectangle it is handed.
public enum PortDialogView {
    /// Where the dialog's parts are on a screen of `size`: what drawing and mouse clicks both go by.
    public struct Layout: Sendable, Equatable {
        public var box: Box
        public var head: Rect
        public var options: Rect
        public var tail: Rect
        /// The first option shown (the list scrolls to keep the selected one in view).
        public var firstOption: Int
        /// Rows of the local port and address fields and of the on-demand checkbox.
        public var localRow: Int
        public var addressRow: Int
        public var onDemandRow: Int
    }

    public static func layout(_ dialog: PortDialogState, size: TerminalSize, glyphs: Glyphs) -> Layout {
        let width = min(64, size.width - 2)
        let tailCount = 4 + notes(dialog, width: max(0, width - 4)).count
        let optionCount = dialog.options.count + 1
        let room = max(1, size.height - 2 - 1 - tailCount)
        let height = 1 + min(optionCount, room) + tailCount + 2
        let w = min(width, size.width)
        let h = min(height, size.height)
        let box = Box(x: (size.width - w) / 2, y: (size.height - h) / 2, width: w, height: h)
        let parts = box.inner.split([.fixed(1), .fill, .fixed(tailCount)])
        let first = min(max(0, dialog.selectedOption - parts[1].height + 1), max(0, optionCount - parts[1].height))
        return Layout(
            box: box, head: parts[0], options: parts[1], tail: parts[2], firstOption: first, localRow: parts[2].y,
            addressRow: parts[2].y + tailCount - 2, onDemandRow: parts[2].y + tailCount - 3)
    }

    public static func draw(_ dialog: PortDialogState, state: AppState, into grid: inout CellGrid) {
        let glyphs = state.glyphs
        let layout = layout(dialog, size: TerminalSize(width: grid.width, height: grid.height), glyphs: glyphs)
        let head = [label(UIText.remotePortLabel, focused: dialog.focus == .remote, glyphs: glyphs)]
        let tail = [localLine(dialog, glyphs: glyphs)] + notes(dialog, width: layout.box.innerWidth)
            + [onDemandLine(dialog, glyphs: glyphs), addressLine(dialog, glyphs: glyphs), [Segment(UIText.dialogHint, Theme.dim)]]
        layout.box.draw(title: dialog.title(width: layout.box.titleWidth, ellipsis: glyphs.ellipsis), into: &grid, glyphs: glyphs)
        layout.head.write(head, into: &grid, glyphs: glyphs)
        drawOptions(dialog, in: layout.options, first: layout.firstOption, into: &grid, glyphs: glyphs)
        layout.tail.write(tail, into: &grid, glyphs: glyphs)
    }

    /// A field's label; the focused one is marked (visible without colour) and cyan.
    static func label(_ text: String, focused: Bool, glyphs: Glyphs) -> [Segment] {
        focused
            ? [Segment(glyphs.collapsed + " " + text, Theme.bold.with(foreground: .cyan))]
            : [Segment(String(repeating: " ", count: CharacterWidth.of(glyphs.collapsed) + 1) + text, Theme.bold)]
    }

    /// The ports, one checkbox each (`[x]` marked, with its local port), the selected one reversed, then Custom….
    static func drawOptions(_ dialog: PortDialogState, in rect: Rect, first: Int, into grid: inout CellGrid, glyphs: Glyphs) {
        guard rect.height > 0 else { return }
        let count = dialog.options.count + 1
        let remoteFocused = dialog.focus == .remote
        let end = min(count, first + rect.height)
        var lines: [[Segment]] = []
        for index in first..<end {
            var parts: [Segment]
            if index < dialog.options.count {
                let mark = dialog.mark(ofOption: index)
                parts = [Segment((mark == nil ? "[ ] " : "[x] ") + dialog.options[index].label)]
                if let mark { parts.append(Segment("  " + UIText.markedLocal(mark.local), markStyle(mark.status))) }
            } else {
                let typing = index == dialog.selectedOption && remoteFocused
                parts = [Segment("    " + glyphs.custom + " "), Segment(dialog.customText + (typing ? glyphs.cursor : ""), Theme.field)]
            }
            lines.append(parts)
        }
        rect.write(lines, into: &grid, glyphs: glyphs)
        if (first..<end).contains(dialog.selectedOption) {
            let row = rect.y + dialog.selectedOption - first
            grid.restyle(x: rect.x, y: row, width: rect.width) { remoteFocused ? $0.reversed : $0.bolded }
        }
        if first > 0 { grid.write(glyphs.up, x: rect.x + rect.width - 1, y: rect.y, style: Theme.dim) }
        if end < count { grid.write(glyphs.down, x: rect.x + rect.width - 1, y: rect.y + rect.height - 1, style: Theme.dim) }
    }

    static func localLine(_ dialog: PortDialogState, glyphs: Glyphs) -> [Segment] {
        let focused = dialog.focus == .local
        let field = TextFitting.pad(dialog.localText + (focused ? glyphs.cursor : ""), toWidth: 7, ellipsis: glyphs.ellipsis)
        return label(UIText.localPortLabel, focused: focused, glyphs: glyphs)
            + [Segment("  "), Segment(field, focused ? Theme.focusedField : Theme.field)]
    }

    /// What is known of the local port, the suggestion to take, and the note: only the lines they need (at most
    /// four), long ones wrapped.
    static func notes(_ dialog: PortDialogState, width: Int) -> [[Segment]] {
        var status: Segment
        var suggestion: Segment?
        switch dialog.localStatus {
        case .empty: status = Segment(Messages.portEmpty, Theme.dim)
        case .invalid(let message): status = Segment(message, Theme.error)
        case .checking: status = Segment(UIText.checkingPort, Theme.dim)
        case .available(let port): status = Segment(UIText.portAvailable(port), Theme.success)
        case .unavailable(_, let message, let suggested):
            status = Segment(message, Theme.error)
            if let suggested { suggestion = Segment(UIText.takeSuggestion(suggested), Theme.warning) }
        }
        var lines = Formatting.wrap(status.text, width: width).map { [Segment($0, status.style)] }
        if let suggestion { lines.append([suggestion]) }
        if let note = dialog.note {
            lines += Formatting.wrap(note, width: width).map { [Segment($0, Theme.warning)] }
        }
        return Array(lines.prefix(4))
    }

    static func addressLine(_ dialog: PortDialogState, glyphs: Glyphs) -> [Segment] {
        let focused = dialog.focus == .address
        var parts = label(UIText.addressLabel, focused: focused, glyphs: glyphs) + [
            Segment("     "),
            Segment(dialog.addressText + (focused ? glyphs.cursor : ""), focused ? Theme.focusedField : Theme.field),
        ]
        if !ForwardRequest.isLoopback(address: dialog.addressText) && !dialog.addressText.isEmpty {
            parts.append(Segment(" " + glyphs.exposed, Theme.warning))
        }
        return parts
    }

    /// `On demand   [x] kubectl from first use until 10 min idle`: the checkbox and what it means.
    static func onDemandLine(_ dialog: PortDialogState, glyphs: Glyphs) -> [Segment] {
        let focused = dialog.focus == .onDemand
        let box = Segment(dialog.onDemand ? "[x]" : "[ ]", focused ? Theme.focusedField : .plain)
        return label(UIText.onDemandLabel, focused: focused, glyphs: glyphs)
            + [Segment("   "), box, Segment(" " + UIText.onDemandExplained(idle: dialog.idleTimeout), Theme.dim)]
    }

    /// A marked port's local port: green when free, red when not, dim while checking.
    static func markStyle(_ status: PortDialogState.LocalStatus) -> CellStyle {
        switch status {
        case .available: Theme.success
        case .unavailable, .invalid: Theme.error
        case .checking, .empty: Theme.dim
        }
    }
}

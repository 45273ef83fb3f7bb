import Kube9Kit

/// The modal port dialog: title, remote port list with Custom…, local port field, validation and hints.
public enum PortDialogView {
    public static func draw(_ dialog: PortDialogState, state: AppState, into grid: inout CellGrid) {
        let glyphs = state.glyphs
        let fixedLines = 8  // remote label, local field, status, suggestion, note, address, blank, hint
        let optionCount = dialog.options.count + 1
        let shown = max(1, min(optionCount, grid.height - 2 - fixedLines))
        let box = Box.centered(width: min(64, grid.width - 2), height: shown + fixedLines + 2, in: grid)
        box.draw(title: UIText.dialogTitle(namespace: dialog.namespace, pod: dialog.targetLabel), into: &grid, glyphs: glyphs)

        var line = 0
        let remoteFocused = dialog.focus == .remote
        box.write([Segment(UIText.remotePortLabel, remoteFocused ? Theme.bold.with(foreground: .cyan) : Theme.bold)],
                  line: line, into: &grid, glyphs: glyphs)
        line += 1
        let first = min(max(0, dialog.selectedOption - shown + 1), max(0, optionCount - shown))
        for index in first..<min(optionCount, first + shown) {
            let selected = index == dialog.selectedOption
            let mark = selected ? "(•) " : "( ) "
            var parts = [Segment(glyphs == .unicode ? mark : (selected ? "(*) " : "( ) "))]
            if index < dialog.options.count {
                parts.append(Segment(dialog.options[index].label))
                if let mark = dialog.mark(ofOption: index) {
                    parts.append(Segment("  " + UIText.markedLocal(mark.local), markStyle(mark.status)))
                }
            } else {
                parts.append(Segment(glyphs.custom + " "))
                let typing = selected && remoteFocused
                parts.append(Segment(dialog.customText + (typing ? glyphs.cursor : ""), Theme.field))
            }
            let row = box.innerY + line
            box.write(parts, line: line, into: &grid, glyphs: glyphs)
            if selected && remoteFocused { grid.restyle(x: box.innerX, y: row, width: box.innerWidth) { $0.reversed } }
            line += 1
        }

        let localFocused = dialog.focus == .local
        let fieldText = dialog.localText + (localFocused ? glyphs.cursor : "")
        let field = TextFitting.pad(fieldText, toWidth: 7, ellipsis: glyphs.ellipsis)
        box.write([Segment(UIText.localPortLabel, localFocused ? Theme.bold.with(foreground: .cyan) : Theme.bold),
                   Segment("  "), Segment(field, localFocused ? Theme.focusedField : Theme.field)],
                  line: line, into: &grid, glyphs: glyphs)
        line += 1

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
        // Status, suggestion and note share four lines; long messages wrap instead of being cut.
        var messages: [Segment] = Formatting.wrap(status.text, width: box.innerWidth).map { Segment($0, status.style) }
        if let suggestion { messages.append(suggestion) }
        if let note = dialog.note {
            messages += Formatting.wrap(note, width: box.innerWidth).map { Segment($0, Theme.warning) }
        }
        for (index, message) in messages.prefix(4).enumerated() {
            box.write([message], line: line + index, into: &grid, glyphs: glyphs)
        }
        line += 4
        let addressFocused = dialog.focus == .address
        let exposed = !ForwardRequest.isLoopback(address: dialog.addressText) && !dialog.addressText.isEmpty
        var addressParts = [
            Segment(UIText.addressLabel, addressFocused ? Theme.bold.with(foreground: .cyan) : Theme.bold), Segment("     "),
            Segment(dialog.addressText + (addressFocused ? glyphs.cursor : ""), addressFocused ? Theme.focusedField : Theme.field),
        ]
        if exposed { addressParts.append(Segment(" " + glyphs.exposed, Theme.warning)) }
        box.write(addressParts, line: line, into: &grid, glyphs: glyphs)
        line += 1
        box.write([Segment(UIText.dialogHint, Theme.dim)], line: line, into: &grid, glyphs: glyphs)
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

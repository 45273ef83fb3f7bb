/// The mouse: a click selects (on ▸/▾, or a double click, opens or closes; on a leaf, a double click is Enter), the
/// wheel moves three rows, a right click opens the leaf's menu; in the dialog a click chooses a port or a field;
/// in a menu it chooses the entry; on a confirmation it presses a button (outside the box: Esc); in help the wheel
/// scrolls.
extension AppUpdate {
    static func handleMouse(_ event: MouseEvent, _ state: inout AppState, _ effects: inout [Effect]) {
        if state.helpVisible {
            switch event.action {
            case .wheelUp: state.scrollHelp(by: -3)
            case .wheelDown: state.scrollHelp(by: 3)
            case .click, .doubleClick, .rightClick: break
            }
        } else if let confirmation = state.confirmation {
            mouseOnConfirmation(event, confirmation, &state, &effects)
        } else if state.finder != nil {
            return
        } else if let dialog = state.dialog {
            mouseOnDialog(event, dialog, &state, &effects)
        } else if let menu = state.menu {
            mouseOnMenu(event, menu, &state, &effects)
        } else {
            mouseOnTree(event, &state, &effects)
        }
    }

    static func mouseOnTree(_ event: MouseEvent, _ state: inout AppState, _ effects: inout [Effect]) {
        switch event.action {
        case .wheelUp:
            state.select(state.selection - 3)
            return
        case .wheelDown:
            state.select(state.selection + 3)
            return
        case .click, .doubleClick, .rightClick:
            break
        }
        let window = RowReasonView.treeWindow(state, reason: RowReasonView.reason(state))
        let index = window.first + event.y - 1
        guard event.y >= 1, event.y <= window.height, state.rows.indices.contains(index) else { return }
        state.select(index)
        let row = state.rows[index]
        let onExpander = event.x >= row.depth * 2 && event.x < row.depth * 2 + 2
        switch event.action {
        case .click where row.isExpandable && onExpander, .doubleClick:
            handleTreeKey(.enter, &state, &effects)
        case .rightClick where !row.isExpandable:
            activateLeaf(row, &state, &effects)
        case .click, .rightClick, .wheelUp, .wheelDown:
            break
        }
    }

    /// A click on a confirmation's button answers it (as `y` or `n`); a click outside the box is Esc.
    static func mouseOnConfirmation(_ event: MouseEvent, _ confirmation: Confirmation, _ state: inout AppState, _ effects: inout [Effect]) {
        guard event.action == .click || event.action == .doubleClick else { return }
        let layout = OverlayViews.confirmationLayout(confirmation, size: state.size, glyphs: state.glyphs)
        let box = layout.box
        let inside = event.x >= box.x && event.x < box.x + box.width && event.y >= box.y && event.y < box.y + box.height
        let key: Key
        if !inside {
            key = .escape
        } else if event.y == layout.buttonRow && layout.yes.contains(event.x) {
            key = .character("y")
        } else if event.y == layout.buttonRow && layout.no.contains(event.x) {
            key = .character("n")
        } else {
            return
        }
        handleConfirmationKey(key, &state, &effects)
    }

    static func mouseOnDialog(_ event: MouseEvent, _ dialog: PortDialogState, _ state: inout AppState, _ effects: inout [Effect]) {
        guard event.action == .click || event.action == .doubleClick else { return }
        let layout = PortDialogView.layout(dialog, size: state.size, glyphs: state.glyphs)
        let options = layout.options
        if event.y >= options.y, event.y < options.y + options.height {
            sendToDialog(.choose(option: layout.firstOption + event.y - options.y), &state, &effects)
            if event.action == .doubleClick { sendToDialog(.key(.character(" ")), &state, &effects) }
        } else if event.y == layout.localRow {
            sendToDialog(.focus(.local), &state, &effects)
        } else if event.y == layout.addressRow {
            sendToDialog(.focus(.address), &state, &effects)
        } else if event.y == layout.onDemandRow {
            // A checkbox: the click focuses and ticks it.
            sendToDialog(.focus(.onDemand), &state, &effects)
            sendToDialog(.key(.character(" ")), &state, &effects)
        } else if event.y == layout.head.y {
            sendToDialog(.focus(.remote), &state, &effects)
        }
    }

    static func mouseOnMenu(_ event: MouseEvent, _ menu: ActionMenu, _ state: inout AppState, _ effects: inout [Effect]) {
        guard event.action == .click || event.action == .doubleClick else { return }
        let box = OverlayViews.menuBox(menu, size: state.size)
        let index = event.y - box.innerY
        guard menu.actions.indices.contains(index), event.x >= box.x, event.x < box.x + box.width else {
            state.menu = nil
            return
        }
        state.menu = nil
        perform(menu.actions[index], on: menu.target, &state, &effects)
    }
}

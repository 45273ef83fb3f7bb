/// The whole screen as a pure function of the state: title, tree, message line, status line, then whichever
/// overlay is open (help over everything, then confirmation, dialog, menu).
public enum ScreenView {
    public static func render(_ state: AppState) -> CellGrid {
        var grid = CellGrid(width: state.size.width, height: state.size.height)
        draw(state, into: &grid)
        return grid
    }

    public static func draw(_ state: AppState, into grid: inout CellGrid) {
        if state.size.isTooSmall {
            OverlayViews.drawTooSmall(state: state, into: &grid)
            return
        }
        let height = state.size.height
        ChromeView.drawTitle(state, into: &grid)
        let reason = RowReasonView.reason(state)
        let window = RowReasonView.treeWindow(state, reason: reason)
        TreeView.draw(state, into: &grid, top: 1, height: window.height, first: window.first)
        if reason.lines.isEmpty {
            ChromeView.drawMessage(state, into: &grid, y: height - 2)
        } else {
            RowReasonView.draw(reason, into: &grid, bottom: height - 2)
        }
        ChromeView.drawStatus(state, into: &grid, y: height - 1)
        if let menu = state.menu { OverlayViews.drawMenu(menu, state: state, into: &grid) }
        if let finder = state.finder { FinderView.draw(finder, state: state, into: &grid) }
        if let dialog = state.dialog { PortDialogView.draw(dialog, state: state, into: &grid) }
        if let confirmation = state.confirmation { OverlayViews.drawConfirmation(confirmation, state: state, into: &grid) }
        if state.helpVisible { OverlayViews.drawHelp(state: state, into: &grid) }
    }

    /// Whether something on screen changes with time, and how soon: spinners (0.2 s) or uptimes (1 s).
    /// nil: nothing moves, the run loop sleeps until a key or an event.
    public static func tickInterval(_ state: AppState) -> Double? {
        if state.size.isTooSmall { return nil }
        if state.message?.kind == .progress { return 0.2 }
        if let finder = state.finder, finder.items == .loading { return 0.2 }
        let expiry: Double? = state.message?.expires == true ? 1.0 : nil
        let end = min(state.rows.count, state.scrollOffset + state.size.treeHeight)
        var uptimes = false
        if state.scrollOffset < end {
            for index in state.scrollOffset..<end {
                switch state.rows[index].content {
                case .loading, .waitingForLogin: return 0.2
                case .forward: uptimes = true
                default: break
                }
            }
        }
        return uptimes ? 1.0 : expiry
    }
}

/// A key press, decoded from ncurses' codes (see `KeyDecoder`). Tests build these directly.
public enum Key: Sendable, Equatable, Hashable {
    case character(Character)
    /// Ctrl plus a letter, lower-case (`.control("c")` is Ctrl-C).
    case control(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    case function(Int)
    /// A mouse report (ncurses' KEY_MOUSE), at a screen cell.
    case mouse(MouseEvent)
    case unknown
}

import CNcurses
import Foundation

/// The ncurses backend: opens the terminal with `newterm`, flushes a `CellGrid`, reads keys. Use it from one
/// thread only (ncurses is not thread-safe).
public final class NcursesScreen {
    public struct OpenError: Error, Sendable {
        public var message: String
    }

    private let screen: OpaquePointer
    public let capabilities: TerminalCapabilities
    private var pairs: [Int: Int16] = [:]
    private var nextPair: Int16 = 1
    private let maxPairs: Int
    private let defaultColors: Bool
    private var lastGrid: CellGrid?
    private var isOpen = true

    /// Sets the locale, opens the terminal and puts it in raw, no-echo, keypad mode.
    public static func open(noColor: Bool, mouse: Bool = false) throws(OpenError) -> NcursesScreen {
        setlocale(LC_ALL, "")
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        guard let screen = newterm(nil, kube9_stdout(), kube9_stdin()) else {
            throw OpenError(message: UIText.cannotOpenTerminal(term))
        }
        set_term(screen)
        let opened = NcursesScreen(screen: screen, noColor: noColor)
        kube9_mouse(mouse ? 1 : 0)
        return opened
    }

    private init(screen: OpaquePointer, noColor: Bool) {
        self.screen = screen
        raw()
        noecho()
        nonl()
        keypad(kube9_stdscr(), true)
        nodelay(kube9_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        let colors = !noColor && has_colors()
        var defaults = false
        if colors {
            start_color()
            defaults = use_default_colors() == OK
        }
        defaultColors = defaults
        maxPairs = colors ? Int(kube9_color_pairs()) : 0
        capabilities = TerminalCapabilities(unicode: kube9_locale_is_utf8() != 0, colors: colors)
    }

    deinit { close() }

    /// Restores the terminal (idempotent).
    public func close() {
        guard isOpen else { return }
        isOpen = false
        endwin()
        delscreen(screen)
    }

    public var size: TerminalSize {
        TerminalSize(width: Int(getmaxx(kube9_stdscr())), height: Int(getmaxy(kube9_stdscr())))
    }

    /// After SIGWINCH: asks the kernel for the size and tells ncurses.
    public func updateSize() -> TerminalSize {
        var rows: Int32 = 0
        var cols: Int32 = 0
        if kube9_terminal_size(1, &rows, &cols) == 0 {
            resizeterm(rows, cols)
            lastGrid = nil
        }
        return size
    }

    /// Every key waiting (non-blocking).
    public func readKeys() -> [Key] {
        var inputs: [KeyDecoder.Input] = []
        var resized = false
        while inputs.count < 4096 {
            var character: wint_t = 0
            let status = get_wch(&character)
            if status == ERR { break }
            if status == KEY_CODE_YES {
                if Int32(character) == KeyDecoder.resizeCode {
                    resized = true
                } else if Int32(character) == KeyDecoder.mouseCode {
                    var x: Int32 = 0
                    var y: Int32 = 0
                    let kind = kube9_read_mouse(&x, &y)
                    if kind > 0 { inputs.append(.mouse(kind: kind, x: Int(x), y: Int(y))) }
                } else {
                    inputs.append(.code(Int32(character)))
                }
            } else {
                inputs.append(.character(UInt32(character)))
            }
        }
        if resized { lastGrid = nil }
        return KeyDecoder.decode(inputs)
    }

    /// Draws `grid` (only when it differs from the last one) and refreshes the terminal.
    public func flush(_ grid: CellGrid) {
        if grid == lastGrid { return }
        for y in 0..<grid.height {
            var x = 0
            while x < grid.width {
                let style = grid[x, y].style
                var text: [wchar_t] = []
                let runStart = x
                while x < grid.width, grid[x, y].style == style {
                    if case .character(let character) = grid[x, y].content {
                        for scalar in character.unicodeScalars { text.append(wchar_t(bitPattern: scalar.value)) }
                    }
                    x += 1
                }
                apply(style)
                if !text.isEmpty { mvaddnwstr(Int32(y), Int32(runStart), text, Int32(text.count)) }
            }
        }
        refresh()
        lastGrid = grid
    }

    /// Ctrl-L: the next flush repaints every cell (whatever another program left on the terminal).
    public func forceRedraw() {
        lastGrid = nil
        clearok(kube9_stdscr(), true)
    }

    /// Ctrl-Z: gives the terminal back as the shell left it (cooked mode, cursor, main screen), stops kube9 like any
    /// job (``SignalTrap/stopUntilContinued()``: only kube9's process group; the kubectls and the guardian, in groups
    /// of their own, run on) and, once `fg` continues it, takes the terminal again (raw mode, keypad, mouse: the
    /// first refresh after `endwin` restores them) and repaints every cell. Returns the size after resuming.
    public func suspend() -> TerminalSize {
        endwin()
        fflush(kube9_stdout())
        SignalTrap.stopUntilContinued()
        let resumed = updateSize()
        forceRedraw()
        refresh()
        return resumed
    }

    /// Writes bytes straight to the terminal (OSC 52), then lets ncurses carry on.
    public func writeRaw(_ text: String) {
        fflush(kube9_stdout())
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { _ = write(1, $0.baseAddress, $0.count) }
    }

    private func apply(_ style: CellStyle) {
        var attrs = kube9_attr_normal()
        if style.bold { attrs |= kube9_attr_bold() }
        if style.reverse { attrs |= kube9_attr_reverse() }
        if style.dim { attrs |= kube9_attr_dim() }
        if style.underline { attrs |= kube9_attr_underline() }
        kube9_attr_set(attrs, pair(style.foreground, style.background))
    }

    private func pair(_ foreground: TerminalColor, _ background: TerminalColor) -> Int16 {
        guard capabilities.colors, foreground != .default || background != .default else { return 0 }
        let key = (foreground.rawValue + 1) * 16 + background.rawValue + 1
        if let existing = pairs[key] { return existing }
        guard Int(nextPair) < min(maxPairs, 256) else { return 0 }
        let number = nextPair
        nextPair += 1
        let fg = foreground == .default && !defaultColors ? Int16(COLOR_WHITE) : Int16(foreground.rawValue)
        let bg = background == .default && !defaultColors ? Int16(COLOR_BLACK) : Int16(background.rawValue)
        init_pair(number, fg, bg)
        pairs[key] = number
        return number
    }
}

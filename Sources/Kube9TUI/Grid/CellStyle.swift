/// The eight basic terminal colours plus the terminal's own default.
public enum TerminalColor: Int, Sendable, Equatable, Hashable, CaseIterable {
    case `default` = -1
    case black = 0
    case red = 1
    case green = 2
    case yellow = 3
    case blue = 4
    case magenta = 5
    case cyan = 6
    case white = 7
}

/// How one cell looks: colours and attributes. The ncurses backend maps it to a colour pair and attributes.
public struct CellStyle: Sendable, Equatable, Hashable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var bold: Bool
    public var reverse: Bool
    public var dim: Bool
    public var underline: Bool

    public init(
        foreground: TerminalColor = .default, background: TerminalColor = .default, bold: Bool = false,
        reverse: Bool = false, dim: Bool = false, underline: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
        self.underline = underline
    }

    public static let plain = CellStyle()

    public func with(foreground: TerminalColor) -> CellStyle {
        var copy = self
        copy.foreground = foreground
        return copy
    }

    public var bolded: CellStyle {
        var copy = self
        copy.bold = true
        return copy
    }

    public var reversed: CellStyle {
        var copy = self
        copy.reverse = true
        return copy
    }

}

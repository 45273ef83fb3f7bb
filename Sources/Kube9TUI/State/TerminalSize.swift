/// The terminal's size in cells.
public struct TerminalSize: Sendable, Equatable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Below this the screen shows only the "terminal too small" notice.
    public static let minimum = TerminalSize(width: 30, height: 8)

    public var isTooSmall: Bool { width < Self.minimum.width || height < Self.minimum.height }

    /// Rows available to the tree: the screen minus the title, message and status lines.
    public var treeHeight: Int { max(1, height - 3) }
}

/// What the terminal can show.
public struct TerminalCapabilities: Sendable, Equatable {
    public var unicode: Bool
    public var colors: Bool

    public init(unicode: Bool, colors: Bool) {
        self.unicode = unicode
        self.colors = colors
    }

    public var glyphs: Glyphs { unicode ? .unicode : .ascii }
}

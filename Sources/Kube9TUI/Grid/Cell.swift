/// One screen cell. A wide character occupies its cell and the next one, which holds `.continuation`.
public struct Cell: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        case character(Character)
        /// The right half of a wide character drawn in the cell to the left.
        case continuation
    }

    public var content: Content
    public var style: CellStyle

    public init(_ character: Character = " ", style: CellStyle = .plain) {
        self.content = .character(character)
        self.style = style
    }

    public static let blank = Cell()
}

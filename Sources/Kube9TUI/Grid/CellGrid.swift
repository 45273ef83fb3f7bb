/// An in-memory screen: `width` × `height` cells. Views draw into it; the ncurses backend flushes it; tests read
/// it back as text with `lines()`. Writes are clipped to the grid and to an optional column limit, wide
/// characters take two cells, and control characters from untrusted text (cluster names) become `?`.
public struct CellGrid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
    }

    /// Writes `text` from column `x` of row `y`, stopping at the grid edge or after `maxWidth` columns.
    /// Returns the number of columns written.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: CellStyle = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, maxWidth.map { x + max(0, $0) } ?? width)
        var column = x
        for raw in text {
            let character = Self.sanitized(raw)
            let w = CharacterWidth.of(character)
            if w == 0 { continue }
            if column + w > limit {
                // A wide character that does not fit entirely leaves a blank instead of half a glyph.
                if w == 2, column < limit, column >= 0 { put(Cell(" ", style: style), at: column, y) ; column += 1 }
                break
            }
            if column >= 0 {
                put(Cell(character, style: style), at: column, y)
                if w == 2 {
                    put(Cell(" ", style: style), at: column + 1, y)
                    cells[y * width + column + 1].content = .continuation
                }
            }
            column += w
        }
        return max(0, column - max(x, 0))
    }

    /// Fills a rectangle with spaces in `style`.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: CellStyle = .plain) {
        let x0 = max(0, x), y0 = max(0, y)
        let x1 = min(width, x + w), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for row in y0..<y1 {
            for column in x0..<x1 { put(Cell(" ", style: style), at: column, row) }
        }
    }

    /// Changes the style of existing cells (e.g. to highlight a selected row) without touching their text.
    public mutating func restyle(x: Int, y: Int, width w: Int, _ transform: (CellStyle) -> CellStyle) {
        guard y >= 0, y < height else { return }
        let x0 = max(0, x), x1 = min(width, x + w)
        guard x0 < x1 else { return }
        for column in x0..<x1 {
            let index = y * width + column
            cells[index].style = transform(cells[index].style)
        }
    }

    /// The grid as text, one string per row, trailing spaces removed.
    public func lines() -> [String] {
        (0..<height).map { line($0) }
    }

    /// One row as text, trailing spaces removed.
    public func line(_ y: Int) -> String {
        var text = ""
        for x in 0..<width {
            if case .character(let character) = cells[y * width + x].content { text.append(character) }
        }
        while text.last == " " { text.removeLast() }
        return text
    }

    private mutating func put(_ cell: Cell, at x: Int, _ y: Int) {
        let index = y * width + x
        // Overwriting half of a wide character blanks its other half.
        if cells[index].content == .continuation, x > 0 {
            cells[index - 1].content = .character(" ")
        }
        if x + 1 < width, cells[index + 1].content == .continuation, cells[index].content != .continuation {
            cells[index + 1].content = .character(" ")
        }
        cells[index] = cell
    }

    private static func sanitized(_ character: Character) -> Character {
        for scalar in character.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029 { return "?" }
        }
        return character
    }
}

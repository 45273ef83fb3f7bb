/// A piece of styled text; rows are lists of segments written left to right and cut with an ellipsis.
public struct Segment: Sendable, Equatable {
    public var text: String
    public var style: CellStyle

    public init(_ text: String, _ style: CellStyle = .plain) {
        self.text = text
        self.style = style
    }
}

extension CellGrid {
    /// Writes `segments` from `x` on row `y` within `width` columns; what does not fit is cut with `ellipsis`.
    /// Returns the columns written.
    @discardableResult
    public mutating func write(_ segments: [Segment], x: Int, y: Int, width: Int, ellipsis: String) -> Int {
        guard width > 0 else { return 0 }
        var total = 0
        for segment in segments { total += CharacterWidth.of(segment.text) }
        var column = x
        if total <= width {
            for segment in segments { column += write(segment.text, x: column, y: y, style: segment.style) }
            return column - x
        }
        var budget = width - CharacterWidth.of(ellipsis)
        var lastStyle = segments.first?.style ?? .plain
        for segment in segments {
            guard budget > 0 else { break }
            let piece = TextFitting.prefix(segment.text, width: budget)
            let written = write(piece, x: column, y: y, style: segment.style)
            column += written
            budget -= written
            lastStyle = segment.style
            if piece.count < segment.text.count { break }
        }
        column += write(ellipsis, x: column, y: y, style: lastStyle, maxWidth: x + width - column)
        return column - x
    }
}

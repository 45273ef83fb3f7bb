/// A piece of styled text; rows are lists of segments written left to right and cut with an ellipsis.
public struct Segment: Sendable, Equatable {
    public var text: String
    public var style: CellStyle
    /// When the row is too wide, this segment gives up its middle first (down to ``elidedWidth`` columns), before
    /// the row is cut at its end: a long context name (an EKS ARN) then leaves room for what follows it.
    public var elidable: Bool

    /// The narrowest an elidable segment becomes: enough of both ends to tell names apart.
    public static let elidedWidth = 17

    public init(_ text: String, _ style: CellStyle = .plain, elidable: Bool = false) {
        self.text = text
        self.style = style
        self.elidable = elidable
    }

    /// `segments` made to fit `width` columns as far as their elidable ones allow (each cut in its middle, the first
    /// one first); the row may still be wider, and is then cut at its end when written.
    public static func fitted(_ segments: [Segment], width: Int, ellipsis: String) -> [Segment] {
        var total = segments.reduce(0) { $0 + CharacterWidth.of($1.text) }
        var result = segments
        for index in result.indices where total > width && result[index].elidable {
            let current = CharacterWidth.of(result[index].text)
            result[index].text = TextFitting.truncateMiddle(
                result[index].text, besides: total - current, within: width, floor: elidedWidth, ellipsis: ellipsis)
            total -= current - CharacterWidth.of(result[index].text)
        }
        return result
    }
}

extension CellGrid {
    /// Writes `segments` from `x` on row `y` within `width` columns; what does not fit is cut with `ellipsis`.
    /// Returns the columns written.
    @discardableResult
    public mutating func write(_ segments: [Segment], x: Int, y: Int, width: Int, ellipsis: String) -> Int {
        guard width > 0 else { return 0 }
        let segments = Segment.fitted(segments, width: width, ellipsis: ellipsis)
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

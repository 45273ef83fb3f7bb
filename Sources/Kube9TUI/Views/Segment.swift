/// A piece of styled text; rows are lists of segments written left to right and cut with an ellipsis.
public struct Segment: Sendable, Equatable {
    public var text: String
    public var style: CellStyle
    /// When the row is too wide, this segment gives up its middle first (down to ``elidedWidth`` columns), before
    /// the row is cut at its end: a long context name (an EKS ARN) then leaves room for what follows it.
    public var elidable: Bool
    /// An elidable segment cut only once the others are at their narrowest (a forward's pod, after its context).
    public var elidesLate = false
    /// The row's elidable segments give up only what it takes for this one to end on screen (a forward's status);
    /// what follows it is cut at the row's end. Without such a segment, the whole row counts.
    public var keepsInView = false

    /// The narrowest an elidable segment becomes: enough of both ends to tell names apart.
    public static let elidedWidth = 17

    public init(_ text: String, _ style: CellStyle = .plain, elidable: Bool = false) {
        self.text = text
        self.style = style
        self.elidable = elidable
    }

    /// `segments` made to fit `width` columns as far as their elidable ones allow (each cut in its middle, the first
    /// one first); the row may still be wider, and is then cut at its end when written. Segments that elide late are
    /// cut only so that the one that ``keepsInView`` ends on screen (with room for the ellipsis of what follows), and
    /// only when that is enough for it.
    public static func fitted(_ segments: [Segment], width: Int, ellipsis: String) -> [Segment] {
        var result = segments
        var total = result.reduce(0) { $0 + CharacterWidth.of($1.text) }
        for index in result.indices where total > width && result[index].elidable && !result[index].elidesLate {
            elide(&result[index], total: &total, width: width, ellipsis: ellipsis)
        }
        guard total > width, let end = result.lastIndex(where: \.keepsInView) else { return result }
        let room = end == result.count - 1 ? width : width - CharacterWidth.of(ellipsis)
        var kept = result[...end].reduce(0) { $0 + CharacterWidth.of($1.text) }
        let late = result.indices[...end].filter { result[$0].elidable && result[$0].elidesLate }
        let spare = late.reduce(0) { $0 + max(0, CharacterWidth.of(result[$1].text) - elidedWidth) }
        guard kept > room, kept - spare <= room else { return result }
        for index in late where kept > room {
            elide(&result[index], total: &kept, width: room, ellipsis: ellipsis)
        }
        return result
    }

    /// Cuts `segment` in its middle so that the row's `total` fits `width`, down to ``elidedWidth``.
    private static func elide(_ segment: inout Segment, total: inout Int, width: Int, ellipsis: String) {
        let current = CharacterWidth.of(segment.text)
        segment.text = TextFitting.truncateMiddle(
            segment.text, besides: total - current, within: width, floor: elidedWidth, ellipsis: ellipsis)
        total -= current - CharacterWidth.of(segment.text)
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

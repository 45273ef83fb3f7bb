/// A rectangle of cells a view is handed to draw in (as ratatui's widgets are): views take their sizes from it
/// instead of counting lines themselves.
public struct Rect: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// How tall one part of a vertical split is.
    public enum Height: Sendable, Equatable {
        case fixed(Int)
        /// Whatever the fixed parts leave (shared equally when there are several).
        case fill
    }

    /// Splits the rectangle top to bottom. Fixed parts get their height while there is room (the last ones are cut
    /// first when there is not); fill parts share the rest.
    public func split(_ heights: [Height]) -> [Rect] {
        let fixedTotal = heights.reduce(0) { total, part in
            if case .fixed(let h) = part { return total + max(0, h) }
            return total
        }
        let fills = heights.count(where: { $0 == .fill })
        let spare = max(0, height - fixedTotal)
        var rects: [Rect] = []
        var top = y
        var fillIndex = 0
        for part in heights {
            var h: Int
            switch part {
            case .fixed(let wanted): h = max(0, wanted)
            case .fill:
                h = spare / max(1, fills) + (fillIndex < spare % max(1, fills) ? 1 : 0)
                fillIndex += 1
            }
            h = min(h, max(0, y + height - top))
            rects.append(Rect(x: x, y: top, width: width, height: h))
            top += h
        }
        return rects
    }

    /// Writes `lines` from the top, one per row, as many as fit; each cut to the width.
    public func write(_ lines: [[Segment]], into grid: inout CellGrid, glyphs: Glyphs) {
        for (index, segments) in lines.prefix(height).enumerated() {
            grid.write(segments, x: x, y: y + index, width: width, ellipsis: glyphs.ellipsis)
        }
    }
}

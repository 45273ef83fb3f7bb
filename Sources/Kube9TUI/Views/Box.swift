/// A bordered, filled rectangle with a title in its top border: the frame of dialogs, menus and help.
public struct Box: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    /// A box of `width` × `height` centred on the grid (shrunk to fit it).
    public static func centered(width: Int, height: Int, in grid: CellGrid) -> Box {
        let w = min(width, grid.width)
        let h = min(height, grid.height)
        return Box(x: (grid.width - w) / 2, y: (grid.height - h) / 2, width: w, height: h)
    }

    public var innerX: Int { x + 2 }
    public var innerY: Int { y + 1 }
    public var innerWidth: Int { max(0, width - 4) }
    public var innerHeight: Int { max(0, height - 2) }
    /// The inside of the border (a column of padding each side), for the views drawn in it.
    public var inner: Rect { Rect(x: innerX, y: innerY, width: innerWidth, height: innerHeight) }

    /// The columns a title gets in the top border (a corner, a rule and a space each side).
    public var titleWidth: Int { max(0, width - 6) }

    public func draw(title: String, into grid: inout CellGrid, glyphs: Glyphs) {
        guard width >= 2, height >= 2 else { return }
        grid.fill(x: x, y: y, width: width, height: height)
        let h = String(glyphs.boxHorizontal)
        let v = String(glyphs.boxVertical)
        let c = glyphs.boxCorners.map(String.init)
        grid.write(c[0] + String(repeating: h, count: width - 2) + c[1], x: x, y: y, style: Theme.border)
        for row in (y + 1)..<(y + height - 1) {
            grid.write(v, x: x, y: row, style: Theme.border)
            grid.write(v, x: x + width - 1, y: row, style: Theme.border)
        }
        grid.write(c[2] + String(repeating: h, count: width - 2) + c[3], x: x, y: y + height - 1, style: Theme.border)
        if !title.isEmpty, titleWidth > 0 {
            let fitted = TextFitting.truncate(title, toWidth: titleWidth, ellipsis: glyphs.ellipsis)
            grid.write(" " + fitted + " ", x: x + 2, y: y, style: Theme.bold)
        }
    }

    /// Writes one line of content (row `line` inside the border), cut to the inner width.
    public func write(_ segments: [Segment], line: Int, into grid: inout CellGrid, glyphs: Glyphs) {
        guard line >= 0, line < innerHeight else { return }
        grid.write(segments, x: innerX, y: innerY + line, width: innerWidth, ellipsis: glyphs.ellipsis)
    }
}

/// Cutting text to a number of terminal columns, with an ellipsis when something was cut.
public enum TextFitting {
    /// `text` if it fits in `width` columns, else its longest prefix that fits with `ellipsis` appended.
    public static func truncate(_ text: String, toWidth width: Int, ellipsis: String) -> String {
        guard width > 0 else { return "" }
        if CharacterWidth.of(text) <= width { return text }
        let ellipsisWidth = CharacterWidth.of(ellipsis)
        if ellipsisWidth > width { return prefix(text, width: width) }
        return prefix(text, width: width - ellipsisWidth) + ellipsis
    }

    /// `text` if it fits in `width` columns, else its start and its end around `ellipsis`, the end one column longer
    /// when they cannot be equal: for names that say something at both ends (`arn:aws:eks:…:cluster/prod`,
    /// `gke_shop-prod_…_payments`).
    public static func truncateMiddle(_ text: String, toWidth width: Int, ellipsis: String) -> String {
        guard width > 0 else { return "" }
        if CharacterWidth.of(text) <= width { return text }
        let room = width - CharacterWidth.of(ellipsis)
        guard room > 1 else { return truncate(text, toWidth: width, ellipsis: ellipsis) }
        let tail = suffix(text, width: (room + 1) / 2)
        return prefix(text, width: room - CharacterWidth.of(tail)) + ellipsis + tail
    }

    /// `text` cut in its middle so that it fits in `width` columns beside `others` columns of other text, but not
    /// below `floor` columns (what still does not fit is cut at its end when written); `text` itself when it fits.
    public static func truncateMiddle(
        _ text: String, besides others: Int, within width: Int, floor: Int, ellipsis: String
    ) -> String {
        truncateMiddle(text, toWidth: max(floor, width - others), ellipsis: ellipsis)
    }

    /// The longest suffix of `text` that fits in `width` columns.
    public static func suffix(_ text: String, width: Int) -> String {
        var used = 0
        var result: [Character] = []
        for character in text.reversed() {
            let w = CharacterWidth.of(character)
            if used + w > width { break }
            used += w
            result.append(character)
        }
        return String(result.reversed())
    }

    /// The longest prefix of `text` that fits in `width` columns.
    public static func prefix(_ text: String, width: Int) -> String {
        var used = 0
        var result = ""
        for character in text {
            let w = CharacterWidth.of(character)
            if used + w > width { break }
            used += w
            result.append(character)
        }
        return result
    }

    /// `text` padded with spaces (or truncated) to exactly `width` columns.
    public static func pad(_ text: String, toWidth width: Int, ellipsis: String) -> String {
        let fitted = truncate(text, toWidth: width, ellipsis: ellipsis)
        let missing = width - CharacterWidth.of(fitted)
        return missing > 0 ? fitted + String(repeating: " ", count: missing) : fitted
    }
}

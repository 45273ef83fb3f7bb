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

/// Durations as people type them on the command line: `90s`, `10m`, `1h` (a whole number and one unit).
public enum DurationText {
    /// The duration of `text`, nil when it is not a positive whole number of s, m or h.
    public static func parse(_ text: String) -> Duration? {
        guard let unit = text.last, let number = Int64(text.dropLast()), number > 0 else { return nil }
        switch unit {
        case "s": return .seconds(number)
        case "m": return .seconds(number * 60)
        case "h": return .seconds(number * 3600)
        default: return nil
        }
    }
}

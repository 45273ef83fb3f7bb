import Foundation
import Kube9Kit

/// Small text formats shared by the views.
public enum Formatting {
    /// `45s`, `5m 32s`, `2h 5m`, `3d 4h`.
    public static func uptime(from start: Date, to now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(start)))
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m \(seconds % 60)s" }
        if seconds < 86400 { return "\(seconds / 3600)h \(seconds % 3600 / 60)m" }
        return "\(seconds / 86400)d \(seconds % 86400 / 3600)h"
    }

    /// The forward's status as the tree shows it: `connected`, `reconnecting (attempt 2)`, …
    public static func status(_ record: ForwardRecord) -> String {
        if let onDemand = record.onDemandStatus { return onDemand }
        if record.status == .paused { return Messages.paused(reason: record.pausedReason) }
        if let prompt = record.loginPrompt { return record.status.rawValue + ": " + prompt }
        return record.status == .reconnecting ? Messages.reconnecting(attempt: max(1, record.reconnectAttempt)) : record.status.rawValue
    }

    /// `3 conns · last 12s ago · 146 B in, 4.1 KB out` (nil before the first connection); pure given `now`.
    public static func activity(_ record: ForwardRecord, now: Date, bullet: String = "·") -> String? {
        guard record.connectionCount > 0 else { return nil }
        var text = UIText.connections(record.connectionCount)
        if let last = record.lastConnectionTime {
            text += " \(bullet) " + UIText.lastConnection(uptime(from: last, to: now))
        }
        if let traffic = record.trafficText { text += " \(bullet) " + traffic }
        return text
    }

    /// The spinner frame for `now` (five frames a second).
    public static func spinner(_ frames: [String], at now: Date) -> String {
        guard !frames.isEmpty else { return "" }
        let step = Int((now.timeIntervalSince1970 * 5).rounded(.down))
        return frames[((step % frames.count) + frames.count) % frames.count]
    }

    /// Splits `text` into lines of at most `width` columns, at spaces where possible.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if CharacterWidth.of(candidate) <= width {
                current = candidate
                continue
            }
            if !current.isEmpty { lines.append(current) }
            var rest = word
            while CharacterWidth.of(rest) > width {
                let head = TextFitting.prefix(rest, width: width)
                if head.isEmpty { break }
                lines.append(head)
                rest = String(rest.dropFirst(head.count))
            }
            current = rest
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}

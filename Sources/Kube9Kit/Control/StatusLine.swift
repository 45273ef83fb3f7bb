import Foundation

/// `kube9 status`: the forwards of every instance counted into one line for tmux's `status-right`.
public struct StatusLine: Sendable, Equatable {
    /// The placeholders `--format` replaces.
    public static let placeholders = ["{connected}", "{failing}", "{total}", "{instances}"]

    public var connected: Int
    /// Reconnecting or in error.
    public var failing: Int
    public var total: Int
    /// kube9 processes that answered.
    public var instances: Int

    public init(forwards: [ControlForward], instances: Int) {
        connected = forwards.filter(\.isConnected).count
        failing = forwards.filter(\.isFailing).count
        total = forwards.count
        self.instances = instances
    }

    /// `⇄ 3`, `⇄ 2 !1` (or `format` with its placeholders replaced); empty when there is no forward, so that the
    /// status line stays clean.
    public func render(format: String?) -> String {
        guard total > 0 else { return "" }
        guard let format else { return "⇄ \(connected)" + (failing > 0 ? " !\(failing)" : "") }
        let values = [connected, failing, total, instances]
        var line = format
        for (placeholder, value) in zip(Self.placeholders, values) {
            line = line.replacingOccurrences(of: placeholder, with: String(value))
        }
        return line
    }
}

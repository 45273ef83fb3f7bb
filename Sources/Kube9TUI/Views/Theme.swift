import Kube9Kit

/// The styles the views use, in one place.
public enum Theme {
    public static let bar = CellStyle(reverse: true)
    public static let title = CellStyle(bold: true, reverse: true)
    public static let demo = CellStyle(foreground: .yellow, bold: true, reverse: true)
    public static let dim = CellStyle(dim: true)
    public static let bold = CellStyle(bold: true)
    public static let success = CellStyle(foreground: .green)
    public static let error = CellStyle(foreground: .red)
    public static let warning = CellStyle(foreground: .yellow)
    public static let badge = CellStyle(foreground: .yellow, bold: true)
    public static let match = CellStyle(foreground: .yellow, bold: true, underline: true)
    public static let border = CellStyle(foreground: .cyan)
    public static let field = CellStyle(underline: true)
    public static let focusedField = CellStyle(reverse: true)
    public static let selection = CellStyle(reverse: true)

    public static func phase(_ phase: PodPhase) -> CellStyle {
        switch phase {
        case .running: CellStyle(foreground: .green)
        case .pending: CellStyle(foreground: .yellow)
        case .succeeded: CellStyle(foreground: .blue)
        case .failed: CellStyle(foreground: .red)
        case .unknown: CellStyle(foreground: .magenta)
        }
    }

    public static func status(_ status: ForwardStatus) -> CellStyle {
        switch status {
        case .connected: CellStyle(foreground: .green)
        case .connecting, .reconnecting: CellStyle(foreground: .yellow)
        case .stopped: CellStyle(dim: true)
        case .error, .paused: CellStyle(foreground: .red)
        }
    }

    public static func message(_ kind: MessageLine.Kind) -> CellStyle {
        switch kind {
        case .success: success
        case .error: error
        case .info: .plain
        case .progress: warning
        }
    }
}

import Subprocess

/// How a child process ended.
public enum ProcessExit: Sendable, Equatable, Hashable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)
    /// The run ended without a status (cancelled while spawning, or the monitor failed).
    case unknown

    init(_ status: TerminationStatus) {
        switch status {
        case .exited(let code): self = .exited(code)
        case .signaled(let signal): self = .signaled(signal)
        }
    }

    public var isSuccess: Bool { self == .exited(0) }

    public var description: String {
        switch self {
        case .exited(let code): "exit \(code)"
        case .signaled(let signal): "signal \(signal)"
        case .unknown: "unknown exit"
        }
    }
}

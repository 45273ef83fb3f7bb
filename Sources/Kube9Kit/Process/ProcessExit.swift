/// How a child process ended.
public enum ProcessExit: Sendable, Equatable, Hashable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)
    /// The run ended without a status (cancelled while spawning, or the monitor failed).
    case unknown

    /// From `waitpid`'s status of a child that ended (WIFEXITED/WTERMSIG are C macros, out of Swift's reach:
    /// the low 7 bits are the signal, 0 for an exit whose code is the next 8 bits).
    public init(waitStatus status: Int32) {
        let signal = status & 0x7f
        self = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
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

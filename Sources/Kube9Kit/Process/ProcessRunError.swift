/// Why a child process could not be run to an answer.
public enum ProcessRunError: Error, Sendable, Equatable {
    /// The executable does not exist or is not executable.
    case executableNotFound(String)
    /// The deadline passed: the process was stopped (SIGTERM, then SIGKILL after 1 s).
    case timedOut
    /// The calling task was cancelled: the process was stopped.
    case cancelled
    case launchFailed(String)
}

/// Why a child process could not be run to an answer.
public enum ProcessRunError: Error, Sendable, Equatable {
    /// The executable (as asked for) could not be run, and why.
    case executableNotFound(String, ExecutableLocator.Missing)
    /// The deadline passed: the process was stopped (SIGTERM, then SIGKILL after 1 s).
    case timedOut
    /// The calling task was cancelled: the process was stopped.
    case cancelled
    case launchFailed(String)
}

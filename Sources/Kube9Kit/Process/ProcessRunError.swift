/// Why a child process could not be run to an answer.
public enum ProcessRunError: Error, Sendable, Equatable {
    /// The executable could not be run, and why: the name asked for when none was found, the file found (or
    /// given) when exec refused it.
    case executableNotFound(String, ExecutableLocator.Missing)
    /// The deadline passed: the process was stopped (SIGTERM, then SIGKILL after 1 s).
    case timedOut
    /// The calling task was cancelled: the process was stopped.
    case cancelled
    case launchFailed(String)
}

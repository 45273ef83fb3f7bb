import Logging

/// Loggers for the kube9-sim executable.
public enum KubeSimLog {
    /// A logger writing to standard error.
    public static func standardError(label: String = "kube9-sim", level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: label, factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = level
        return logger
    }
}

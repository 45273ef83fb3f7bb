import Foundation
import Logging

/// swift-log into a file (`$XDG_STATE_HOME/kube9/kube9.log`, else `~/.local/state/kube9/kube9.log`): what kube9
/// did, for bug reports. The UI owns the terminal, so nothing is ever logged there.
public struct FileLogHandler: LogHandler {
    /// One open log file, shared by every logger; each line is one `write` to an O_APPEND descriptor.
    public final class LogFile: Sendable {
        public let path: String
        private let fd: Int32

        public init?(path: String) {
            let directory = (path as NSString).deletingLastPathComponent
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return nil }
            self.path = path
            self.fd = fd
        }

        deinit { close(fd) }

        func append(_ line: String) {
            let bytes = Array(line.utf8)
            bytes.withUnsafeBytes { _ = write(fd, $0.baseAddress, $0.count) }
        }
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let file: LogFile

    public init(label: String, file: LogFile, level: Logger.Level = .info) {
        self.label = label
        self.file = file
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let details = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let stamp = ISO8601DateFormatter().string(from: Date())
        file.append("\(stamp) \(event.level) \(label): \(event.message)\(details)\n")
    }

    /// The default log path for `environment`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/kube9/kube9.log" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/kube9/kube9.log"
    }

    /// A logger writing to the default file (level from `KUBE9_LOG_LEVEL`, default info), or a silent one when
    /// the file cannot be opened.
    public static func makeLogger(label: String = "kube9") -> Logger {
        let environment = ProcessInfo.processInfo.environment
        let level = environment["KUBE9_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        guard let file = LogFile(path: defaultPath(environment: environment)) else {
            return Logger(label: label) { _ in SwiftLogNoOpLogHandler() }
        }
        return Logger(label: label) { name in FileLogHandler(label: name, file: file, level: level) }
    }
}

import Foundation

/// Finds an executable the way a shell would: a name with a `/` is taken as a path, a bare name is looked up
/// in PATH (the configured environment's PATH first, else the process's).
public enum ExecutableLocator {
    /// Why an executable could not be run, as far as the file system tells (``Messages/kubectlNotFound(_:missing:)``
    /// says it in words).
    public enum Missing: Sendable, Equatable {
        /// A bare name found in no directory of PATH.
        case notOnPath
        /// A bare name found on PATH only as this file, which is not executable.
        case notExecutableOnPath(String)
        case noSuchFile
        case directory
        case notExecutable
        /// A script whose `#!` interpreter does not exist (execve's ENOENT for a file that exists).
        case interpreterMissing(String)
        /// A script whose `#!` line ends in a carriage return (saved with Windows line ends): exec looks for an
        /// interpreter whose name ends in CR.
        case windowsLineEnds
        /// The file looks runnable, yet exec refused it.
        case cannotRun
    }

    public static func find(_ name: String, environment: [String: String] = [:]) -> String? {
        guard !name.isEmpty else { return nil }
        if name.contains("/") {
            return isExecutableFile(name) ? name : nil
        }
        for directory in searchPath(environment) {
            let candidate = "\(directory)/\(name)"
            if isExecutableFile(candidate) { return candidate }
        }
        return nil
    }

    /// Why `name` cannot be run: asked once ``find(_:environment:)`` found nothing, or exec failed on what it found.
    public static func missing(_ name: String, environment: [String: String] = [:]) -> Missing {
        guard name.contains("/") else {
            guard let found = find(name, environment: environment) else {
                let present = searchPath(environment).map { "\($0)/\(name)" }.first { FileManager.default.fileExists(atPath: $0) }
                return present.map { .notExecutableOnPath($0) } ?? .notOnPath
            }
            return missing(found)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: name, isDirectory: &isDirectory) else { return .noSuchFile }
        if isDirectory.boolValue { return .directory }
        guard access(name, X_OK) == 0 else { return .notExecutable }
        if let interpreter = interpreter(of: name), !FileManager.default.fileExists(atPath: interpreter) {
            return interpreter.hasSuffix("\r") ? .windowsLineEnds : .interpreterMissing(interpreter)
        }
        return .cannotRun
    }

    private static func searchPath(_ environment: [String: String]) -> [Substring] {
        let path = environment["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").filter { !$0.isEmpty }
    }

    /// The interpreter a `#!` line names (its first word), or nil for a file that does not start with `#!`.
    private static func interpreter(of path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 256), head.starts(with: Array("#!".utf8)) else { return nil }
        let line = head.dropFirst(2).prefix { $0 != UInt8(ascii: "\n") }
        return String(decoding: line, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init)
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return false
        }
        return access(path, X_OK) == 0
    }
}

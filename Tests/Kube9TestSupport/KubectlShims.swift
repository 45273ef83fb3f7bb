import Foundation

/// The ways a user's `kubectl` may reach the real one, each ending in `/usr/bin/kubectl` (gcloud's dispatcher,
/// which asks the server's version and execs `kubectl.1.<minor>`): passed to kube9 with `--kubectl`.
public enum KubectlKind: String, CaseIterable, Sendable, CustomStringConvertible {
    /// `/usr/bin/kubectl` itself.
    case dispatcher
    /// A shell script that runs `/usr/bin/kubectl "$@"` as its child, without exec, and waits (as asdf, mise and
    /// wrapper scripts do): the parent-death signal never reaches kubectl.
    case forkingShim
    /// A Python script that execs `/usr/bin/kubectl` from a thread other than the main one: the parent-death
    /// signal set on the main thread does not survive the exec.
    case threadExecShim

    public var description: String { rawValue }

    /// The path to pass as `--kubectl`; shims are written into `directory` (a test's temporary directory).
    public func install(in directory: String) async throws -> String {
        switch self {
        case .dispatcher:
            return SimHarness.kubectlPath
        case .forkingShim:
            return try Self.write(
                """
                #!/bin/sh
                # kubectl as a child of this shell (no exec), as wrapper scripts run it.
                \(SimHarness.kubectlPath) "$@"
                """, to: directory + "/kubectl-forking-shim")
        case .threadExecShim:
            return try Self.write(
                """
                #!\(try await Self.python())
                # Execs kubectl from a non-main thread: the thread becomes the process, its parent-death signal unset.
                import os, sys, threading
                def run():
                    os.execv("\(SimHarness.kubectlPath)", ["\(SimHarness.kubectlPath)"] + sys.argv[1:])
                threading.Thread(target=run).start()
                threading.Event().wait()
                """, to: directory + "/kubectl-thread-exec-shim")
        }
    }

    private static func write(_ script: String, to path: String) throws -> String {
        try (script + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        guard chmod(path, 0o755) == 0 else { throw TestSupportError("chmod \(path) failed") }
        return path
    }

    /// python3's own executable (not pyenv's shell shim in front of it), found on PATH.
    private static func python() async throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard
            let python3 = path.split(separator: ":").map({ "\($0)/python3" }).first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else { throw TestSupportError("python3 not found on PATH \(path)") }
        let result = try await runProcess([python3, "-c", "import sys; print(sys.executable)"], timeout: .seconds(30))
        let executable = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.status == 0, executable.hasPrefix("/") else { throw TestSupportError("python3: \(result)") }
        return executable
    }
}

import Foundation
import KubeSim
import Synchronization

/// An in-process kube9-sim for one test, with its own kubeconfig and its own `HOME` for kubectl (its discovery
/// cache), and every process it spawned killed on shutdown.
public struct SimHarness: Sendable {
    public let server: KubeSimServer
    /// Inside a fresh temporary directory.
    public let kubeconfigPath: String
    /// A fresh HOME for kubectl.
    public let home: String
    /// The temporary directory holding the kubeconfig and HOME.
    public let directory: String
    private let spawned: SpawnRegistry

    public static let kubectlPath = KubectlBinaries.dispatcher

    /// Starts the scenario given as JSON, or the demo cluster when nil. `tls` overrides the scenario's default
    /// (false for tests that speak raw HTTP to the API port).
    public static func start(scenarioJSON: String? = nil, tls: Bool? = nil) async throws -> SimHarness {
        try await start(scenario: scenario(scenarioJSON, tls: tls))
    }

    static func scenario(_ json: String?, tls: Bool?) throws -> Scenario {
        var scenario = try json.map(Scenario.decode(json:)) ?? Scenario.demo
        if let tls { scenario.tls = tls }
        return scenario
    }

    public static func start(scenario: Scenario) async throws -> SimHarness {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("kube9-test-\(UUID().uuidString.prefix(8))").path
        let home = directory + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let kubeconfigPath = directory + "/kubeconfig"
        do {
            let server = try await KubeSimServer.start(scenario: scenario, kubeconfigPath: kubeconfigPath)
            return SimHarness(server: server, kubeconfigPath: kubeconfigPath, home: home, directory: directory, spawned: SpawnRegistry())
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// Runs `body` with a fresh harness and shuts it down afterwards, whether `body` throws or not.
    public static func with<T: Sendable>(
        scenarioJSON: String? = nil, tls: Bool? = nil, _ body: (SimHarness) async throws -> T
    ) async throws -> T {
        try await with(scenario: scenario(scenarioJSON, tls: tls), body)
    }

    /// Runs `body` with a fresh harness for `scenario` and shuts it down afterwards.
    public static func with<T: Sendable>(scenario: Scenario, _ body: (SimHarness) async throws -> T) async throws -> T {
        let harness = try await start(scenario: scenario)
        do {
            let result = try await body(harness)
            await harness.shutdown()
            return result
        } catch {
            await harness.shutdown()
            throw error
        }
    }

    /// Starts `kubectl port-forward TARGET :REMOTE` (kubectl picks the local port) and waits for its
    /// `Forwarding from 127.0.0.1:L` line; returns the process and L. `kubectl` picks the binary (default the
    /// dispatcher), `extraArgs` go after the mapping (e.g. `-v=7`).
    public func startPortForward(
        _ target: String, remotePort: Int, namespace: String? = nil, context: String? = nil,
        kubectl: String = SimHarness.kubectlPath, extraArgs: [String] = [], timeout: Duration = .seconds(30)
    ) async throws -> (process: SpawnedProcess, localPort: Int) {
        var args = ["port-forward", target, ":\(remotePort)"]
        if let namespace { args += ["-n", namespace] }
        if let context { args += ["--context", context] }
        let process = try spawnKubectl(args + extraArgs, binary: kubectl)
        let line = try await process.waitForLine(containing: "Forwarding from 127.0.0.1:", in: .stdout, timeout: timeout)
        let afterColon = line.split(separator: "127.0.0.1:", maxSplits: 1).last ?? ""
        guard let port = Int(afterColon.prefix { $0.isNumber }) else {
            throw TestSupportError("cannot read the local port from \"\(line)\"")
        }
        return (process, port)
    }

    /// HOME and KUBECONFIG for kubectl; PATH kept.
    public var kubectlEnvironment: [String: String] {
        var environment = ["HOME": home, "KUBECONFIG": kubeconfigPath]
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return environment
    }

    /// Runs `kubectl --kubeconfig KUBECONFIG args...` (the dispatcher unless `binary` names another kubectl) to
    /// completion (killed at the deadline).
    public func kubectl(
        _ args: [String], binary: String = SimHarness.kubectlPath, timeout: Duration = .seconds(30)
    ) async throws -> ProcessResult {
        let process = try spawnKubectl(args, binary: binary)
        do {
            return try await process.waitForExit(timeout: timeout)
        } catch {
            process.kill()
            _ = try? await process.waitForExit(timeout: .seconds(5))
            throw error
        }
    }

    /// Starts a long-running kubectl (e.g. `port-forward`); it is killed by `shutdown()` if still running.
    public func spawnKubectl(_ args: [String], binary: String = SimHarness.kubectlPath) throws -> SpawnedProcess {
        let process = try SpawnedProcess.start(
            argv: [binary, "--kubeconfig", kubeconfigPath] + args, env: kubectlEnvironment)
        spawned.add(process)
        return process
    }

    /// Kills spawned processes still running, stops the server, removes the temporary directory.
    public func shutdown() async {
        for process in spawned.all() where process.isRunning {
            process.kill()
            _ = try? await process.waitForExit(timeout: .seconds(5))
        }
        await server.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// The processes a harness started.
final class SpawnRegistry: Sendable {
    private let processes = Mutex<[SpawnedProcess]>([])
    func add(_ process: SpawnedProcess) { processes.withLock { $0.append(process) } }
    func all() -> [SpawnedProcess] { processes.withLock { $0 } }
}

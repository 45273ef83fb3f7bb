import Foundation
import Glibc
import KubeSim
import Testing

@testable import Kube9Kit

/// One in-process kube9-sim for one test, with its own HOME (kubectl's discovery cache) and kubeconfig.
struct KitSim: Sendable {
    let server: KubeSimServer
    let home: String

    /// Starts a sim for `scenarioJSON`, runs `body`, and always shuts the sim down and removes HOME.
    static func with(_ scenarioJSON: String, _ body: (KitSim) async throws -> Void) async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kube9-kit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let server = try await KubeSimServer.start(
            scenario: try Scenario.decode(json: scenarioJSON), kubeconfigPath: home + "/kubeconfig")
        let sim = KitSim(server: server, home: home)
        do {
            try await body(sim)
        } catch {
            await sim.close()
            throw error
        }
        await sim.close()
    }

    private func close() async {
        await server.shutdown()
        try? FileManager.default.removeItem(atPath: home)
    }

    var kubeconfigPath: String { server.kubeconfigPath }

    var configuration: KubectlConfiguration {
        KubectlConfiguration(
            kubectlPath: "kubectl", kubeconfig: kubeconfigPath, environment: ["HOME": home, "KUBECONFIG": kubeconfigPath])
    }

    func manager(connectTimeout: Duration = .seconds(10)) -> PortForwardManager {
        PortForwardManager(configuration: configuration, logger: ProcessRunner.silentLogger, connectTimeout: connectTimeout)
    }

    func request(_ pod: String, local: Int, remote: Int, namespace: String = "default") -> ForwardRequest {
        ForwardRequest(context: "dev", namespace: namespace, podName: pod, localPort: local, remotePort: remote)
    }

    func deletePod(namespace: String, name: String, context: String = "dev") async throws {
        await server.deletePod(context: context, namespace: namespace, name: name)
    }

    /// `GET /` through a forwarded local port (curl; the pod answers with its identity).
    func httpBody(port: Int) async throws -> String {
        let result = try await ProcessRunner().collect(
            executable: "curl", arguments: ["-sS", "--max-time", "5", "http://127.0.0.1:\(port)/"], timeout: .seconds(8))
        return String(decoding: result.standardOutput, as: UTF8.self)
    }

    /// kubectl processes of this test still alive (found by the test's unique kubeconfig path).
    func leftoverProcesses() -> [(pid: Int32, commandLine: String)] {
        ProcessTable.processes(containing: kubeconfigPath)
    }
}

/// A local port free on 127.0.0.1 and ::1 right now (the kernel's pick, released at once).
func freeLocalPort() throws -> Int {
    for _ in 0..<50 {
        let port = try HeldPort().port
        if LocalPortProbe().availability(of: port) == .free { return port }
    }
    throw POSIXError(.EADDRINUSE)
}

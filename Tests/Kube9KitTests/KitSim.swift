import Foundation
import Glibc
import Synchronization
import Kube9TestSupport
import KubeSim
import Testing

@testable import Kube9Kit

/// One in-process kube9-sim for one test (the shared ``SimHarness``: its own HOME and kubeconfig), with what the
/// manager tests need from it.
struct KitSim: Sendable {
    let harness: SimHarness

    /// Starts a sim for `scenarioJSON`, runs `body`, and always shuts the sim down.
    static func with(_ scenarioJSON: String, _ body: (KitSim) async throws -> Void) async throws {
        try await SimHarness.with(scenarioJSON: scenarioJSON) { harness in
            try await body(KitSim(harness: harness))
        }
    }

    var server: KubeSimServer { harness.server }
    var home: String { harness.home }
    var kubeconfigPath: String { harness.kubeconfigPath }

    var configuration: KubectlConfiguration {
        // Generous read deadline: tests about deadlines set their own; the others must not fail on a busy machine.
        KubectlConfiguration(
            kubectlPath: "kubectl", kubeconfig: kubeconfigPath, environment: harness.kubectlEnvironment,
            requestTimeout: .seconds(30))
    }

    func manager(connectTimeout: Duration = .seconds(30)) -> PortForwardManager {
        PortForwardManager(configuration: configuration, logger: ProcessRunner.silentLogger, connectTimeout: connectTimeout)
    }

    func request(_ pod: String, local: Int, remote: Int, namespace: String = "default", heals: Bool = true) -> ForwardRequest {
        ForwardRequest(
            context: "dev", namespace: namespace, name: pod, localPort: local, remotePort: remote, heals: heals)
    }

    func deletePod(namespace: String, name: String, context: String = "dev") async throws {
        await server.deletePod(context: context, namespace: namespace, name: name)
    }

    /// `GET /` through a forwarded local port (the pod answers with its identity).
    func httpBody(port: Int) async throws -> String {
        try await httpGet(port: port, timeout: .seconds(5)).body
    }

    /// The namespace watches (`kubectl get --raw …/pods?watch=1…`) of this test.
    func watchProcessIDs() -> Set<Int32> {
        Set(leftoverProcesses().filter { $0.commandLine.contains("watch=1") }.map(\.pid))
    }

    /// Drops the `default` namespace's watch streams until a new watch process replaces `first` (up to 5 tries).
    func dropWatchesUntilRestarted(replacing first: Set<Int32>) async -> Bool {
        for _ in 0..<5 {
            await server.dropWatches(context: "dev", namespace: "default")
            let replaced = await pollUntil(timeout: .seconds(3)) {
                let now = watchProcessIDs()
                return now.count == 1 && now != first
            }
            if replaced { return true }
        }
        return false
    }

    /// kubectl processes of this test still alive (found by the test's unique kubeconfig path).
    func leftoverProcesses() -> [(pid: Int32, commandLine: String)] {
        ProcessTable.processes(containing: kubeconfigPath)
    }
}


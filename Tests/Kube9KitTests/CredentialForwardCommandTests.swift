import Foundation
import Glibc
import Kube9TestSupport
import Testing

@testable import Kube9Kit

extension KubectlIntegration {
    /// `kube9 forward` (the real binary, the real kubectl, kube9-sim) when credentials ask for a login or fail
    /// while it runs.
    @Suite(.serialized) struct CredentialForwardCommandTests {
        typealias LoginPlugin = LoginPromptIntegrationTests.LoginPlugin
        typealias TokenPlugin = CredentialPauseIntegrationTests.TokenPlugin

        static func forward(_ sim: KitSim, port: Int) throws -> SpawnedProcess {
            try SpawnedProcess.start(
                argv: [ForwardCommandTests.kube9Binary, "forward", "--kubeconfig", sim.kubeconfigPath, "--context", "secure",
                       "-n", "apps", "pod/echo-0", "\(port):7000"],
                env: sim.harness.kubectlEnvironment)
        }

        @Test func theLoginPromptIsPrintedAtOnceAndTheForwardWaitsForTheLogin() async throws {
            let plugin = try LoginPlugin()
            defer { plugin.remove() }
            try await KitSim.with(plugin.scenario) { sim in
                let port = freeTCPPort()
                let started = ContinuousClock.now
                let forward = try Self.forward(sim, port: port)
                defer { forward.kill() }
                let line = try await forward.waitForLine(containing: "Log in for context", in: .stderr, timeout: .seconds(60))
                #expect(line == "Log in for context 'secure': \(LoginPromptIntegrationTests.prompt)")
                #expect(ContinuousClock.now - started < .seconds(10), "printed \(ContinuousClock.now - started) after the start")
                try await Task.sleep(until: started + .seconds(11), clock: .continuous)
                plugin.approve()
                _ = try await forward.waitForLine(containing: "Port forward established", in: .stdout, timeout: .seconds(60))
                #expect(try await sim.httpBody(port: port) == "kube9-sim secure/apps/echo-0:7000\n")
                forward.interrupt()
                let result = try await forward.waitForExit(timeout: .seconds(20))
                #expect(result.status == 0, "\(result)")
                #expect(result.stderr.components(separatedBy: "Log in for context").count == 2, "printed once: \(result.stderr)")
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty && plugin.running.isEmpty })
            }
        }

        @Test func expiredCredentialsEndTheForwardWithTheReasonOnce() async throws {
            let plugin = try TokenPlugin()
            defer { plugin.remove() }
            try await KitSim.with(plugin.scenario) { sim in
                let port = freeTCPPort()
                let forward = try Self.forward(sim, port: port)
                defer { forward.kill() }
                _ = try await forward.waitForLine(containing: "Port forward established", in: .stdout, timeout: .seconds(60))
                #expect(try await sim.httpBody(port: port) == "kube9-sim secure/apps/echo-0:7000\n")
                try plugin.use("stale-token")
                let kubectl = sim.leftoverProcesses().filter { $0.commandLine.contains("port-forward") }
                #expect(kubectl.count == 1, "\(kubectl)")
                for process in kubectl { kill(process.pid, SIGKILL) }
                let result = try await forward.waitForExit(timeout: .seconds(60))
                #expect(result.status == 1, "\(result)")
                let reason = "Authentication failed for context 'secure': "
                #expect(result.stderr.components(separatedBy: reason).count == 2, "said once: \(result.stderr)")
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }
    }
}

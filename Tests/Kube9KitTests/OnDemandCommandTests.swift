import Foundation
import Glibc
import Testing

@testable import Kube9Kit
import Kube9TestSupport

extension KubectlIntegration {
    /// `kube9 forward --on-demand` and `kube9 up` with on-demand saved forwards: the built binary, the real kubectl.
    @Suite(.serialized) struct OnDemandCommandTests {
        /// The kubectl processes of this test (kube9 itself carries the kubeconfig path too).
        func kubectls(_ sim: KitSim) -> [(pid: Int32, commandLine: String)] {
            sim.leftoverProcesses().filter { !$0.commandLine.hasPrefix(ForwardCommandTests.kube9Binary) }
        }

        @Test func forwardOnDemandListensWithoutKubectlServesAndStopsKubectlWhenIdle() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let port = freeTCPPort()
                let pending = freeTCPPort()
                let command = try await ForwardCommandTests().launch(
                    sim, ["--on-demand", "--idle-timeout", "2s", "pod/web-0", "\(port):80"])
                #expect(await command.read(until: "Port forward established: localhost:\(port) → default/web-0:80"), "\(command.stderr)")
                #expect(ProcessTable.children(of: command.process.processID).isEmpty, "no kubectl before use")
                #expect(try await sim.httpBody(port: port) == "kube9-sim dev/default/web-0:80\n")
                #expect(!kubectls(sim).isEmpty)
                #expect(await pollUntil(timeout: .seconds(15)) { kubectls(sim).isEmpty }, "left: \(kubectls(sim))")
                #expect(try await sim.httpBody(port: port) == "kube9-sim dev/default/web-0:80\n")
                kill(command.process.processID, SIGINT)
                await command.drain()
                #expect(await command.process.waitForExit() == .exited(0), "\(command.stderr)")
                #expect(await pollUntil(timeout: .seconds(2)) { sim.leftoverProcesses().isEmpty })

                // A failed first use is said on stderr; the command keeps listening.
                let failing = try await ForwardCommandTests().launch(sim, ["--on-demand", "pod/pending-0", "\(pending):80"])
                #expect(await failing.read(until: "Port forward established: localhost:\(pending)"), "\(failing.stderr)")
                await #expect(throws: (any Error).self) { try await httpGet(port: pending, timeout: .seconds(30)) }
                let message = "Cannot port forward: Pod 'pending-0' is not in Running state (current: Pending)"
                #expect(await failing.read(until: message), "\(failing.stderr)")
                #expect(LocalPortProbe().availability(of: pending) != .free)
                kill(failing.process.processID, SIGINT)
                await failing.drain()
                #expect(await failing.process.waitForExit() == .exited(0), "\(failing.stderr)")
                #expect(await pollUntil(timeout: .seconds(2)) { sim.leftoverProcesses().isEmpty })
            }
        }

        @Test func anIdleTimeoutWithoutOnDemandOrUnreadableIsAUsageError() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                for arguments in [["--idle-timeout", "10m"], ["--on-demand", "--idle-timeout", "10 minutes"]] {
                    let command = try await ForwardCommandTests().launch(sim, arguments + ["pod/web-0", "\(freeTCPPort()):80"])
                    await command.drain()
                    #expect(await command.process.waitForExit() == .exited(64), "\(arguments): \(command.stderr)")
                }
            }
        }

        @Test func upHoldsOnDemandSavedForwardsWithoutKubectlUntilUsed() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let web = freeTCPPort()
                var saved = SavedForward(context: "dev", namespace: "default", name: "web-0", localPort: web, remotePort: 80)
                saved.setOnDemand(true)
                let up = UpCommandTests()
                let config = try up.configFolder(sim, saving: [saved])
                let command = try await up.launch(sim, config: config, [])
                #expect(await command.read(until: "kube9 up: 1 forward(s) active"), "\(command.stdout) \(command.stderr)")
                #expect(kubectls(sim).isEmpty, "no kubectl before use")
                #expect(try await sim.httpBody(port: web) == "kube9-sim dev/default/web-0:80\n")
                kill(command.process.processID, SIGINT)
                await command.drain()
                #expect(await command.process.waitForExit() == .exited(0), "\(command.stderr)")
                #expect(await pollUntil(timeout: .seconds(2)) { sim.leftoverProcesses().isEmpty })
            }
        }
    }
}

/// forwards.json carries `onDemand` and `idleTimeout` only when they differ from an eager, default forward.
@Suite struct SavedOnDemandTests {
    @Test func onDemandFieldsAreWrittenOnlyWhenSetAndOlderFilesLoad() throws {
        var saved = SavedForward(context: "dev", namespace: "default", name: "web-0", localPort: 8081, remotePort: 80)
        let eager = String(decoding: try JSONEncoder().encode(saved), as: UTF8.self)
        #expect(!eager.contains("onDemand") && !eager.contains("idleTimeout"))
        saved.setOnDemand(true)
        let plain = String(decoding: try JSONEncoder().encode(saved), as: UTF8.self)
        #expect(plain.contains("\"onDemand\":true") && !plain.contains("idleTimeout"))
        saved.setOnDemand(true, idleTimeout: .seconds(90))
        let timed = String(decoding: try JSONEncoder().encode(saved), as: UTF8.self)
        #expect(timed.contains("\"idleTimeout\":90"))
        let request = try JSONDecoder().decode(SavedForward.self, from: Data(timed.utf8)).request()
        #expect(request.onDemand && request.idleTimeout == .seconds(90))

        let older = #"{"context":"dev","namespace":"default","kind":"pod","name":"web-0","localPort":8081,"remotePort":80,"address":"localhost"}"#
        let loaded = try JSONDecoder().decode(SavedForward.self, from: Data(older.utf8)).request()
        #expect(!loaded.onDemand && loaded.idleTimeout == ForwardRequest.defaultIdleTimeout)
    }
}

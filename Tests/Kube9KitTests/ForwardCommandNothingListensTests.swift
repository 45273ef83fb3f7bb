import Foundation
import Glibc
import Kube9TestSupport
import Testing

@testable import Kube9Kit

extension KubectlIntegration.ForwardCommandTests {
    /// Issue 14: `kube9 forward` to a port nothing listens on in the pod says so on stderr once, whatever the
    /// number of connections, and keeps forwarding until stopped.
    @Test func aPortNobodyListensOnIsSaidOnceOnStderrAfterThreeConnections() async throws {
        let scenario = NothingListensIntegrationTests.scenario(minor: 33, protocols: [.websocket, .spdy])
        try await KitSim.with(scenario) { sim in
            let port = freeTCPPort()
            let command = try await launch(sim, ["--context", "dev", "pod/db-0", "\(port):5432"])
            #expect(await command.read(until: "Port forward established: localhost:\(port) → default/db-0:5432"), "\(command.stderr)")
            for _ in 0..<3 {
                #expect(try await tcpClosedUnanswered(port: port, sending: Array("ping".utf8), timeout: .seconds(60)))
            }
            let message = "Nothing listens on port 5432 in pod default/db-0"
            #expect(await command.read(until: message, timeout: .seconds(30)), "\(command.stderr)")
            kill(command.process.processID, SIGINT)
            await command.drain()
            #expect(await command.process.waitForExit() == .exited(0))
            #expect(command.stderr == message + "\n", "exactly once: \(command.stderr)")
            #expect(!command.stdout.contains(message))
            #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
        }
    }
}

import Foundation
import Kube9TestSupport
import KubeSim
import Testing

@testable import Kube9Kit

/// Issue 14 with real kubectl against kube9-sim: a container port nobody listens on. Every kubectl on this machine
/// (1.20 keeps running, 1.27 and later exit) over the protocols it speaks: the person is told once, each connection
/// is closed, the forward and its listener stay.
@Suite struct NothingListensIntegrationTests {
    enum Binary: String, Sendable, CustomStringConvertible {
        case dispatcher, debian120, v137
        var description: String { rawValue }
        func path() throws -> String {
            switch self {
            case .dispatcher: KubectlBinaries.dispatcher
            case .debian120: try KubectlBinaries.debian120()
            case .v137: try KubectlBinaries.v137()
            }
        }
    }

    struct Case: Sendable, CustomStringConvertible {
        var binary: Binary
        var minor: Int
        /// The server's port-forward protocols; `websocket` when kubectl must take the WebSocket tunnel.
        var protocols: [PortForwardProtocol]
        var description: String { "\(binary) server 1.\(minor) \(protocols.map(\.rawValue).joined(separator: "+"))" }
    }

    static let cases: [Case] = [
        Case(binary: .dispatcher, minor: 27, protocols: [.spdy]),
        Case(binary: .dispatcher, minor: 30, protocols: [.spdy]),
        Case(binary: .dispatcher, minor: 31, protocols: [.websocket, .spdy]),
        Case(binary: .dispatcher, minor: 31, protocols: [.spdy]),
        Case(binary: .dispatcher, minor: 33, protocols: [.websocket, .spdy]),
        Case(binary: .dispatcher, minor: 33, protocols: [.spdy]),
        Case(binary: .debian120, minor: 33, protocols: [.spdy]),
        Case(binary: .v137, minor: 33, protocols: [.websocket, .spdy]),
        Case(binary: .v137, minor: 33, protocols: [.spdy]),
    ]

    static func scenario(minor: Int, protocols: [PortForwardProtocol]) -> String {
        let list = protocols.map { "\"\($0.rawValue)\"" }.joined(separator: ",")
        return #"""
            {"contexts":[{"name":"dev","namespace":"default","kubectlMinor":\#(minor),"portForwardProtocols":[\#(list)],
              "namespaces":[{"name":"default","pods":[{"name":"db-0","containers":[{"name":"db",
                "ports":[{"containerPort":5432,"listening":false}]}]}]}]}]}
            """#
    }

    @Test(.timeLimit(.minutes(3)), arguments: cases)
    func aPortNobodyListensOnIsToldOnceAndTheForwardStays(_ test: Case) async throws {
        try await KitSim.with(Self.scenario(minor: test.minor, protocols: test.protocols)) { sim in
            let configuration = KubectlConfiguration(
                kubectlPath: try test.binary.path(), kubeconfig: sim.kubeconfigPath,
                environment: sim.harness.kubectlEnvironment, requestTimeout: .seconds(30))
            let manager = PortForwardManager(
                configuration: configuration, logger: ProcessRunner.silentLogger, connectTimeout: .seconds(45))
            let events = EventRecorder(manager.events())
            let local = freeTCPPort()
            let record = try await manager.startForward(sim.request("db-0", local: local, remote: 5432))
            for _ in 0..<3 {
                // Closed by kubectl (or its end), not answered: nothing listens in the pod.
                #expect(try await tcpClosedUnanswered(port: local, sending: Array("ping".utf8), timeout: .seconds(60)))
            }
            let told = Notice(.warning, "Nothing listens on port 5432 in pod default/db-0")
            #expect(await events.waitFor(timeout: .seconds(30)) { $0 == .notice(told) })
            #expect(await events.notices == [told], "once, whatever the number of connections")
            #expect(await manager.forwards().map(\.id) == [record.id])
            #expect(await events.removedIDs.isEmpty)
            let upgrades = sim.server.portForwardUpgrades(context: "dev")
            if test.protocols.contains(.websocket) {
                #expect(upgrades[.websocket, default: 0] >= 1, "\(upgrades)")
            } else {
                #expect(upgrades[.spdy, default: 0] >= 1 && upgrades[.websocket, default: 0] == 0, "\(upgrades)")
            }
            // The listener is still kube9's: a fourth connection is taken (and closed the same way).
            #expect(try await tcpClosedUnanswered(port: local, sending: [], timeout: .seconds(60)))
            await manager.stopAllForwards()
            #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
        }
    }
}

import Kube9TestSupport
import Foundation
import Glibc
import Testing

@testable import Kube9Kit

extension KubectlIntegration {
    /// Forwards that heal (issue 7): kubectl ending while the pod is still there is restarted with backoff.
    @Suite(.serialized) struct ManagerHealingTests {
        @Test func backoffIsOneTwoFourCappedAtThirty() {
            #expect((1...7).map { PortForwardManager.reconnectDelay(attempt: $0) }
                == [1, 2, 4, 8, 16, 30, 30].map { Duration.seconds($0) })
        }

        @Test func theAPIGoingDownAndUpReconnectsOnTheSamePort() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let events = EventRecorder(manager.events())
                let port = freeTCPPort()
                let record = try await manager.startForward(sim.request("web-0", local: port, remote: 80))
                await sim.server.setAPIAvailable(context: "dev", false)
                #expect(await events.waitFor(timeout: .seconds(15)) { event in
                    if case .updated(let r) = event { r.status == .reconnecting && r.reconnectAttempt >= 1 } else { false }
                })
                await sim.server.setAPIAvailable(context: "dev", true)
                let reconnected = await pollUntil(timeout: .seconds(30)) {
                    await manager.forwards().first?.status == .connected
                }
                #expect(reconnected)
                let healed = try #require(await manager.forwards().first)
                #expect(healed.id == record.id && healed.localPort == port && healed.reconnectAttempt == 0)
                #expect(healed.processId != record.processId)
                #expect(try await sim.httpBody(port: port) == "kube9-sim dev/default/web-0:80\n")
                #expect(await events.removedIDs.isEmpty)
                await manager.stopAllForwards()
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func kubectlKilledFromOutsideIsRestarted() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let port = freeTCPPort()
                let record = try await manager.startForward(sim.request("web-0", local: port, remote: 80))
                kill(try #require(record.processId), SIGKILL)
                #expect(await pollUntil(timeout: .seconds(15)) {
                    guard let now = await manager.forwards().first else { return false }
                    return now.status == .connected && now.processId != record.processId
                })
                #expect(try await sim.httpBody(port: port) == "kube9-sim dev/default/web-0:80\n")
                await manager.stopAllForwards()
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func stoppingDuringTheBackoffEndsItCleanly() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let events = EventRecorder(manager.events())
                let record = try await manager.startForward(sim.request("web-0", local: freeTCPPort(), remote: 80))
                await sim.server.setAPIAvailable(context: "dev", false)
                #expect(await pollUntil(timeout: .seconds(15)) { await manager.forwards().first?.status == .reconnecting })
                try await manager.stopForward(id: record.id)
                #expect(await manager.forwards().isEmpty)
                #expect(await events.waitFor { if case .removed(let r) = $0 { r.id == record.id && r.status == .stopped } else { false } })
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
                await sim.server.setAPIAvailable(context: "dev", true)
            }
        }

        static let replicated = #"""
            {"contexts": [{"name": "dev", "namespaces": [{"name": "default", "pods": [
                {"name": "web-5d8f7-abcde", "phase": "Running", "replaceOnDelete": true, "labels": {"app": "web"},
                 "containers": [{"name": "main", "ports": [{"containerPort": 80, "name": "http"}]}]}]}]}]}
            """#

        @Test func aDeletedPodOfAControllerIsFollowedToItsReplacementOnTheSamePort() async throws {
            try await KitSim.with(Self.replicated) { sim in
                let manager = sim.manager()
                let events = EventRecorder(manager.events())
                let local = freeTCPPort()
                let record = try await manager.startForward(sim.request("web-5d8f7-abcde", local: local, remote: 80))
                // The manager learns the pod's controller from its namespace watch (opened once connected).
                #expect(await pollUntil(timeout: .seconds(10)) { sim.server.podWatchCount(context: "dev", namespace: "default") > 0 })
                try await sim.deletePod(namespace: "default", name: "web-5d8f7-abcde")
                #expect(await events.waitFor(timeout: .seconds(15)) {
                    if case .notice(let notice) = $0 { notice.text.hasPrefix("Port forward moved to default/web-5d8f7-") } else { false }
                })
                #expect(await events.waitFor(timeout: .seconds(15)) {
                    if case .updated(let r) = $0 { r.id == record.id && r.status == .connected && r.target.name != record.target.name } else { false }
                })
                let moved = try #require(await manager.forwards().first)
                #expect(moved.id == record.id && moved.localPort == local && moved.target.name.hasPrefix("web-5d8f7-"))
                #expect(try await sim.httpBody(port: local) == "kube9-sim dev/default/\(moved.target.name):80\n")
                await manager.stopAllForwards()
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func aDeletedPodWithoutControllerStillEndsWithTheDeletedMessage() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let events = EventRecorder(manager.events())
                let record = try await manager.startForward(sim.request("web-0", local: freeTCPPort(), remote: 80))
                try await sim.deletePod(namespace: "default", name: "web-0")
                #expect(await events.waitFor(timeout: .seconds(15)) { $0 == .notice(Notice(.info, "Port forward stopped: Pod 'web-0' was deleted")) })
                #expect(await events.waitFor { if case .removed(let r) = $0 { r.id == record.id } else { false } })
                #expect(await manager.forwards().isEmpty)
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }
    }
}

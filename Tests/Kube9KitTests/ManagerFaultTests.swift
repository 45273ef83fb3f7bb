import Kube9TestSupport
import Foundation
import Glibc
import Testing

@testable import Kube9Kit

extension KubectlIntegration {
    /// Faults while forwards run (issue 5's cases that land on the manager), real kubectl against kube9-sim.
    @Suite(.serialized) struct ManagerFaultTests {
        @Test func aDroppedWatchIsReestablishedAndStillSeesDeletions() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let events = EventRecorder(manager.events())
                let record = try await manager.startForward(sim.request("web-0", local: freeTCPPort(), remote: 80))
                #expect(await pollUntil { sim.watchProcessIDs().count == 1 })
                let first = sim.watchProcessIDs()
                // The watch process may still be in discovery when first dropped: drop until its stream is cut.
                let restarted = await sim.dropWatchesUntilRestarted(replacing: first)
                #expect(restarted, "watch not restarted")
                #expect(await manager.forwards().map(\.status) == [.connected])
                try await sim.deletePod(namespace: "default", name: "web-0")
                #expect(await events.waitFor { $0 == .notice(Notice(.info, "Port forward stopped: Pod 'web-0' was deleted")) })
                #expect(await events.waitFor { if case .removed(let r) = $0 { r.id == record.id } else { false } })
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func theAPIGoingDownEndsEveryForwardWithTheConnectivityMessageWithoutHealing() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let events = EventRecorder(manager.events())
                let web = try await manager.startForward(sim.request("web-0", local: freeTCPPort(), remote: 80, heals: false))
                let api = try await manager.startForward(sim.request("api-0", local: freeTCPPort(), remote: 8080, heals: false))
                await sim.server.setAPIAvailable(context: "dev", false)
                let message = Notice(.error, "Connection failed: Unable to reach pod. Check cluster connectivity.")
                let bothRemoved = await pollUntil(timeout: .seconds(15)) {
                    await events.removedIDs.sorted() == [api.id, web.id].sorted()
                }
                let removed = await events.removedIDs
                #expect(bothRemoved, "removed: \(removed)")
                #expect(await events.notices == [message, message])
                #expect(await manager.forwards().isEmpty)
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func kubectlThatNeverConnectsIsKilledAtTheDeadline() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                // The pod check passes at full speed; the moment the record is added (just before kubectl is spawned)
                // the API turns slow, so the real kubectl port-forward never prints `Forwarding from`.
                let manager = sim.manager(connectTimeout: .seconds(2))
                let stream = manager.events()
                let slowDown = Task {
                    var processID: Int32?
                    for await event in stream {
                        if case .added = event { await sim.server.setLatency(context: "dev", milliseconds: 20000) }
                        if case .updated(let record) = event, let pid = record.processId { processID = pid }
                        if case .removed = event { return processID }
                    }
                    return processID
                }
                let started = ContinuousClock.now
                await #expect(throws: KubeError(.timedOut, "Port forward connection timed out. Check pod logs and try again.")) {
                    try await manager.startForward(sim.request("web-0", local: freeTCPPort(), remote: 80))
                }
                let elapsed = ContinuousClock.now - started
                #expect(elapsed >= .seconds(2) && elapsed < .seconds(8), "took \(elapsed)")
                let pid = try #require(await slowDown.value)
                #expect(!ProcessTable.isAlive(pid))
                #expect(await manager.forwards().isEmpty)
                await sim.server.setLatency(context: "dev", milliseconds: 0)
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func aForwardOutlivesIdleWorkerThreads() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                // The parent-death signal fires when the forking *thread* exits. Worker threads of the concurrency
                // pool come and go; kubectl must not: it is forked from swift-subprocess's long-lived thread.
                let manager = sim.manager()
                let record = try await manager.startForward(sim.request("web-0", local: freeTCPPort(), remote: 80))
                let pid = try #require(record.processId)
                for _ in 0..<8 {
                    let thread = Thread { _ = (0..<1000).reduce(0, +) }
                    thread.start()
                }
                try await Task.sleep(for: .seconds(6))
                #expect(ProcessTable.isAlive(pid))
                #expect(try await sim.httpBody(port: record.localPort) == "kube9-sim dev/default/web-0:80\n")
                #expect(await manager.forwards().map(\.status) == [.connected])
                await manager.stopAllForwards()
                #expect(sim.leftoverProcesses().isEmpty)
            }
        }
    }
}

import Kube9TestSupport
import Foundation
import Testing

@testable import Kube9Kit

extension KubectlIntegration {
    /// Connection counts from kubectl's `Handling connection for` lines, with real traffic through kube9-sim.
    @Suite(.serialized) struct ManagerActivityTests {
        @Test func connectionsAreCountedAndTheirUpdatesCoalesced() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let events = EventRecorder(manager.events())
                let port = freeTCPPort()
                let record = try await manager.startForward(sim.request("web-0", local: port, remote: 80))
                #expect(record.connectionCount == 0 && record.lastConnectionTime == nil)
                let before = Date()
                let began = ContinuousClock.now
                let requests = 12
                for _ in 0..<requests {
                    #expect(try await sim.httpBody(port: port) == "kube9-sim dev/default/web-0:80\n")
                }
                let elapsed = ContinuousClock.now - began
                #expect(await events.waitFor(timeout: .seconds(5)) { event in
                    if case .updated(let r) = event { return r.connectionCount == requests } else { return false }
                })
                let current = try #require(await manager.forwards().first)
                #expect(current.connectionCount == requests)
                #expect(try #require(current.lastConnectionTime) >= before)
                // Coalesced: at most one activity update per 250 ms (plus the first and the trailing one).
                let activityUpdates = await events.events.filter { event in
                    if case .updated(let r) = event { return r.connectionCount > 0 } else { return false }
                }.count
                let allowed = Int(elapsed / .milliseconds(250)) + 2
                #expect(activityUpdates >= 1 && activityUpdates <= allowed, "\(activityUpdates) updates in \(elapsed)")
                await manager.stopAllForwards()
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }
    }
}

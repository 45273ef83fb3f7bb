import Kube9TestSupport
import Foundation
import Testing

@testable import Kube9Kit

extension KubectlIntegration {
    /// Load on the manager with the real kubectl against kube9-sim.
    @Suite(.serialized) struct ManagerLoadTests {
        static let scenario = #"""
            {"contexts": [{"name": "dev", "namespaces": [
                {"name": "default", "pods": [\#(ForwardScenarios.pod("a-0")), \#(ForwardScenarios.pod("a-1")), \#(ForwardScenarios.pod("a-2"))]},
                {"name": "shop", "pods": [\#(ForwardScenarios.pod("b-0", ports: [8080])), \#(ForwardScenarios.pod("b-1", ports: [8080]))]}
            ]}]}
            """#

        @Test func fiftyForwardsAcrossPodsAndNamespacesCarryTrafficAtOnce() async throws {
            try await KitSim.with(Self.scenario) { sim in
                let manager = sim.manager()
                let targets: [(namespace: String, pod: String, port: Int)] = [
                    ("default", "a-0", 80), ("default", "a-1", 80), ("default", "a-2", 80), ("shop", "b-0", 8080), ("shop", "b-1", 8080),
                ]
                let requests = (0..<50).map { index in
                    let target = targets[index % targets.count]
                    return sim.request(target.pod, local: freeTCPPort(), remote: target.port, namespace: target.namespace)
                }
                let records = try await withThrowingTaskGroup(of: ForwardRecord.self) { group in
                    for request in requests { group.addTask { try await manager.startForward(request) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(records.count == 50)
                #expect(await manager.activeCount() == 50)
                #expect(sim.watchProcessIDs().count <= 2)
                let bodies = try await withThrowingTaskGroup(of: (ForwardRecord, String).self) { group in
                    for record in records { group.addTask { (record, try await sim.httpBody(port: record.localPort)) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                for (record, body) in bodies {
                    #expect(body == "kube9-sim dev/\(record.namespace)/\(record.target.name):\(record.remotePort)\n")
                }
                await manager.stopAllForwards()
                #expect(await manager.forwards().isEmpty)
                #expect(sim.leftoverProcesses().isEmpty, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func thirtyRapidStartStopCyclesOnOnePortLeakNothing() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let port = freeTCPPort()
                let warm = try await manager.startForward(sim.request("web-0", local: port, remote: 80))
                try await manager.stopForward(id: warm.id)
                let descriptors = ProcessTable.openFileDescriptorCount()
                for _ in 0..<30 {
                    let record = try await manager.startForward(sim.request("web-0", local: port, remote: 80))
                    try await manager.stopForward(id: record.id)
                }
                #expect(await manager.forwards().isEmpty)
                #expect(sim.leftoverProcesses().isEmpty, "left: \(sim.leftoverProcesses())")
                #expect(
                    await pollUntil { ProcessTable.openFileDescriptorCount() <= descriptors + 2 },
                    "fds \(descriptors) → \(ProcessTable.openFileDescriptorCount())")
            }
        }

        /// 200 start/stop cycles on one local port. File descriptors are counted after one warm-up cycle (the
        /// manager's event stream, the runner's thread and pipes exist from then on); 2 of slack covers a
        /// descriptor the concurrency runtime or Foundation may open lazily in between, while a per-cycle leak
        /// would show as 200.
        @Test func twoHundredRapidStartStopCyclesOnOnePortLeakNothing() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let port = freeTCPPort()
                let warm = try await manager.startForward(sim.request("web-0", local: port, remote: 80))
                try await manager.stopForward(id: warm.id)
                let descriptors = ProcessTable.openFileDescriptorCount()
                let started = ContinuousClock.now
                for _ in 0..<200 {
                    let record = try await manager.startForward(sim.request("web-0", local: port, remote: 80))
                    try await manager.stopForward(id: record.id)
                }
                print("200 start/stop cycles on one port took \(ContinuousClock.now - started)")
                #expect(await manager.forwards().isEmpty)
                #expect(await manager.activeCount() == 0)
                #expect(sim.leftoverProcesses().filter { !$0.commandLine.contains("watch=1") }.isEmpty,
                    "left: \(sim.leftoverProcesses())")
                #expect(
                    await pollUntil { ProcessTable.openFileDescriptorCount() <= descriptors + 2 },
                    "fds \(descriptors) → \(ProcessTable.openFileDescriptorCount())")
                // The port is usable again by anyone.
                let last = try await manager.startForward(sim.request("web-0", local: port, remote: 80))
                #expect(try await sim.httpBody(port: port) == "kube9-sim dev/default/web-0:80\n")
                try await manager.stopForward(id: last.id)
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }
    }
}

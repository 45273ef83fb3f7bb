import Foundation
import Glibc
import Testing

@testable import Kube9Kit
import Kube9TestSupport

extension KubectlIntegration {
    /// Forwards to one pod started together share one kubectl (`kubectl port-forward pod/X :R1 :R2`).
    @Suite(.serialized) struct ManagerSharedBackendTests {
        func portForwards(_ sim: KitSim) -> [(pid: Int32, commandLine: String)] {
            sim.leftoverProcesses().filter { $0.commandLine.contains("port-forward") }
        }

        func requests(_ sim: KitSim, onDemand: Bool) throws -> [ForwardRequest] {
            let first = freeTCPPort()
            var second = freeTCPPort()
            while second == first { second = freeTCPPort() }
            return [(first, 8080), (second, 9090)].map { local, remote in
                var request = sim.request("api-0", local: local, remote: remote)
                request.onDemand = onDemand
                request.idleTimeout = .seconds(1)
                return request
            }
        }

        @Test func twoPortsOfOnePodStartedTogetherShareOneKubectlAndEachIsServed() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let asked = try requests(sim, onDemand: false)
                let records = try await manager.startForwards(asked)
                #expect(records.map(\.localPort) == asked.map(\.localPort))
                let kubectl = portForwards(sim)
                #expect(kubectl.count == 1 && kubectl.first?.commandLine.contains("pod/api-0 :8080 :9090 ") == true, "\(kubectl)")
                #expect(Set(records.map(\.processId)).count == 1)
                #expect(try await sim.httpBody(port: asked[0].localPort) == "kube9-sim dev/default/api-0:8080\n")
                #expect(try await sim.httpBody(port: asked[1].localPort) == "kube9-sim dev/default/api-0:9090\n")
                // Stopping one leaves the other served by the same kubectl.
                try await manager.stopForward(id: records[0].id)
                #expect(portForwards(sim).map(\.pid) == kubectl.map(\.pid))
                #expect(try await sim.httpBody(port: asked[1].localPort) == "kube9-sim dev/default/api-0:9090\n")
                await manager.stopAllForwards()
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func onDemandPortsOfOnePodShareOneKubectlStartedByTheFirstConnection() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let asked = try requests(sim, onDemand: true)
                _ = try await manager.startForwards(asked)
                #expect(sim.leftoverProcesses().isEmpty)
                #expect(try await sim.httpBody(port: asked[1].localPort) == "kube9-sim dev/default/api-0:9090\n")
                let kubectl = portForwards(sim)
                #expect(kubectl.count == 1 && kubectl.first?.commandLine.contains(":8080 :9090") == true, "\(kubectl)")
                #expect(try await sim.httpBody(port: asked[0].localPort) == "kube9-sim dev/default/api-0:8080\n")
                #expect(portForwards(sim).map(\.pid) == kubectl.map(\.pid), "the second port used the same kubectl")
                // Both idle: the kubectl is gone, both ports still listen and answer again.
                #expect(await pollUntil(timeout: .seconds(15)) { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
                #expect(try await sim.httpBody(port: asked[0].localPort) == "kube9-sim dev/default/api-0:8080\n")
                await manager.stopAllForwards()
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func aKilledSharedKubectlHealsBothForwardsThroughOneNewKubectl() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let asked = try requests(sim, onDemand: false)
                let records = try await manager.startForwards(asked)
                let first = try #require(records[0].processId)
                kill(first, SIGKILL)
                #expect(await pollUntil { await manager.forwards().allSatisfy { $0.status == .reconnecting } })
                // Connections made meanwhile wait for the next kubectl (the backoff is 1 s).
                #expect(try await httpGet(port: asked[0].localPort, timeout: .seconds(15)).body == "kube9-sim dev/default/api-0:8080\n")
                #expect(try await httpGet(port: asked[1].localPort, timeout: .seconds(15)).body == "kube9-sim dev/default/api-0:9090\n")
                #expect(await pollUntil(timeout: .seconds(10)) { await manager.forwards().allSatisfy { $0.status == .connected } })
                let now = portForwards(sim)
                #expect(now.count == 1 && !now.contains { $0.pid == first } && now.first?.commandLine.contains(":8080 :9090") == true, "\(now)")
                #expect(Set(await manager.forwards().map(\.processId)) == [now.first?.pid])
                await manager.stopAllForwards()
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func startingTogetherIsAllOrNone() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                var asked = try requests(sim, onDemand: false)
                asked.append(sim.request("pending-0", local: freeTCPPort(), remote: 80))
                let error = await #expect(throws: KubeError.self) { try await manager.startForwards(asked) }
                #expect(error?.kind == .podNotRunning)
                #expect(await manager.forwards().isEmpty)
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }
    }
}

import Foundation
import Glibc
import Testing

@testable import Kube9Kit
import Kube9TestSupport

extension KubectlIntegration {
    /// On-demand forwards against kube9-sim with the real kubectl: the port listens with no kubectl, the first
    /// connection starts one, the idle timeout stops it, failures of first use are told and close the connection.
    @Suite(.serialized) struct ManagerOnDemandTests {
        func onDemand(_ sim: KitSim, _ pod: String, port: Int, namespace: String = "default", context: String = "dev",
            idle: Duration = .seconds(2)) -> ForwardRequest {
            var request = sim.request(pod, local: port, remote: 80, namespace: namespace)
            request.target.context = context
            request.onDemand = true
            request.idleTimeout = idle
            return request
        }

        func portForwards(_ sim: KitSim) -> [(pid: Int32, commandLine: String)] {
            sim.leftoverProcesses().filter { $0.commandLine.contains("port-forward") }
        }

        @Test func thePortListensWithoutKubectlTheFirstRequestStartsItAndTheIdleTimeoutStopsIt() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let port = freeTCPPort()
                let record = try await manager.startForward(onDemand(sim, "web-0", port: port))
                #expect(record.onDemand && !record.backendRunning && record.status == .connected)
                #expect(await manager.activeCount() == 1, "it answers")
                #expect(LocalPortProbe().availability(of: port) != .free, "listening")
                #expect(sim.leftoverProcesses().isEmpty, "no kubectl before the first connection")

                let response = try await httpGet(port: port, timeout: .seconds(20))
                #expect(response.status == 200 && response.body == "kube9-sim dev/default/web-0:80\n")
                #expect(portForwards(sim).count == 1)
                #expect(await manager.forwards().first?.backendRunning == true)

                // 2 s with no connection: kubectl (and the namespace watch) are gone, the port still listens.
                #expect(await pollUntil(timeout: .seconds(15)) { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
                #expect(await pollUntil { await manager.forwards().first?.backendRunning == false })
                #expect(LocalPortProbe().availability(of: port) != .free)
                #expect(await manager.activeCount() == 1)

                let again = try await httpGet(port: port, timeout: .seconds(20))
                #expect(again.body == "kube9-sim dev/default/web-0:80\n")
                try await manager.stopForward(id: record.id)
                #expect(LocalPortProbe().availability(of: port) == .free)
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func aRunningForwardSwitchedToOnDemandStopsKubectlWhenIdleAndBackStartsItAgain() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let port = freeTCPPort()
                let record = try await manager.startForward(sim.request("web-0", local: port, remote: 80))
                try await manager.setOnDemand(true, idleTimeout: .seconds(1), forwardID: record.id)
                #expect(await pollUntil(timeout: .seconds(15)) { portForwards(sim).isEmpty }, "left: \(portForwards(sim))")
                #expect(await manager.forwards().first?.onDemandStatus == "on demand • idle")
                #expect(try await httpGet(port: port, timeout: .seconds(20)).body == "kube9-sim dev/default/web-0:80\n")
                try await manager.setOnDemand(false, forwardID: record.id)
                #expect(await pollUntil(timeout: .seconds(15)) { await manager.forwards().first?.status == .connected })
                #expect(portForwards(sim).count == 1)
                await manager.stopAllForwards()
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        /// The pod is replaced while the forward is idle (no kubectl, no watch): the next connection finds the
        /// replacement and is served by it.
        @Test func aPodReplacedWhileIdleIsFollowedOnTheNextConnection() async throws {
            try await KitSim.with(ManagerHealingTests.replicated) { sim in
                let manager = sim.manager()
                let port = freeTCPPort()
                _ = try await manager.startForward(onDemand(sim, "web-5d8f7-abcde", port: port, idle: .seconds(1)))
                #expect(try await httpGet(port: port, timeout: .seconds(20)).body == "kube9-sim dev/default/web-5d8f7-abcde:80\n")
                #expect(await pollUntil(timeout: .seconds(15)) { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
                try await sim.deletePod(namespace: "default", name: "web-5d8f7-abcde")
                let body = try await httpGet(port: port, timeout: .seconds(30)).body
                #expect(body.hasPrefix("kube9-sim dev/default/web-5d8f7-") && body != "kube9-sim dev/default/web-5d8f7-abcde:80\n", "\(body)")
                let moved = try #require(await manager.forwards().first)
                #expect(moved.target.name != "web-5d8f7-abcde" && moved.backendRunning)
                await manager.stopAllForwards()
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func twentyConcurrentFirstConnectionsStartOneKubectlAndAreAllServed() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let events = EventRecorder(manager.events())
                let port = freeTCPPort()
                _ = try await manager.startForward(onDemand(sim, "web-0", port: port, idle: .seconds(60)))
                let bodies = try await withThrowingTaskGroup(of: String.self) { group in
                    for _ in 0..<20 { group.addTask { try await httpGet(port: port, timeout: .seconds(30)).body } }
                    return try await group.reduce(into: [String]()) { $0.append($1) }
                }
                #expect(bodies.count == 20 && bodies.allSatisfy { $0 == "kube9-sim dev/default/web-0:80\n" })
                #expect(portForwards(sim).count == 1, "\(portForwards(sim))")
                // One kubectl was ever started: its pid is the only one the records carried.
                let pids = await events.events.compactMap { event -> Int32? in
                    if case .updated(let record) = event { record.processId } else { nil }
                }
                #expect(Set(pids).count == 1, "\(Set(pids))")
                await manager.stopAllForwards()
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        /// First use that fails: the message a normal start gives (as a notice), the connection closed, no process
        /// left, the forward idle and still listening.
        func expectFirstUseFails(_ sim: KitSim, _ request: ForwardRequest, message: String) async throws {
            let manager = sim.manager(connectTimeout: .seconds(20))
            let events = EventRecorder(manager.events())
            let record = try await manager.startForward(request)
            let began = ContinuousClock.now
            await #expect(throws: (any Error).self) { try await httpGet(port: request.localPort, timeout: .seconds(40)) }
            #expect(ContinuousClock.now - began < .seconds(30), "closed, not left hanging")
            let told = await events.waitFor(timeout: .seconds(10)) { $0 == .notice(Notice(.error, message)) }
            let notices = await events.notices
            #expect(told, "\(notices)")
            #expect(await pollUntil(timeout: .seconds(10)) { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            let now = try #require(await manager.forwards().first)
            #expect(now.id == record.id && !now.backendRunning && now.status == .connected)
            #expect(LocalPortProbe().availability(of: request.localPort) != .free, "still listening")
            await manager.stopAllForwards()
            #expect(LocalPortProbe().availability(of: request.localPort) == .free)
        }

        @Test func firstUseOfAPendingPodSaysSoAndClosesTheConnection() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                try await expectFirstUseFails(
                    sim, onDemand(sim, "pending-0", port: freeTCPPort()),
                    message: "Cannot port forward: Pod 'pending-0' is not in Running state (current: Pending)")
            }
        }

        @Test func firstUseInAForbiddenNamespaceSaysSoAndClosesTheConnection() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                try await expectFirstUseFails(
                    sim, onDemand(sim, "secret-0", port: freeTCPPort(), namespace: "locked"),
                    message: "Permission denied. You need pods/portforward permission in namespace 'locked'.")
            }
        }

        @Test func firstUseOfAnUnreachableContextSaysWhatAStartSaysAndClosesTheConnection() async throws {
            try await KitSim.with(ForwardScenarios.standard(unreachable: true)) { sim in
                // What an eager start of the same forward says.
                let eager = sim.manager(connectTimeout: .seconds(20))
                var request = onDemand(sim, "web-0", port: freeTCPPort(), context: "down")
                request.onDemand = false
                let error = await #expect(throws: KubeError.self) { try await eager.startForward(request) }
                let message = try #require(error?.message)
                request.onDemand = true
                try await expectFirstUseFails(sim, request, message: message)
            }
        }
    }
}

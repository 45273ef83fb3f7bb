import Foundation
import Kube9TestSupport
import Testing

@testable import Kube9Kit

extension KubectlIntegration {
    /// A Role that grants `get` and `pods/portforward` but not `watch` on pods (shared clusters): the forward works,
    /// and its namespace's watch, refused, is not tried again within seconds (two kubectl each time) but after a
    /// minute.
    @Suite(.serialized) struct ManagerRestrictedWatchTests {
        static let scenario = #"""
            {"contexts": [{"name": "dev", "namespaces": [{"name": "default", "forbidPodVerbs": ["watch"], "pods": [
                {"name": "web-0", "containers": [{"name": "main", "ports": [{"containerPort": 80}]}]}]}]}]}
            """#

        @Test func aForbiddenWatchIsNotRetriedWithinSeconds() async throws {
            try await KitSim.with(Self.scenario) { sim in
                let refusedByKubectl = try await sim.harness.kubectl(["get", "pods", "-n", "default", "--watch", "--request-timeout=5s"])
                #expect(refusedByKubectl.stderr.contains(#"cannot watch resource "pods" in API group "" in the namespace "default""#), "\(refusedByKubectl)")
                let before = sim.server.refusedRequests(context: "dev")
                let manager = sim.manager()
                let port = freeTCPPort()
                _ = try await manager.startForward(sim.request("web-0", local: port, remote: 80))
                // The watch starts within a second of the connect (or at the first connection's end), and is refused.
                #expect(try await sim.httpBody(port: port) == "kube9-sim dev/default/web-0:80\n")
                #expect(await pollUntil(timeout: .seconds(15)) { sim.server.refusedRequests(context: "dev") == before + 1 })
                // The old backoff (0.5 s doubling to 5 s) would have tried three more times by now.
                try await Task.sleep(for: .seconds(7))
                #expect(sim.server.refusedRequests(context: "dev") == before + 1)
                #expect(try await sim.httpBody(port: port) == "kube9-sim dev/default/web-0:80\n")
                #expect(await manager.forwards().first?.status == .connected)
                await manager.stopAllForwards()
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }
    }
}

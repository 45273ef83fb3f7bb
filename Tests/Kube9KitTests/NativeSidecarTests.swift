import Foundation
import Kube9TestSupport
import KubeSim
import Testing

@testable import Kube9Kit

/// Native sidecars (init containers with `restartPolicy: Always`, Kubernetes 1.29 and later: Istio's and Linkerd's
/// proxies, log shippers) run beside the app containers: kube9 counts them in READY as kubectl does, offers their
/// ports, and forwards to them. Init containers that ran to completion are not containers of the running pod.
@Suite struct NativeSidecarTests {
    static let scenario = #"""
        {"contexts":[{"name":"dev","namespace":"default","namespaces":[{"name":"default","pods":[{"name":"web-0",
          "containers":[{"name":"app","ports":[{"containerPort":8080,"name":"http"}]}],
          "initContainers":[{"name":"migrate","ports":[{"containerPort":9999}]},
            {"name":"istio-proxy","restartPolicy":"Always","ports":[{"containerPort":15020,"name":"status"}]}]}]}]}]}
        """#

    @Test func kubectlAndKube9CountTheSidecarAndItsPortIsForwarded() async throws {
        try await KitSim.with(Self.scenario) { sim in
            // kubectl's own READY (the server's table, as a real API server prints it).
            let table = try await sim.harness.kubectl(["get", "pods", "-n", "default", "--context", "dev"])
            #expect(table.stdout.split(separator: "\n").last?.split(separator: " ").prefix(3) == ["web-0", "2/2", "Running"], "\(table)")

            let pods = try await KubectlClient(configuration: sim.configuration).pods(context: "dev", namespace: "default")
            let web = try #require(pods.first)
            #expect(web.containers.map(\.name) == ["app", "istio-proxy"])
            #expect(web.containers.map(\.isSidecar) == [false, true])
            #expect(web.containers.last?.ports == [ContainerPort(containerPort: 15020, name: "status")])
            #expect(web.readyCount == 2)

            let manager = sim.manager()
            let port = freeTCPPort()
            _ = try await manager.startForward(sim.request("web-0", local: port, remote: 15020))
            #expect(try await sim.httpBody(port: port).contains("web-0:15020"))
            await manager.stopAllForwards()
            #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
        }
    }
}

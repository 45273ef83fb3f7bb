import Foundation
import KubeSim
import Kube9TestSupport
import Testing

/// What a kubelet and RBAC do to real kubectl: a declared port nothing listens on, a connection cut
/// mid-stream, a user who may not list namespaces.
@Suite struct KubeletFaultAndRBACTests {
    static func scenario(minor: Int = 32, port: String, extra: String = "") -> String {
        #"""
        {"contexts":[{"name":"k","namespace":"apps","kubectlMinor":\#(minor)\#(extra),"namespaces":[
          {"name":"apps","pods":[{"name":"app-0","containers":[{"name":"app","ports":[\#(port)]}]}]},
          {"name":"other","pods":[{"name":"side-0"}]}]}]}
        """#
    }

    /// Over both paths kubectl 1.33 can take: the kubelet's refusal on the error stream, then kubectl drops the forward.
    @Test(arguments: [#"["websocket","spdy"]"#, #"["spdy"]"#])
    func portNobodyListensOnGetsTheKubeletsRefusal(protocols: String) async throws {
        let scenario = Self.scenario(
            minor: 33, port: #"{"containerPort":5432,"listening":false}"#, extra: #","portForwardProtocols":\#(protocols)"#)
        try await SimHarness.with(scenarioJSON: scenario) { sim in
            let (forward, local) = try await sim.startPortForward("pod/app-0", remotePort: 5432)
            _ = try? await httpGet(port: local, timeout: .seconds(10))
            let result = try await forward.waitForExit(timeout: .seconds(20))
            #expect(result.status == 1)
            #expect(
                result.stderr.contains("an error occurred forwarding \(local) -> 5432: error forwarding port 5432 to pod "),
                "\(result)")
            #expect(result.stderr.contains("failed to connect to localhost:5432 inside namespace"))
            #expect(result.stderr.contains("dial tcp4 127.0.0.1:5432: connect: connection refused"))
            #expect(result.stderr.contains("error: lost connection to pod"))
        }
    }

    @Test func connectionIsCutAfterResetAfterBytesAndTheForwardStays() async throws {
        let scenario = Self.scenario(port: #"{"containerPort":9000,"resetAfterBytes":1000}"#)
        try await SimHarness.with(scenarioJSON: scenario) { sim in
            let (forward, local) = try await sim.startPortForward("pod/app-0", remotePort: 9000)
            let payload = SplitMix.payload(size: 4000, seed: 11)
            for _ in 0..<2 {
                let echoed = try await tcpRoundTrip(port: local, sending: payload, timeout: .seconds(20))
                #expect(echoed == Array(payload.prefix(1000)))
            }
            #expect(forward.isRunning)
        }
    }

    @Test func forbidListNamespacesLeavesNamespacedListsAlone() async throws {
        let scenario = Self.scenario(
            port: #"{"containerPort":80}"#, extra: #","forbidListNamespaces":true,"auth":{"tokens":["t"],"user":"dev@example.com"}"#)
        try await SimHarness.with(scenarioJSON: scenario) { sim in
            let namespaces = try await sim.kubectl(["get", "namespaces"])
            #expect(namespaces.status == 1)
            #expect(
                namespaces.stderr.contains(
                    #"Error from server (Forbidden): namespaces is forbidden: User "dev@example.com" cannot list resource "namespaces" in API group "" at the cluster scope"#),
                "\(namespaces)")
            let everywhere = try await sim.kubectl(["get", "pods", "-A"])
            #expect(everywhere.status == 1)
            #expect(everywhere.stderr.contains(#"cannot list resource "pods" in API group "" at the cluster scope"#), "\(everywhere)")
            let apps = try await sim.kubectl(["get", "pods", "-n", "apps", "-o", "name"])
            #expect(apps.stdout == "pod/app-0\n", "\(apps)")
            let other = try await sim.kubectl(["get", "pods", "-n", "other", "-o", "name"])
            #expect(other.stdout == "pod/side-0\n", "\(other)")
        }
    }

    @Test func forbiddenPortForwardNamesTheAuthenticatedUser() async throws {
        let scenario = #"""
            {"contexts":[{"name":"k","auth":{"tokens":["t"],"user":"dev@example.com"},"namespaces":[
              {"name":"vault","forbidPortForward":true,"pods":[{"name":"vault-0","containers":[{"name":"v","ports":[{"containerPort":8200}]}]}]}]}]}
            """#
        try await SimHarness.with(scenarioJSON: scenario) { sim in
            let result = try await sim.kubectl(["port-forward", "pod/vault-0", ":8200", "-n", "vault"])
            #expect(result.status == 1)
            #expect(
                result.stderr.contains(
                    #"pods "vault-0" is forbidden: User "dev@example.com" cannot create resource "pods/portforward" in API group "" in the namespace "vault""#),
                "\(result)")
        }
    }
}

import Foundation
import KubeSim
import Kube9TestSupport
import Testing

/// Real `kubectl port-forward` through the sim's SPDY/3.1 upgrade to the pod servers.
@Suite struct PortForwardTests {
    @Test func httpThroughAForwardReturnsThePodBody() async throws {
        try await SimHarness.with { sim in
            let (forward, port) = try await sim.startPortForward("pod/web-0", remotePort: 80, namespace: "default")
            let first = try await httpGet(port: port, path: "/", timeout: .seconds(20))
            #expect(first.status == 200)
            #expect(first.body == "kube9-sim kind-dev/default/web-0:80\n")
            let second = try await httpGet(port: port, path: "/healthz", timeout: .seconds(20))
            #expect(second.body == "kube9-sim kind-dev/default/web-0:80\n")
            _ = try await forward.waitForLine(containing: "Handling connection for \(port)", in: .stdout, timeout: .seconds(5))
            forward.interrupt()
            let result = try await forward.waitForExit(timeout: .seconds(10))
            #expect(result.status == 0, "\(result)")
        }
    }

    @Test func secondPortOfAMultiPortPodAnswersItsOwnBody() async throws {
        try await SimHarness.with { sim in
            let (_, port) = try await sim.startPortForward("pod/frontend-6b7c9d8f5-m4n2p", remotePort: 15001, namespace: "default")
            let answer = try await httpGet(port: port, timeout: .seconds(20))
            #expect(answer.body == "kube9-sim kind-dev/default/frontend-6b7c9d8f5-m4n2p:15001\n")
        }
    }

    @Test func fourConcurrentConnectionsOf20MBArriveByteIdentical() async throws {
        try await SimHarness.with { sim in
            let (_, port) = try await sim.startPortForward("pod/postgres-0", remotePort: 5432, namespace: "data")
            let size = 20 * 1024 * 1024
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for seed in 0..<4 {
                    group.addTask {
                        let payload = SplitMix.payload(size: size, seed: UInt64(seed + 1))
                        let echoed = try await tcpRoundTrip(port: port, sending: payload, timeout: .seconds(90))
                        return echoed == payload
                    }
                }
                var identical = 0
                for try await same in group where same { identical += 1 }
                #expect(identical == 4)
            }
        }
    }

    @Test func manySessionsAtOnceEachReachTheirPod() async throws {
        try await SimHarness.with { sim in
            let targets: [(pod: String, namespace: String, context: String, port: Int)] = [
                ("web-0", "default", "kind-dev", 80), ("web-1", "default", "kind-dev", 80),
                ("prometheus-0", "monitoring", "kind-dev", 9090), ("grafana-5c8d7f9b4-q7wz2", "monitoring", "kind-dev", 3000),
                ("cart-0", "shop", "staging", 8080), ("checkout-5f6d7c8b9-t3w8k", "shop", "staging", 8443),
            ]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for target in targets {
                    group.addTask {
                        let (_, port) = try await sim.startPortForward(
                            "pod/\(target.pod)", remotePort: target.port, namespace: target.namespace, context: target.context)
                        for _ in 0..<5 {
                            let answer = try await httpGet(port: port, timeout: .seconds(20))
                            #expect(answer.body == "kube9-sim \(target.context)/\(target.namespace)/\(target.pod):\(target.port)\n")
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test func oneSessionCarriesManyConnectionsInTurn() async throws {
        try await SimHarness.with { sim in
            let (forward, port) = try await sim.startPortForward("pod/web-0", remotePort: 80, namespace: "default")
            for index in 0..<30 {
                let payload = Array("line \(index) of the echo check\n".utf8)
                let echoed = try await tcpRoundTrip(port: port, sending: payload, timeout: .seconds(20))
                #expect(echoed == payload)
            }
            #expect(forward.isRunning)
            #expect(forward.stdoutLines.filter { $0.hasPrefix("Handling connection for") }.count == 30)
        }
    }

    @Test func forbiddenNamespaceGivesTheRBACMessage() async throws {
        try await SimHarness.with { sim in
            let result = try await sim.kubectl(["port-forward", "pod/vault-0", ":8200", "-n", "vault", "--context", "staging"])
            #expect(result.status == 1)
            #expect(
                result.stderr.contains(
                    #"error: error upgrading connection: pods "vault-0" is forbidden: User "system:anonymous" cannot create resource "pods/portforward" in API group "" in the namespace "vault""#),
                "\(result)")
        }
    }

    @Test func pendingPodGivesKubectlsMessage() async throws {
        try await SimHarness.with { sim in
            let result = try await sim.kubectl(["port-forward", "pod/queue-consumer-0", ":8081", "-n", "default"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("error: unable to forward port because pod is not running. Current status=Pending"), "\(result)")
        }
    }

    @Test func missingPodIsNotFound() async throws {
        try await SimHarness.with { sim in
            let result = try await sim.kubectl(["port-forward", "pod/ghost", ":80", "-n", "default"])
            #expect(result.status == 1)
            #expect(result.stderr.contains(#"Error from server (NotFound): pods "ghost" not found"#), "\(result)")
        }
    }

    @Test func undeclaredPortIsRefusedOnTheErrorStream() async throws {
        try await SimHarness.with { sim in
            let (forward, port) = try await sim.startPortForward("pod/web-0", remotePort: 81, namespace: "default")
            // The local connection is accepted, then closed without a reply once the pod refuses.
            _ = try? await httpGet(port: port, timeout: .seconds(10))
            let result = try await forward.waitForExit(timeout: .seconds(20))
            #expect(result.status == 1)
            #expect(result.stderr.contains("an error occurred forwarding \(port) -> 81: error forwarding port 81 to pod"), "\(result)")
            #expect(result.stderr.contains("dial tcp4 127.0.0.1:81: connect: connection refused"))
            #expect(result.stderr.contains("error: lost connection to pod"))
        }
    }

    @Test func deletingThePodEndsTheForward() async throws {
        try await SimHarness.with { sim in
            let (forward, port) = try await sim.startPortForward("pod/redis-0", remotePort: 6379, namespace: "data")
            let before = try await tcpRoundTrip(port: port, sending: Array("PING\r\n".utf8), timeout: .seconds(20))
            #expect(before == Array("PING\r\n".utf8))
            let deleted = try await sim.kubectl(["delete", "pod", "redis-0", "-n", "data"])
            #expect(deleted.status == 0, "\(deleted)")
            let result = try await forward.waitForExit(timeout: .seconds(20))
            #expect(result.status == 1)
            #expect(result.stderr.contains("error: lost connection to pod"), "\(result)")
        }
    }

    @Test(arguments: [27, 33])
    func forwardWorksWithKubectlMinor(minor: Int) async throws {
        let scenario = #"""
            {"contexts":[{"name":"c\#(minor)","namespace":"apps","kubectlMinor":\#(minor),"namespaces":[{"name":"apps","pods":[
              {"name":"echo-0","containers":[{"name":"echo","ports":[{"containerPort":7000}]}]}]}]}]}
            """#
        try await SimHarness.with(scenarioJSON: scenario) { sim in
            let (forward, port) = try await sim.startPortForward("pod/echo-0", remotePort: 7000)
            let answer = try await httpGet(port: port, timeout: .seconds(20))
            #expect(answer.body == "kube9-sim c\(minor)/apps/echo-0:7000\n")
            await sim.server.deletePod(context: "c\(minor)", namespace: "apps", name: "echo-0")
            let result = try await forward.waitForExit(timeout: .seconds(20))
            #expect(result.status == 1)
            #expect(result.stderr.contains("error: lost connection to pod"), "\(result)")
        }
    }
}

/// A small deterministic generator for test payloads.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    /// `size` pseudo-random bytes that do not start like an HTTP request (so the pod server echoes them).
    static func payload(size: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix(seed: seed)
        var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            let words = size / 8
            let raw = UnsafeMutableRawBufferPointer(buffer)
            for index in 0..<words {
                raw.storeBytes(of: generator.next(), toByteOffset: index * 8, as: UInt64.self)
            }
            for index in words * 8..<size { buffer[index] = UInt8(truncatingIfNeeded: generator.next()) }
            count = size
        }
        bytes[0] = 0xff
        return bytes
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

import Foundation
import KubeSim
import Kube9TestSupport
import Testing

/// The fault injection other issues' tests rely on: latency, API down and back, dropped watches, phase changes.
@Suite struct FaultInjectionTests {
    @Test func latencyDelaysEveryAnswer() async throws {
        try await SimHarness.with(tls: false) { sim in
            let port = try #require(sim.server.apiPort(context: "kind-dev"))
            await sim.server.setLatency(context: "kind-dev", milliseconds: 1500)
            let start = ContinuousClock.now
            let slow = try await httpGet(port: port, path: "/version", timeout: .seconds(10))
            #expect(slow.status == 200)
            #expect(ContinuousClock.now - start >= .milliseconds(1490))
            await sim.server.setLatency(context: "kind-dev", milliseconds: 0)
            // Best of three, so a busy machine does not decide the result.
            var fastest = Duration.seconds(3600)
            for _ in 0..<3 {
                let again = ContinuousClock.now
                _ = try await httpGet(port: port, path: "/version", timeout: .seconds(10))
                fastest = min(fastest, ContinuousClock.now - again)
            }
            #expect(fastest < .milliseconds(1490))
        }
    }

    @Test func scenarioLatencyApplies() async throws {
        let scenario = #"{"contexts":[{"name":"slow","latencyMs":300,"namespaces":[{"name":"default"}]}]}"#
        try await SimHarness.with(scenarioJSON: scenario, tls: false) { sim in
            let port = try #require(sim.server.apiPort(context: "slow"))
            let start = ContinuousClock.now
            let answer = try await httpGet(port: port, path: "/api/v1/namespaces", timeout: .seconds(10))
            #expect(answer.status == 200)
            #expect(answer.body.contains(#""kind":"NamespaceList""#))
            #expect(ContinuousClock.now - start >= .milliseconds(290))
        }
    }

    @Test func apiDownEndsForwardsAndComesBackOnTheSamePort() async throws {
        try await SimHarness.with { sim in
            let port = try #require(sim.server.apiPort(context: "kind-dev"))
            let (forward, _) = try await sim.startPortForward("pod/web-0", remotePort: 80, namespace: "default")
            await sim.server.setAPIAvailable(context: "kind-dev", false)
            let ended = try await forward.waitForExit(timeout: .seconds(20))
            #expect(ended.status == 1)
            #expect(ended.stderr.contains("error: lost connection to pod"), "\(ended)")
            let down = try await sim.kubectl(["get", "pods"], timeout: .seconds(60))
            #expect(down.status == 1)
            // Usually "The connection to the server 127.0.0.1:PORT was refused"; while parallel tests reuse
            // ephemeral ports, another listener may briefly hold the port and reset the connection instead.
            #expect(down.stderr.contains("127.0.0.1:\(port)"), "\(down)")
            #expect(down.stderr.contains("refused") || down.stderr.contains("reset"), "\(down)")
            await sim.server.setAPIAvailable(context: "kind-dev", true)
            #expect(sim.server.apiPort(context: "kind-dev") == port)
            let up = try await sim.kubectl(["get", "pods", "-o", "name"])
            #expect(up.status == 0, "\(up)")
            #expect(up.stdout.contains("pod/web-0"))
        }
    }

    @Test func droppedWatchEndsKubectlWatch() async throws {
        try await SimHarness.with { sim in
            let watch = try sim.spawnKubectl(["get", "pods", "-n", "data", "--watch", "-o", "name"])
            _ = try await watch.waitForLine(containing: "pod/redis-0", in: .stdout, timeout: .seconds(30))
            // A watch of another namespace is left alone.
            await sim.server.dropWatches(context: "kind-dev", namespace: "monitoring")
            await sim.server.addPod(context: "kind-dev", namespace: "data", pod: ScenarioPod(name: "mongo-0"))
            _ = try await watch.waitForLine(containing: "pod/mongo-0", in: .stdout, timeout: .seconds(20))
            await sim.server.dropWatches(context: "kind-dev", namespace: "data")
            let result = try await watch.waitForExit(timeout: .seconds(20))
            #expect(result.stdout.contains("pod/redis-0"))
            #expect(!result.stdout.contains("mongo-1"))
        }
    }

    @Test func phaseChangesAreWatchedAsModified() async throws {
        try await SimHarness.with { sim in
            let watch = try sim.spawnKubectl(["get", "pods", "-n", "default", "--watch", "--output-watch-events", "-o", "json"])
            _ = try await watch.waitForLine(containing: #""name":"queue-consumer-0""#, in: .stdout, timeout: .seconds(30))
            await sim.server.setPodPhase(context: "kind-dev", namespace: "default", name: "queue-consumer-0", phase: "Running")
            let modified = try await watch.waitForLine(containing: #""type":"MODIFIED""#, in: .stdout, timeout: .seconds(20))
            #expect(modified.contains(#""name":"queue-consumer-0""#))
            #expect(modified.contains(#""phase":"Running""#))
            #expect(modified.contains(#""podIP":"10.244."#))
            let (_, port) = try await sim.startPortForward("pod/queue-consumer-0", remotePort: 8081, namespace: "default")
            let answer = try await httpGet(port: port, timeout: .seconds(20))
            #expect(answer.body == "kube9-sim kind-dev/default/queue-consumer-0:8081\n")
        }
    }

    @Test func largeNamespaceListsQuickly() async throws {
        let pods = (0..<5000).map { #"{"name":"worker-\#($0)","labels":{"app":"worker"},"containers":[{"name":"w","ports":[{"containerPort":8080}]}]}"# }
        let scenario = #"{"contexts":[{"name":"big","namespaces":[{"name":"load","pods":[\#(pods.joined(separator: ","))]}]}]}"#
        try await SimHarness.with(scenarioJSON: scenario, tls: false) { sim in
            let port = try #require(sim.server.apiPort(context: "big"))
            // Best of three, so a busy machine does not decide the result.
            var fastest = Duration.seconds(3600)
            for _ in 0..<3 {
                let start = ContinuousClock.now
                let answer = try await httpGet(port: port, path: "/api/v1/namespaces/load/pods?limit=500", timeout: .seconds(30))
                fastest = min(fastest, ContinuousClock.now - start)
                #expect(answer.status == 200)
                #expect(answer.body.components(separatedBy: #""kind":"Pod""#).count - 1 == 5000)
            }
            #expect(fastest < .seconds(2), "listing 5,000 pods took \(fastest) at best")
            let names = try await sim.kubectl(["get", "pods", "-n", "load", "-o", "name"], timeout: .seconds(60))
            #expect(names.stdout.split(separator: "\n").count == 5000)
        }
    }
}

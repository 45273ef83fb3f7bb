import Foundation
import KubeSim
import Kube9TestSupport
import Testing

/// Pods go as a real API server lets them go: a graceful delete keeps the pod listed, Terminating and serving
/// through its grace period; a ReplicaSet's replacement starts at once and is Running before it is Ready; a
/// rollout moves the pods to a new ReplicaSet. Read back through real kubectl.
@Suite struct PodDeletionTests {
    static let scenario = #"""
        {"contexts":[{"name":"dev","namespaces":[{"name":"default","pods":[
          {"name":"web-5d8f7b6c9d-abcde","replaceOnDelete":true,"terminationGracePeriodSeconds":30,
           "labels":{"app":"web","pod-template-hash":"5d8f7b6c9d"},"containers":[{"name":"main","ports":[{"containerPort":80}]}]},
          {"name":"db-0","terminationGracePeriodSeconds":30,"containers":[{"name":"pg"}]}]}]}]}
        """#

    static let web = "web-5d8f7b6c9d-abcde"

    @Test func aGracefulDeleteKeepsThePodTerminatingAndServingThenRemovesIt() async throws {
        try await SimHarness.with(scenarioJSON: Self.scenario) { sim in
            let (forward, port) = try await sim.startPortForward("pod/\(Self.web)", remotePort: 80, namespace: "default")
            let deleted = try await sim.kubectl(["delete", "pod", Self.web, "--wait=false"])
            #expect(deleted.status == 0 && deleted.stdout == "pod \"\(Self.web)\" deleted\n", "\(deleted)")
            let listed = try await sim.kubectl(["get", "pod", Self.web, "--no-headers"])
            #expect(listed.stdout.contains("Terminating"), "\(listed)")
            let grace = try await sim.kubectl(["get", "pod", Self.web, "-o", "jsonpath={.metadata.deletionGracePeriodSeconds}"])
            #expect(grace.stdout == "30")
            #expect(try await httpGet(port: port, timeout: .seconds(5)).body == "kube9-sim dev/default/\(Self.web):80\n",
                    "a terminating pod serves through its grace period")
            // The replacement starts at once, Running and not Ready first.
            var readiness: Set<String> = []
            let replaced = await pollUntil(timeout: .seconds(10)) {
                let pods = (try? await sim.kubectl(["get", "pods", "--no-headers"]).stdout) ?? ""
                let replacement = pods.split(separator: "\n").first { $0.hasPrefix("web-5d8f7b6c9d-") && !$0.hasPrefix(Self.web) }
                if let replacement, replacement.contains("Running") { readiness.insert(replacement.contains(" 1/1 ") ? "1/1" : "0/1") }
                return readiness.contains("1/1")
            }
            #expect(replaced, "\(readiness)")
            #expect(try await sim.kubectl(["get", "pod", Self.web, "--no-headers"]).stdout.contains("Terminating"))
            // Its end (here forced, not 30 s later) ends its sessions.
            _ = try await sim.kubectl(["delete", "pod", Self.web, "--grace-period=0", "--force"])
            let ended = try await forward.waitForExit(timeout: .seconds(10))
            #expect(ended.stderr.contains("lost connection to pod"), "its sessions end with it: \(ended)")
            let gone = try await sim.kubectl(["get", "pod", Self.web])
            #expect(gone.status == 1 && gone.stderr.contains("NotFound"), "\(gone)")
        }
    }

    @Test func deleteOptionsSetTheGracePeriod() async throws {
        try await SimHarness.with(scenarioJSON: Self.scenario) { sim in
            // kubectl's own wait (a watch on the pod's name) returns once it is gone: --now is one second.
            let start = ContinuousClock.now
            let now = try await sim.kubectl(["delete", "pod", "db-0", "--now"])
            #expect(now.status == 0, "\(now)")
            #expect(ContinuousClock.now - start >= .seconds(1) && ContinuousClock.now - start < .seconds(20))
            #expect(try await sim.kubectl(["get", "pod", "db-0"]).status == 1)
            // Forced: gone at once, even while being deleted already.
            _ = try await sim.kubectl(["delete", "pod", Self.web, "--wait=false"])
            let forced = try await sim.kubectl(["delete", "pod", Self.web, "--grace-period=0", "--force"])
            #expect(forced.status == 0 && forced.stdout.contains("force deleted"), "\(forced)")
            #expect(try await sim.kubectl(["get", "pod", Self.web]).status == 1)
            // One replacement, not one per delete: once it is Ready (0.8 s after it was added, a second one would
            // have been added 0.3 s after the second delete), it is alone.
            let replacementReady = await pollUntil(timeout: .seconds(10)) {
                let pods = (try? await sim.kubectl(["get", "pods", "--no-headers"]).stdout) ?? ""
                return pods.split(separator: "\n").contains { $0.hasPrefix("web-5d8f7b6c9d-") && $0.contains(" 1/1 ") }
            }
            #expect(replacementReady)
            #expect(sim.server.podNames(context: "dev", namespace: "default").filter { $0.hasPrefix("web-") }.count == 1)
        }
    }

    /// A pod no kubelet runs has nothing to stop: a Pending one, not scheduled, is gone at once whatever its grace
    /// period; and a name cannot be taken again while its pod is being deleted (AlreadyExists).
    @Test func anUnscheduledPodGoesAtOnceAndANameWaitsForItsPod() async throws {
        try await SimHarness.with(scenarioJSON: Self.scenario) { sim in
            #expect(await sim.server.addPod(context: "dev", namespace: "default", pod: ScenarioPod(
                name: "queued", phase: "Pending", terminationGracePeriodSeconds: 30)))
            let start = ContinuousClock.now
            let deleted = try await sim.kubectl(["delete", "pod", "queued"])
            #expect(deleted.status == 0 && ContinuousClock.now - start < .seconds(20), "\(deleted)")
            #expect(!sim.server.podNames(context: "dev", namespace: "default").contains("queued"))
            _ = try await sim.kubectl(["delete", "pod", "db-0", "--wait=false"])
            #expect(await sim.server.addPod(context: "dev", namespace: "default", pod: ScenarioPod(name: "db-0")) == false)
            #expect(try await sim.kubectl(["get", "pod", "db-0", "--no-headers"]).stdout.contains("Terminating"))
        }
    }

    @Test func aRolloutMovesThePodsToANewReplicaSet() async throws {
        try await SimHarness.with(scenarioJSON: Self.scenario) { sim in
            let started = await sim.server.rolloutRestart(context: "dev", namespace: "default", deployment: "web")
            let new = try #require(started.first)
            #expect(started.count == 1)
            #expect(await sim.server.rolloutRestart(context: "dev", namespace: "default", deployment: "we").isEmpty)
            let parts = new.split(separator: "-")
            #expect(parts.count == 3 && parts[0] == "web" && parts[1] != "5d8f7b6c9d" && parts[1].count == 10)
            // The old pod is deleted (with its grace period) once the new one is Ready, and not replaced.
            let terminating = await pollUntil(timeout: .seconds(15)) {
                let grace = try? await sim.kubectl(["get", "pod", Self.web, "-o", "jsonpath={.metadata.deletionGracePeriodSeconds}"])
                return grace?.stdout == "30"
            }
            #expect(terminating)
            let ready = try await sim.kubectl(["get", "pod", new, "--no-headers"])
            #expect(ready.stdout.contains(" 1/1 ") && ready.stdout.contains("Running"), "\(ready)")
            #expect(sim.server.podNames(context: "dev", namespace: "default") == ["db-0", Self.web, new].sorted(), "no replacement")
            let owner = try await sim.kubectl([
                "get", "pod", new, "-o", "jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} {.metadata.labels.pod-template-hash}",
            ])
            #expect(owner.stdout == "ReplicaSet/web-\(parts[1]) \(parts[1])", "\(owner)")
        }
    }
}

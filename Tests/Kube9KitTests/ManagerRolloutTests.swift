import Foundation
import Kube9TestSupport
import Testing

@testable import Kube9Kit

extension KubectlIntegration {
    /// Pods replaced the way real clusters replace them, with real kubectl: a rollout (a new ReplicaSet), a graceful
    /// delete (the pod Terminating and serving through its grace period), a deletion while the watch was away.
    @Suite(.serialized) struct ManagerRolloutTests {
        /// One Deployment pod, replaced on delete, with a real pod's 30 s grace period (room for a loaded machine's
        /// kubectl; the tests force the end).
        static let deployment = #"""
            {"contexts": [{"name": "dev", "namespaces": [{"name": "default", "pods": [
                {"name": "web-5d8f7b6c9d-abcde", "replaceOnDelete": true, "terminationGracePeriodSeconds": 30,
                 "labels": {"app": "web", "pod-template-hash": "5d8f7b6c9d"},
                 "containers": [{"name": "main", "ports": [{"containerPort": 80, "name": "http"}]}]}]}]}]}
            """#

        static let oldPod = "web-5d8f7b6c9d-abcde"

        /// GETs through `port`, one after the other, until `done` holds of an answer (or 20 s): the answers, and
        /// the requests that failed.
        static func requests(port: Int, until done: @escaping (String) -> Bool) async -> (bodies: [String], failures: [String]) {
            var bodies: [String] = []
            var failures: [String] = []
            _ = await pollUntil(timeout: .seconds(20)) {
                do {
                    let body = try await httpGet(port: port, timeout: .seconds(10)).body
                    bodies.append(body)
                    return done(body)
                } catch {
                    failures.append("\(error)")
                    return false
                }
            }
            return (bodies, failures)
        }

        /// A pod of another name is in the namespace (within 10 s).
        static func podReplaced(_ sim: KitSim) async -> Bool {
            await pollUntil(timeout: .seconds(10)) {
                sim.server.podNames(context: "dev", namespace: "default").contains { $0 != oldPod }
            }
        }

        /// `kubectl rollout restart`: the new ReplicaSet's pod has another hash, another owner; the forward moves
        /// to it once it is Ready, while the old pod still serves (Terminating), and no request fails.
        @Test func aRolloutMovesThePodForwardToTheNewReplicaSetAndNoRequestFails() async throws {
            try await KitSim.with(Self.deployment) { sim in
                let manager = sim.manager()
                let events = EventRecorder(manager.events())
                let port = freeTCPPort()
                let record = try await manager.startForward(sim.request(Self.oldPod, local: port, remote: 80))
                #expect(await pollUntil(timeout: .seconds(10)) { sim.server.podWatchCount(context: "dev", namespace: "default") > 0 })
                let started = await sim.server.rolloutRestart(context: "dev", namespace: "default", deployment: "web")
                let new = try #require(started.first)
                #expect(started.count == 1 && !new.hasPrefix("web-5d8f7b6c9d-"))
                let answers = await Self.requests(port: port) { $0 == "kube9-sim dev/default/\(new):80\n" }
                #expect(answers.failures.isEmpty, "\(answers.failures)")
                #expect(answers.bodies.last == "kube9-sim dev/default/\(new):80\n", "\(answers.bodies)")
                #expect(Set(answers.bodies).isSubset(of: ["kube9-sim dev/default/\(Self.oldPod):80\n", "kube9-sim dev/default/\(new):80\n"]))
                #expect(await events.waitFor { $0 == .notice(Notice(.info, Messages.forwardMoved(namespace: "default", pod: new))) })
                // Moved before the old pod was gone: it is still Terminating (30 s grace from its replacement's Ready).
                let old = try await sim.harness.kubectl(["get", "pod", Self.oldPod, "-o", "jsonpath={.metadata.deletionTimestamp}"])
                #expect(old.status == 0 && !old.stdout.isEmpty, "the old pod is still listed, being deleted: \(old)")
                // Its end (forced here, not 30 s later) changes nothing.
                _ = try await sim.harness.kubectl(["delete", "pod", Self.oldPod, "--grace-period=0", "--force"])
                #expect(await pollUntil(timeout: .seconds(20)) {
                    !sim.server.podNames(context: "dev", namespace: "default").contains(Self.oldPod)
                })
                #expect(try await sim.httpBody(port: port) == "kube9-sim dev/default/\(new):80\n")
                let moved = try #require(await manager.forwards().first)
                #expect(moved.id == record.id && moved.localPort == port && moved.status == .connected && moved.target.name == new)
                await manager.stopAllForwards()
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        /// `kubectl delete pod --wait=false` with the pod's grace period: the ReplicaSet's replacement starts at
        /// once; the forward is served by the Terminating pod until the replacement is Ready, then by it.
        @Test func aGracefullyDeletedPodServesUntilItsReplacementIsReady() async throws {
            try await KitSim.with(Self.deployment) { sim in
                let manager = sim.manager()
                let port = freeTCPPort()
                _ = try await manager.startForward(sim.request(Self.oldPod, local: port, remote: 80))
                #expect(await pollUntil(timeout: .seconds(10)) { sim.server.podWatchCount(context: "dev", namespace: "default") > 0 })
                let deleted = try await sim.harness.kubectl(["delete", "pod", Self.oldPod, "--wait=false"])
                #expect(deleted.status == 0, "\(deleted)")
                let answers = await Self.requests(port: port) { !$0.contains(Self.oldPod) }
                #expect(answers.failures.isEmpty, "\(answers.failures)")
                let new = try #require(await manager.forwards().first?.target.name)
                #expect(new.hasPrefix("web-5d8f7b6c9d-") && new != Self.oldPod)
                #expect(answers.bodies.last == "kube9-sim dev/default/\(new):80\n", "\(answers.bodies)")
                let old = try await sim.harness.kubectl(["get", "pod", Self.oldPod, "-o", "jsonpath={.metadata.deletionGracePeriodSeconds}"])
                #expect(old.stdout == "30", "moved within the old pod's grace period: \(old)")
                await manager.stopAllForwards()
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        /// The API is out of reach while the pod is replaced (a network blip during a rollout): when it is back, the
        /// forward is on the replacement, whichever of its kubectl or its watch hears first.
        @Test func aPodReplacedWhileTheAPIWasAwayIsFollowedWhenItIsBack() async throws {
            let scenario = Self.deployment.replacingOccurrences(of: #""terminationGracePeriodSeconds": 30"#, with: #""terminationGracePeriodSeconds": 0"#)
            try await KitSim.with(scenario) { sim in
                let manager = sim.manager()
                let port = freeTCPPort()
                let record = try await manager.startForward(sim.request(Self.oldPod, local: port, remote: 80))
                #expect(await pollUntil(timeout: .seconds(10)) { sim.server.podWatchCount(context: "dev", namespace: "default") > 0 })
                await sim.server.setAPIAvailable(context: "dev", false)
                try await sim.deletePod(namespace: "default", name: Self.oldPod)
                // The replacement is there (Ready ~1.1 s after the delete) while kube9 cannot see it.
                #expect(await Self.podReplaced(sim))
                await sim.server.setAPIAvailable(context: "dev", true)
                let followed = await pollUntil(timeout: .seconds(40)) {
                    guard let now = await manager.forwards().first else { return false }
                    return now.status == .connected && now.target.name != Self.oldPod
                }
                let forwards = await manager.forwards()
                #expect(followed, "\(forwards)")
                let moved = try #require(await manager.forwards().first)
                #expect(moved.id == record.id && moved.localPort == port)
                #expect(try await sim.httpBody(port: port) == "kube9-sim dev/default/\(moved.target.name):80\n")
                await manager.stopAllForwards()
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }
    }
}

import Foundation
import Kube9TestSupport
import KubeSim
import Synchronization
import Testing

@testable import Kube9Kit

/// Issue 18: `followPods` over the manager's namespace watch (list, then watch from the list's resourceVersion)
/// with real kubectl against kube9-sim: the whole list first, then each change; one kubectl per namespace shared
/// with the forwards there; ending the reading ends the kubectl.
@Suite struct PodListFollowTests {
    /// The changes read so far.
    final class ChangeLog: Sendable {
        private let mutex = Mutex<[PodListChange]>([])
        func append(_ change: PodListChange) { mutex.withLock { $0.append(change) } }
        var all: [PodListChange] { mutex.withLock { $0 } }
    }

    /// Reads a follow stream into a list of changes.
    struct Reader: Sendable {
        let log = ChangeLog()
        let task: Task<Void, Never>

        init(_ stream: AsyncStream<PodListChange>) {
            let log = self.log
            task = Task { for await change in stream { log.append(change) } }
        }

        var all: [PodListChange] { log.all }

        func wait(for predicate: @escaping @Sendable (PodListChange) -> Bool) async -> Bool {
            await pollUntil(timeout: .seconds(120)) { log.all.contains(where: predicate) }
        }
    }

    @Test(.timeLimit(.minutes(4))) func aFollowedNamespaceListsThenReportsAddedChangedAndDeletedPods() async throws {
        try await KitSim.with(ForwardScenarios.standard()) { sim in
            let manager = sim.manager()
            let reader = Reader(await manager.followPods(context: "dev", namespace: "default"))
            #expect(await reader.wait { if case .listed(let pods) = $0 { pods.map(\.name) == ["api-0", "pending-0", "web-0"] } else { false } })
            await sim.server.addPod(context: "dev", namespace: "default", pod: ScenarioPod(name: "new-0", phase: "Pending"))
            await sim.server.setPodPhase(context: "dev", namespace: "default", name: "pending-0", phase: "Running")
            await sim.server.deletePod(context: "dev", namespace: "default", name: "web-0")
            #expect(await reader.wait { if case .added(let pod) = $0 { pod.name == "new-0" } else { false } })
            #expect(await reader.wait { if case .modified(let pod) = $0 { pod.name == "pending-0" && pod.phase == .running } else { false } })
            #expect(await reader.wait { if case .deleted(let pod) = $0 { pod.name == "web-0" } else { false } })
            #expect(sim.watchProcessIDs().count == 1)
            // The watch's kubectl runs in the background from its start: this process's nice plus 10.
            let base = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(getpid()))
            for pid in sim.watchProcessIDs() {
                let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
                let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
                #expect(Int32(fields[16]) == min(base + 10, 19), "nice of the watch \(pid)")
            }
            reader.task.cancel()
            #expect(await pollUntil(timeout: .seconds(30)) { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
        }
    }

    /// A forward and an open list in one namespace share one watch; the list's reader ending leaves the forward's.
    @Test(.timeLimit(.minutes(4))) func theForwardsWatchIsSharedAndOutlivesTheList() async throws {
        try await KitSim.with(ForwardScenarios.standard()) { sim in
            let manager = sim.manager()
            let events = EventRecorder(manager.events())
            _ = try await manager.startForward(sim.request("web-0", local: freeTCPPort(), remote: 80))
            #expect(await pollUntil(timeout: .seconds(60)) { sim.watchProcessIDs().count == 1 })
            let watch = sim.watchProcessIDs()
            let reader = Reader(await manager.followPods(context: "dev", namespace: "default"))
            #expect(await reader.wait { if case .listed(let pods) = $0 { pods.count == 3 } else { false } })
            #expect(sim.watchProcessIDs() == watch, "one watch for both")
            reader.task.cancel()
            // The forward's watch still runs (and still sees its pod deleted) after the list stopped following it.
            await sim.server.deletePod(context: "dev", namespace: "default", name: "web-0")
            #expect(await events.waitFor(timeout: .seconds(60)) { $0 == .notice(Notice(.info, "Port forward stopped: Pod 'web-0' was deleted")) })
            #expect(sim.watchProcessIDs().isSubset(of: watch))
            await manager.stopAllForwards()
            #expect(await pollUntil(timeout: .seconds(30)) { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
        }
    }

    /// Stopping every forward (`X`) leaves an open list live; quitting (``unfollowAllPods()``) ends its kubectl.
    @Test(.timeLimit(.minutes(4))) func stoppingEveryForwardLeavesAFollowedListLive() async throws {
        try await KitSim.with(ForwardScenarios.standard()) { sim in
            let manager = sim.manager()
            _ = try await manager.startForward(sim.request("web-0", local: freeTCPPort(), remote: 80))
            let reader = Reader(await manager.followPods(context: "dev", namespace: "default"))
            #expect(await reader.wait { if case .listed = $0 { true } else { false } })
            await manager.stopAllForwards()
            #expect(sim.leftoverProcesses().allSatisfy { $0.commandLine.contains("watch=1") })
            await sim.server.deletePod(context: "dev", namespace: "default", name: "api-0")
            #expect(await reader.wait { if case .deleted(let pod) = $0 { pod.name == "api-0" } else { false } })
            await manager.unfollowAllPods()
            #expect(sim.leftoverProcesses().isEmpty, "left: \(sim.leftoverProcesses())")
            await reader.task.value  // its stream finished
        }
    }

    /// A watch that ends (the server drops it) lists again: the new list is the cluster's (a pod deleted is gone).
    @Test(.timeLimit(.minutes(4))) func aRestartedWatchListsAgain() async throws {
        try await KitSim.with(ForwardScenarios.standard()) { sim in
            let manager = sim.manager()
            let reader = Reader(await manager.followPods(context: "dev", namespace: "default"))
            #expect(await reader.wait { if case .listed = $0 { true } else { false } })
            // Dropped once the server has the watch: the watch ends, kubectl lists and watches again.
            #expect(await pollUntil(timeout: .seconds(60)) { sim.server.podWatchCount(context: "dev", namespace: "default") == 1 })
            await sim.server.deletePod(context: "dev", namespace: "default", name: "api-0")
            await sim.server.dropWatches(context: "dev", namespace: "default")
            #expect(await reader.wait { change in
                if case .listed(let pods) = change { return !pods.contains { $0.name == "api-0" } }
                return false
            })
            #expect(reader.all.filter { if case .listed = $0 { true } else { false } }.count >= 2)
            reader.task.cancel()
            await manager.stopAllForwards()
            #expect(await pollUntil(timeout: .seconds(30)) { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
        }
    }
}

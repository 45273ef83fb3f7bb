import Foundation
import Kube9Kit
import Synchronization
import Testing
@testable import Kube9TUI

/// Issue 18: an open pod list follows the cluster through a watch (added, deleted, phase changes), no polling,
/// and the selection stays put; closing the list stops its watch.
@Suite struct LivePodListTests {
    static let key = NamespaceKey(context: "dev", namespace: "default")

    @Test func anOpenLoadedListIsWatchedAndAClosedOneIsNot() {
        var s = Fixtures.state()
        s = Fixtures.apply(s, .contextsLoaded(.success(Fixtures.contexts)), .key(.down), .key(.right),
                           .namespacesLoaded(context: "dev", .success(Fixtures.namespaces)), .key(.down))
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .right)
        #expect(effects == [.loadPods(context: "dev", namespace: "default")])
        (s, effects) = AppUpdate.update(s, .podsLoaded(context: "dev", namespace: "default", .success(Fixtures.pods)))
        #expect(effects == [.watchPods(Self.key)])
        // A reload keeps the watch; closing the namespace stops it.
        (s, effects) = Fixtures.press(s, .character("r"))
        #expect(effects == [.loadPods(context: "dev", namespace: "default")])
        s = Fixtures.apply(s, .podsLoaded(context: "dev", namespace: "default", .success(Fixtures.pods)))
        (s, effects) = Fixtures.press(s, .left)
        #expect(effects == [.stopWatchingPods(Self.key)])
        #expect(s.watchedPodLists.isEmpty)
    }

    @Test func changesShowAndTheSelectionStaysAt80x24() {
        var s = Fixtures.press(Fixtures.loaded(), .down, .down, .down).0
        #expect(s.selectedRow?.id == .pod(context: "dev", namespace: "default", name: "job-1"))
        s = Fixtures.apply(
            s, .podChanged(context: "dev", namespace: "default", .deleted(Fixtures.pod("web-0"))),
            .podChanged(context: "dev", namespace: "default", .modified(Fixtures.pod("queue-0", .running))),
            .podChanged(context: "dev", namespace: "default", .added(Fixtures.pod("web-1", .pending))))
        let lines = Fixtures.lines(s)
        #expect(lines[4] == "      ● queue-0  Running     1/1")
        #expect(lines[5].hasPrefix("      ✓ job-1"))
        #expect(lines[8] == "      ◌ web-1    Pending     0/1")
        #expect(!lines.joined().contains("web-0"))
        #expect(s.selectedRow?.id == .pod(context: "dev", namespace: "default", name: "job-1"))
        // The selected pod deleted: its neighbour takes the selection.
        s = Fixtures.apply(s, .podChanged(context: "dev", namespace: "default", .deleted(Fixtures.pod("job-1"))))
        #expect(s.selectedRow?.id == .pod(context: "dev", namespace: "default", name: "job-2"))
    }

    @Test func changesShowAt40x12AndAnUnchangedPodRebuildsNothing() {
        var s = Fixtures.press(Fixtures.loaded(width: 40, height: 12), .down).0
        s = Fixtures.apply(s, .podChanged(context: "dev", namespace: "default", .modified(Fixtures.pod("queue-0", .running))))
        #expect(Fixtures.lines(s)[5] == "      ● queue-0  Running     1/1")
        var tree = s.tree
        let same = tree.apply(.added(Fixtures.pod("job-1", .succeeded)), context: "dev", namespace: "default")
        let unknown = tree.apply(.deleted(Fixtures.pod("nope")), context: "dev", namespace: "default")
        let notLoaded = tree.apply(.added(Fixtures.pod("x")), context: "dev", namespace: "kube-system")
        #expect(!same && !unknown && !notLoaded)
        #expect(tree == s.tree)
    }

    /// A backend whose watch reports two changes, then waits to be cancelled (and says when it ended).
    final class WatchingBackend: KubeBackend, @unchecked Sendable {
        let ended = Mutex(0)
        func contexts() async -> Result<[KubeContext], KubeError> { .success(Fixtures.contexts) }
        func namespaces(context: String) async -> Result<[KubeNamespace], KubeError> { .success(Fixtures.namespaces) }
        func pods(context: String, namespace: String) async -> Result<[Pod], KubeError> { .success(Fixtures.pods) }
        func forwards() async -> [ForwardRecord] { [] }
        func checkLocalPort(_ port: Int) async -> LocalPortCheck { .available }
        func startForward(_ request: ForwardRequest) async -> Result<ForwardRecord, KubeError> { .success(Fixtures.forward()) }
        func stopForward(id: String) async -> KubeError? { nil }
        func restartForward(id: String) async -> Result<ForwardRecord, KubeError> { .success(Fixtures.forward()) }
        func stopAllForwards() async {}
        func events() -> AsyncStream<ForwardEvent> { AsyncStream { $0.finish() } }
        func services(context: String, namespace: String) async -> Result<[KubeService], KubeError> { .success([]) }
        func loadSavedForwards() async -> SavedForwardStore.Loaded { .init(forwards: [], notice: nil) }
        func saveForwards(_ forwards: [SavedForward]) async -> KubeError? { nil }
        func setHealing(_ enabled: Bool, forwardID: String) async -> KubeError? { nil }
        func watchPods(context: String, namespace: String, onChange: @escaping @Sendable (PodChange) async -> Void) async {
            await onChange(.added(Fixtures.pod("web-1")))
            await onChange(.deleted(Fixtures.pod("ghost")))
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(60)) }
            ended.withLock { $0 += 1 }
        }
    }

    @Test func theRunnerPostsWatchChangesAndStopsEveryWatchBeforeReturning() async throws {
        let inbox = try EventInbox()
        let backend = WatchingBackend()
        let runner = EffectRunner(backend: backend, inbox: inbox, logger: .init(label: "test"))
        runner.run(.watchPods(Self.key))
        runner.run(.watchPods(Self.key))
        let events = try await Fixtures.events(from: inbox, count: 2)
        #expect(events.count == 2)
        var s = Fixtures.loaded()
        for event in events { s = AppUpdate.update(s, event).0 }
        let names = s.tree.pods[Self.key]?.value?.map(\.name)
        #expect(names == ["web-0", "queue-0", "job-1", "job-2", "web-1"])
        await runner.stopWatches()
        let ended = backend.ended.withLock { $0 }
        #expect(ended == 1)
    }
}

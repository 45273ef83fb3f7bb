import Foundation
import Kube9Kit
import Testing
@testable import Kube9TUI

/// Issue 18: an open namespace follows the cluster through its watch (added, deleted, phase changes), no polling;
/// the selection stays on its row; closing the namespace or its context ends the watch.
@Suite struct LivePodListTests {
    static let key = NamespaceKey(context: "dev", namespace: "default")

    static func changed(_ change: PodListChange) -> AppEvent { .podListChanged(key, change) }

    @Test func anOpenNamespaceIsFollowedAndClosingItOrItsContextStopsTheWatch() {
        var s = Fixtures.apply(
            Fixtures.state(), .contextsLoaded(.success(Fixtures.contexts)), .key(.down), .key(.right),
            .namespacesLoaded(context: "dev", .success(Fixtures.namespaces)), .key(.down))
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .right)
        #expect(effects == [.loadPods(context: "dev", namespace: "default"), .followPods(Self.key)])
        (s, effects) = AppUpdate.update(s, .podsLoaded(context: "dev", namespace: "default", .success(Fixtures.pods)))
        #expect(effects.isEmpty && s.followedPodLists == [Self.key])
        (s, effects) = Fixtures.press(s, .left)
        #expect(effects == [.unfollowPods(Self.key)] && s.followedPodLists.isEmpty && s.livePods.isEmpty)
        (s, effects) = Fixtures.press(s, .right)
        #expect(effects == [.followPods(Self.key)], "loaded already: followed again, not listed again")
        // The context closed: its namespaces' lists are off screen, their watches end.
        (s, effects) = Fixtures.press(s, .up, .left)
        #expect(effects == [.unfollowPods(Self.key)])
    }

    @Test func watchChangesShowAndTheSelectionStaysOnItsPod() {
        var s = Fixtures.press(Fixtures.loaded(), .down, .down, .down).0
        #expect(s.selectedRow?.id == .pod(context: "dev", namespace: "default", name: "job-1"))
        s = Fixtures.apply(
            s, Self.changed(.listed(Fixtures.pods)), Self.changed(.deleted(Fixtures.pod("web-0"))),
            Self.changed(.modified(Fixtures.pod("queue-0", .running))), Self.changed(.added(Fixtures.pod("api-0", .pending))))
        let names = s.tree.pods[Self.key]?.value?.map(\.name)
        #expect(names == ["api-0", "ghost", "job-1", "job-2", "queue-0"])
        #expect(s.tree.pods[Self.key]?.value?.last?.phase == .running)
        let lines = Fixtures.lines(s)
        #expect(lines.contains { $0.contains("api-0") && $0.contains("Pending") })
        #expect(!lines.joined().contains("web-0"))
        #expect(s.selectedRow?.id == .pod(context: "dev", namespace: "default", name: "job-1"))
        // The selected pod deleted: the pod that takes its place in the list is selected.
        s = Fixtures.apply(s, Self.changed(.deleted(Fixtures.pod("job-1"))))
        #expect(s.selectedRow?.id == .pod(context: "dev", namespace: "default", name: "job-2"))
        // A pod added above the selection moves the row, not the selection.
        s = Fixtures.apply(s, Self.changed(.added(Fixtures.pod("a-0"))))
        #expect(s.selectedRow?.id == .pod(context: "dev", namespace: "default", name: "job-2"))
    }

    /// A watch that restarted lists again: pods deleted while it was down leave, the selection stays.
    @Test func aNewListReplacesTheOldOne() {
        var s = Fixtures.press(Fixtures.loaded(), .down, .down).0
        let selected = s.selectedRow?.id
        s = Fixtures.apply(s, Self.changed(.listed([Fixtures.pod("queue-0"), Fixtures.pod("web-0")])))
        #expect(s.tree.pods[Self.key]?.value?.map(\.name) == ["queue-0", "web-0"])
        #expect(s.selectedRow?.id == selected && selected == .pod(context: "dev", namespace: "default", name: "queue-0"))
    }

    /// Changes before the watch listed, after the list was closed, or for a list never opened change nothing.
    @Test func changesWithoutAFollowedListedNamespaceAreIgnored() {
        let s = Fixtures.loaded()
        let added = Fixtures.apply(s, Self.changed(.added(Fixtures.pod("new-0"))))
        #expect(added.tree == s.tree)
        let other = Fixtures.apply(s, .podListChanged(NamespaceKey(context: "dev", namespace: "kube-system"), .listed([])))
        #expect(other.tree == s.tree)
        let closed = Fixtures.apply(Fixtures.press(s, .left).0, Self.changed(.listed([])))
        #expect(closed.livePods.isEmpty)
    }

    /// `r` (or a slow first answer) while the watch follows: the list call's answer is older than the watch's
    /// news and does not bring back a deleted pod.
    @Test func aListAnswerAfterTheWatchListedKeepsTheWatchesList() {
        var s = Fixtures.apply(Fixtures.loaded(), Self.changed(.listed(Fixtures.pods)), Self.changed(.deleted(Fixtures.pod("ghost"))))
        s = Fixtures.press(s, .down, .down, .character("r")).0
        #expect(s.tree.pods[Self.key] == .loading)
        s = Fixtures.apply(s, .podsLoaded(context: "dev", namespace: "default", .success(Fixtures.pods)))
        #expect(s.tree.pods[Self.key]?.value?.map(\.name) == ["job-1", "job-2", "queue-0", "web-0"])
        // A failed reload is shown; the watch's next news brings the list back.
        s = Fixtures.press(s, .character("r")).0
        s = Fixtures.apply(s, .podsLoaded(context: "dev", namespace: "default", .failure(KubeError(.unreachable, "down"))))
        #expect(s.tree.pods[Self.key] == .failed("down"))
        s = Fixtures.apply(s, Self.changed(.deleted(Fixtures.pod("job-2"))))
        #expect(s.tree.pods[Self.key]?.value?.map(\.name) == ["job-1", "queue-0", "web-0"])
    }

    @Test func theChangesApplyByName() {
        let pods = [Fixtures.pod("a"), Fixtures.pod("c")]
        #expect(PodListChanges.apply(.added(Fixtures.pod("b")), to: pods)?.map(\.name) == ["a", "b", "c"])
        #expect(PodListChanges.apply(.added(Fixtures.pod("d")), to: pods)?.map(\.name) == ["a", "c", "d"])
        #expect(PodListChanges.apply(.modified(Fixtures.pod("c", .failed)), to: pods)?.last?.phase == .failed)
        #expect(PodListChanges.apply(.deleted(Fixtures.pod("x")), to: pods) == pods)
        #expect(PodListChanges.apply(.deleted(Fixtures.pod("a")), to: nil) == nil)
        #expect(PodListChanges.apply(.listed([Fixtures.pod("z"), Fixtures.pod("y")]), to: nil)?.map(\.name) == ["y", "z"])
    }
}

/// Issue 14 in the UI: the manager's warning that nothing listens on a forwarded port is on the message line.
@Suite struct NothingListensMessageTests {
    @Test func theWarningIsShownOnTheMessageLineUntilTheNextKey() {
        let text = "Nothing listens on port 5432 in pod default/db-0"
        var s = Fixtures.apply(Fixtures.loaded(), .forwardEvent(.notice(Notice(.warning, text))))
        #expect(s.message == MessageLine(.error, text))
        #expect(Fixtures.lines(s).contains { $0.contains(text) })
        s = Fixtures.apply(s, .tick(Fixtures.start.addingTimeInterval(60)))
        #expect(s.message?.text == text, "a warning does not expire by itself")
    }
}

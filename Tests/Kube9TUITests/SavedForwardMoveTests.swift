import Foundation
import Kube9Kit
import Testing
@testable import Kube9TUI

/// A saved forward that follows its pod to a replacement stays one saved row, saved as the new pod.
@Suite struct SavedForwardMoveTests {
    static func moved(_ record: ForwardRecord, to pod: String) -> ForwardRecord {
        var moved = record
        moved.target.name = pod
        return moved
    }

    @Test func aMovedSavedForwardIsSavedAsItsNewPod() {
        let record = Fixtures.forward("web-7d9f8-abcde")
        var s = Fixtures.apply(
            Fixtures.loaded(forwards: [record]),
            .savedForwardsLoaded([Fixtures.saved("web-7d9f8-abcde"), Fixtures.saved("db-0", local: 5432, remote: 5432)], notice: nil))
        var effects: [Effect]
        (s, effects) = Fixtures.run(s, [.forwardEvent(.updated(Self.moved(record, to: "web-7d9f8-fghij")))])
        let expected = [Fixtures.saved("web-7d9f8-fghij"), Fixtures.saved("db-0", local: 5432, remote: 5432)]
        #expect(effects == [.saveForwards(expected)])
        #expect(s.tree.saved == expected)
        #expect(s.tree.stoppedSaved == [Fixtures.saved("db-0", local: 5432, remote: 5432)], "no stopped row for the old pod")
        // Updates that move nothing write nothing.
        (s, effects) = Fixtures.run(s, [.forwardEvent(.updated(Self.moved(record, to: "web-7d9f8-fghij")))])
        #expect(effects.isEmpty)
    }

    @Test func anUnsavedForwardsMoveWritesNothing() {
        let record = Fixtures.forward("web-7d9f8-abcde")
        let s = Fixtures.apply(Fixtures.loaded(forwards: [record]), .savedForwardsLoaded([], notice: nil))
        let (after, effects) = Fixtures.run(s, [.forwardEvent(.updated(Self.moved(record, to: "web-7d9f8-fghij")))])
        #expect(effects.isEmpty && after.tree.saved.isEmpty)
    }

    @Test func theListFollowsOnlyAMoveOfTheSameForward() {
        let before = Fixtures.forward("web-a")
        let saved = [Fixtures.saved("web-a"), Fixtures.saved("web-b", local: 9090)]
        #expect(saved.followingMove(of: before, to: Self.moved(before, to: "web-c")) == [Fixtures.saved("web-c"), Fixtures.saved("web-b", local: 9090)])
        #expect(saved.followingMove(of: before, to: before) == nil)
        var other = Self.moved(before, to: "web-c")
        other.id = "another"
        #expect(saved.followingMove(of: before, to: other) == nil)
        // The new pod is saved already (on this port): the list stays as it is.
        #expect([Fixtures.saved("web-a"), Fixtures.saved("web-c")].followingMove(of: before, to: Self.moved(before, to: "web-c")) == nil)
    }
}

/// The selection stays on a saved forward when it starts (its row moves up among the live forwards).
@Suite struct SavedForwardSelectionTests {
    @Test func aStartedSavedForwardKeepsTheSelection() {
        let db = Fixtures.saved("db", local: 5432, remote: 5432, kind: .service)
        let api = Fixtures.saved("api", local: 18080, remote: 8080, kind: .deployment)
        var s = Fixtures.apply(Fixtures.loaded(), .savedForwardsLoaded([db, api], notice: nil), .key(.home), .key(.right), .key(.down), .key(.down))
        #expect(s.selectedRow?.id == .savedForward(api))
        let started = Fixtures.forward("api", local: 18080, remote: 8080, kind: .deployment)
        s = Fixtures.apply(s, .forwardEvent(.added(started)))
        #expect(s.rows.firstIndex { $0.id == .forward(id: started.id) } == 1, "the live row comes first")
        #expect(s.selectedRow?.id == .forward(id: started.id))
    }
}

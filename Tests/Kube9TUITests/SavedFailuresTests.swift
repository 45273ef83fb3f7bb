import Kube9Kit
import Testing
@testable import Kube9TUI

/// Issue 18: `S` reports every failure: each failing saved row carries its reason (until it starts or `r`), and
/// the message line ends with how many of the saved forwards failed.
@Suite struct SavedFailuresTests {
    static let web = Fixtures.saved()
    static let db = Fixtures.saved("db", local: 5432, remote: 5432)
    static let queue = Fixtures.saved("queue-0", local: 9000)
    static let busy = KubeError(.portInUse, Messages.portInUse(port: 5432, suggestion: 5433))
    static let forbidden = KubeError(.forbidden, Messages.permissionDenied(namespace: "default"))

    static func startedAll(width: Int = 80, height: Int = 24) -> (AppState, [Effect]) {
        var s = Fixtures.loaded(width: width, height: height)
        s = Fixtures.apply(s, .savedForwardsLoaded([web, db, queue], notice: nil), .key(.home), .key(.right))
        return Fixtures.press(s, .character("S"))
    }

    static func answered(width: Int = 80, height: Int = 24) -> AppState {
        let s = startedAll(width: width, height: height).0
        return Fixtures.apply(
            s, .forwardFailed(db.request(), busy), .forwardStarted(web.request(), Fixtures.forward()),
            .forwardEvent(.added(Fixtures.forward())), .forwardFailed(queue.request(), forbidden))
    }

    @Test func everyFailingSavedRowCarriesItsReasonAndTheLineCountsThemAt80x24() {
        let (_, effects) = Self.startedAll()
        #expect(effects.count == 3)
        let s = Self.answered()
        #expect(s.message == MessageLine(.error, "2 of 3 saved forward(s) failed to start; the reasons are on their rows"))
        #expect(s.dialog == nil)
        let lines = Fixtures.lines(s)
        #expect(lines[2].hasPrefix("    localhost:8080 → default/web-0:80  dev • connected"))
        #expect(lines[3] == "    localhost:5432 → default/db:5432  dev • ✗ Port 5432 is already in use. Try…")
        #expect(lines[4] == "    localhost:9000 → default/queue-0:80  dev • ✗ Permission denied. You need p…")
        #expect(lines[22] == "2 of 3 saved forward(s) failed to start; the reasons are on their rows")
    }

    @Test func reasonsShowAt40x12() {
        let lines = Fixtures.lines(Self.answered(width: 40, height: 12))
        #expect(lines[3] == "    localhost:5432 → default/db:5432  …")
        #expect(lines[4] == "    localhost:9000 → default/queue-0:8…")
        #expect(lines[10].hasPrefix("2 of 3 saved"))
    }

    @Test func aReasonGoesWhenTheForwardStartsOrOnR() {
        var s = Self.answered()
        // Enter on the db row starts it again; started, its reason goes (and the row gives way to the forward).
        let db = Fixtures.forward("db", local: 5432, remote: 5432)
        s = Fixtures.apply(s, .forwardStarted(Self.db.request(), db))
        #expect(s.tree.savedFailures[Self.db] == nil)
        #expect(s.tree.savedFailures[Self.queue] == Self.forbidden.message)
        // r on Port Forwarding: every reason goes, the rows read stopped again.
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .home, .character("r"))
        #expect(effects == [.refreshForwards(asOf: s.tree.forwardsRevision)])
        #expect(s.tree.savedFailures.isEmpty)
        #expect(Fixtures.lines(s).contains("    localhost:9000 → default/queue-0:80  dev • ○ stopped (saved)"))
    }

    @Test func aSingleSavedRowThatFailsCarriesItsReasonToo() {
        var s = Fixtures.apply(Fixtures.loaded(), .savedForwardsLoaded([Self.queue], notice: nil), .key(.home), .key(.right))
        s = Fixtures.press(s, .down, .enter).0
        s = Fixtures.apply(s, .forwardFailed(Self.queue.request(), Self.forbidden))
        #expect(s.message == MessageLine(.error, Self.forbidden.message))
        #expect(Fixtures.lines(s)[2].contains("dev • ✗ Permission denied."))
    }

    @Test func kube9UpAndTheUISayTheSameCount() {
        #expect(Messages.savedForwardsFailedToStart(3, of: 5) == "3 of 5 saved forward(s) failed to start")
    }
}

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

    /// A row cuts its reason (40 columns, or a long reason at 80): selected, the reason shows whole on the message
    /// line, wrapped onto up to two lines above it, and the row stays on screen above them.
    @Test func theSelectedFailingRowShowsItsWholeReasonAt40x12And80x24() {
        var s = Fixtures.press(Self.answered(width: 40, height: 12), .down, .down).0
        #expect(s.selectedRow?.id == .savedForward(Self.db))
        var lines = Fixtures.lines(s)
        #expect(lines[3] == "    localhost:5432 → default/db:5432  …")
        #expect(ScreenView.render(s)[0, 3].style.reverse)
        #expect(lines[10] == "✗ Port 5432 is already in use. Try 5433?")
        // One line: the tree keeps all its rows.
        #expect(lines[9].contains("job-1"))
        s = Fixtures.press(s, .down).0
        lines = Fixtures.lines(s)
        #expect(lines[8...10].joined(separator: " ") == "✗ " + Self.forbidden.message)
        #expect(lines[4] == "    localhost:9000 → default/queue-0:8…")
        #expect(ScreenView.render(s)[0, 4].style.reverse)
        #expect(lines.allSatisfy { CharacterWidth.of($0) <= 40 })
        // A running forward's row: nothing below the tree.
        lines = Fixtures.lines(Fixtures.press(s, .up, .up).0)
        #expect(lines[10].trimmingCharacters(in: .whitespaces).isEmpty)

        // At 80 columns the row cuts the reason too: the message line has it whole.
        var wide = Fixtures.press(Self.answered(), .down, .down).0
        lines = Fixtures.lines(wide)
        #expect(lines[3] == "    localhost:5432 → default/db:5432  dev • ✗ Port 5432 is already in use. Try…")
        #expect(lines[22] == "✗ Port 5432 is already in use. Try 5433?")
        wide = Fixtures.press(wide, .down).0
        #expect(Fixtures.lines(wide)[21...22].joined(separator: " ") == "✗ " + Self.forbidden.message)
        // A message holds the line: the reason waits until it goes.
        wide = Fixtures.apply(wide, .copied("x"))
        #expect(Fixtures.lines(wide)[22] == "Copied x to the clipboard")
        #expect(Fixtures.lines(wide)[21].contains("localhost") || Fixtures.lines(wide)[21].trimmingCharacters(in: .whitespaces).isEmpty)
    }

    /// The last row on screen selected: the tree scrolls so it stays above its reason, and clicks go by what is drawn.
    @Test func aFailingRowAtTheBottomStaysAboveItsReasonAndClicksFollowIt() {
        let entries = (0..<12).map { Fixtures.saved("p\($0)", local: 7000 + $0) }
        var s = Fixtures.apply(Fixtures.loaded(width: 40, height: 12), .savedForwardsLoaded(entries, notice: nil), .key(.home), .key(.right))
        s = Fixtures.press(s, .character("S")).0
        s = Fixtures.run(s, entries.map { AppEvent.forwardFailed($0.request(), Self.forbidden) }).0
        s = Fixtures.run(s, Array(repeating: AppEvent.key(.down), count: 8)).0
        #expect(s.selectedRow?.id == .savedForward(entries[7]))
        let lines = Fixtures.lines(s)
        #expect(lines[7].contains("localhost:7007"))
        #expect(ScreenView.render(s)[0, 7].style.reverse)
        #expect(lines[8...10].joined(separator: " ") == "✗ " + Self.forbidden.message)
        let click = { (y: Int) in Key.mouse(MouseEvent(.click, x: 10, y: y)) }
        #expect(Fixtures.press(s, click(1)).0.selectedRow?.id == .savedForward(entries[1]))
        #expect(Fixtures.press(s, click(9)).0.selectedRow?.id == .savedForward(entries[7]))
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

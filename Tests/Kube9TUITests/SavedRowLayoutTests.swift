import Kube9Kit
import Testing
@testable import Kube9TUI

/// Issue 16: a saved forward that is not running is laid out like a running one (label, context, status, marks),
/// so the labels and contexts of both line up.
@Suite struct SavedRowLayoutTests {
    static func state(width: Int, height: Int) -> AppState {
        var s = Fixtures.loaded(width: width, height: height, forwards: [Fixtures.forward()])
        s = Fixtures.apply(s, .savedForwardsLoaded([
            Fixtures.saved(), Fixtures.saved("db", local: 5432, remote: 5432),
            SavedForward(context: "dev", namespace: "default", kind: .pod, name: "queue-0", localPort: 9000, remotePort: 80,
                         address: "0.0.0.0", heals: false),
        ], notice: nil))
        return Fixtures.apply(s, .key(.home), .key(.right))
    }

    @Test func savedRowsLineUpWithRunningOnesAt80x24() {
        let lines = Fixtures.lines(Self.state(width: 80, height: 24))
        #expect(lines[2] == "    localhost:8080 → default/web-0:80  dev • connected • 5m 32s (saved)")
        #expect(lines[3] == "    localhost:5432 → default/db:5432  dev • ○ stopped (saved)")
        #expect(lines[4] == "    ⚠ 0.0.0.0:9000 → default/queue-0:80  dev • ○ stopped • no-heal (saved)")
    }

    @Test func savedRowsAreCutLikeRunningOnesAt40x12() {
        let lines = Fixtures.lines(Self.state(width: 40, height: 12))
        #expect(lines[2] == "    localhost:8080 → default/web-0:80 …")
        #expect(lines[3] == "    localhost:5432 → default/db:5432  …")
        #expect(lines[4] == "    ⚠ 0.0.0.0:9000 → default/queue-0:8…")
    }

    @Test func savedRowsWithoutUnicodeUseThePlainMarks() {
        var s = Self.state(width: 80, height: 24)
        s.capabilities = TerminalCapabilities(unicode: false, colors: false)
        let lines = Fixtures.lines(s)
        #expect(lines[3] == "    localhost:5432 -> default/db:5432  dev - o stopped (saved)")
    }
}

import Foundation
import Kube9Kit
import Testing
@testable import Kube9TUI

/// A row that cuts what it has to say (a list's error, a forward's pause) says it whole once selected: on the
/// message line and up to two lines above it, in the row's own style.
@Suite struct RowReasonTests {
    static let missing = Messages.kubectlNotFound("/opt/tools/kubectl-1.31/bin/kubectl", missing: .noSuchFile)

    @Test func aListErrorCutOnItsRowShowsWholeWhenSelected() {
        var s = Fixtures.apply(Fixtures.state(), .contextsLoaded(.success(Fixtures.contexts)), .forwardsRefreshed([], asOf: 0))
        s = Fixtures.apply(s, .key(.down), .key(.right), .namespacesLoaded(context: "dev", .failure(KubeError(.kubectlNotFound, Self.missing))))
        var lines = Fixtures.lines(s)
        #expect(lines[3] == "    ✗ kubectl not found. Please install kubectl to use port forwarding. /opt/t…")
        // The context row is selected: nothing below the tree.
        #expect(lines[22].trimmingCharacters(in: .whitespaces).isEmpty)

        s = Fixtures.press(s, .down).0
        #expect(s.selectedRow?.content == .failed(Self.missing))
        lines = Fixtures.lines(s)
        #expect(lines[21...22].joined(separator: " ") == "✗ " + Self.missing)
        #expect(ScreenView.render(s)[0, 22].style == Theme.error)
        #expect(ScreenView.render(s)[4, 3].style.reverse)
        // A message holds the line: the reason waits until it goes.
        s = Fixtures.apply(s, .copied("x"))
        #expect(Fixtures.lines(s)[22] == "Copied x to the clipboard")
    }

    @Test func aPausedForwardCutOnItsRowShowsItsReasonWholeWhenSelected() {
        var paused = Fixtures.forward("api", local: 9000, status: .paused)
        paused.pausedReason = CredentialRowsTests.reason
        var s = Fixtures.apply(Fixtures.loaded(forwards: [paused, Fixtures.forward()]), .key(.home), .key(.right))
        var lines = Fixtures.lines(s)
        #expect(lines[2] == "    localhost:9000 → default/api:80  dev • paused: Authentication failed for c…")
        s = Fixtures.press(s, .down).0
        #expect(s.selectedRow?.id == .forward(id: paused.id))
        lines = Fixtures.lines(s)
        #expect(lines[21...22].joined(separator: " ") == "paused: " + CredentialRowsTests.reason)
        #expect(ScreenView.render(s)[0, 22].style == Theme.status(.paused))
        // The connected forward's row has nothing more to say.
        s = Fixtures.press(s, .down).0
        #expect(Fixtures.lines(s)[22].trimmingCharacters(in: .whitespaces).isEmpty)
        // The reason whole on its row, what follows it (uptime, activity) cut: nothing below the tree.
        var active = Fixtures.forward("api", local: 9000, status: .paused, connections: 3, lastConnectionAge: 12)
        active.pausedReason = "Authentication failed for context 'dev': token expired"
        let cutAfter = Fixtures.press(Fixtures.apply(Fixtures.loaded(width: 110, forwards: [active]), .key(.home), .key(.right)), .down).0
        let row = Fixtures.lines(cutAfter)[2]
        #expect(row.contains("paused: Authentication failed for context 'dev': token expired • ") && row.hasSuffix("…"), "\(row)")
        #expect(Fixtures.lines(cutAfter)[22].trimmingCharacters(in: .whitespaces).isEmpty)
        // Wide enough for the whole reason on its row: nothing below the tree.
        let wide = Fixtures.press(Fixtures.apply(Fixtures.loaded(width: 160, forwards: [paused]), .key(.home), .key(.right)), .down).0
        #expect(Fixtures.lines(wide)[22].trimmingCharacters(in: .whitespaces).isEmpty)
    }
}

import Kube9Kit
import Testing
@testable import Kube9TUI

/// The selection survives reloads; help scrolls on short screens.
@Suite struct SelectionKeptOnReloadTests {
    static let queue = NodeID.pod(context: "dev", namespace: "default", name: "queue-0")

    @Test func rOnAPodKeepsTheSelectionOnThatPod() {
        var s = Fixtures.press(Fixtures.loaded(), .down, .down).0
        #expect(s.selectedRow?.id == Self.queue)
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .character("r"))
        #expect(effects == [.loadPods(context: "dev", namespace: "default")])
        // While loading, it waits on the list's Loading row…
        #expect(s.selectedRow?.id == .status(parent: .namespace(context: "dev", name: "default")))
        // …and comes back to the pod when it is listed again (not four rows down on a service).
        s = Fixtures.apply(s, .podsLoaded(context: "dev", namespace: "default", .success(Fixtures.pods)))
        #expect(s.selectedRow?.id == Self.queue)
        for (width, height) in [(80, 24), (40, 12)] {
            var sized = s
            sized.setSize(TerminalSize(width: width, height: height))
            let lines = Fixtures.lines(sized)
            let row = sized.selection - sized.scrollOffset + 1
            #expect(lines[row].contains("queue-0"), "\(width)x\(height)")
            #expect(ScreenView.render(sized)[0, row].style.reverse)
        }
    }

    @Test func aPodGoneAfterTheReloadLeavesTheSelectionOnItsNeighbour() {
        var s = Fixtures.press(Fixtures.loaded(), .down, .down, .character("r")).0
        let without = Fixtures.pods.filter { $0.name != "queue-0" }
        s = Fixtures.apply(s, .podsLoaded(context: "dev", namespace: "default", .success(without)))
        #expect(s.selectedRow?.id == .pod(context: "dev", namespace: "default", name: "job-1"))
    }

    @Test func aFailedReloadLeavesTheSelectionOnTheErrorRowUntilTheNextMove() {
        var s = Fixtures.press(Fixtures.loaded(), .down, .down, .character("r")).0
        s = Fixtures.apply(s, .podsLoaded(context: "dev", namespace: "default", .failure(KubeError(.other, "boom"))))
        #expect(s.selectedRow?.id == .status(parent: .namespace(context: "dev", name: "default")))
        s = Fixtures.press(s, .up).0
        #expect(s.selectedRow?.id == .namespace(context: "dev", name: "default"))
    }
}

@Suite struct HelpScrollTests {
    @Test func helpScrollsBelowItsHeightAndShowsEveryKey() {
        var s = Fixtures.press(Fixtures.loaded(width: 40, height: 12), .character("?")).0
        var seen = Set<String>()
        func collect() { for line in Fixtures.lines(s) { seen.insert(line) } }
        collect()
        #expect(Fixtures.lines(s).contains { $0.contains("▼") })
        #expect(Fixtures.lines(s).contains { $0.contains(UIText.helpScrollHint) })
        for _ in 0..<UIText.helpLines.count { s = Fixtures.press(s, .down).0; collect() }
        let text = seen.joined(separator: "\n")
        for key in ["H", "c", "?", "q  Ctrl-C"] {
            #expect(text.contains("│ \(key) "), "help lacks \(key)")
        }
        #expect(s.helpScroll == UIText.helpLines.count - s.helpPageHeight)
        #expect(Fixtures.lines(s).contains { $0.contains("▲") })
        s = Fixtures.press(s, .character("g")).0
        #expect(s.helpScroll == 0)
        s = Fixtures.press(s, .pageDown).0
        #expect(s.helpScroll == s.helpPageHeight - 1)
        s = Fixtures.press(s, .escape).0
        #expect(!s.helpVisible)
    }

    @Test func atFullHeightNothingScrolls() {
        let s = Fixtures.press(Fixtures.loaded(width: 120, height: 40), .character("?"), .down, .down).0
        #expect(s.helpScroll == 0)
        #expect(Fixtures.lines(s).contains { $0.contains(UIText.helpClose) })
        let on80 = Fixtures.press(Fixtures.loaded(), .character("?")).0
        #expect(Fixtures.lines(on80).contains { $0.contains("Move the selection") })
    }
}

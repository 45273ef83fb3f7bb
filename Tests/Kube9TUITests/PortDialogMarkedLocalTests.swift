import Foundation
import Kube9Kit
import Testing
@testable import Kube9TUI

/// With ports marked, the Local field is the local port of the marked port under the cursor: typed there, it is
/// that port's, checked like any; typed on an unmarked port, it says why nothing happens.
@Suite struct PortDialogMarkedLocalTests {
    static func twoMarked() -> AppState {
        var s = Fixtures.press(Fixtures.loaded(width: 80, height: 24), .down, .character("f")).0
        s = Fixtures.press(s, .character(" "), .down, .character(" ")).0
        return Fixtures.run(s, [.portChecked(port: 80, .available), .portChecked(port: 9090, .available)]).0
    }

    @Test func theLocalFieldSetsTheLocalPortOfTheMarkUnderTheCursor() {
        var s = Self.twoMarked()
        var effects: [Effect]
        (s, effects) = Fixtures.run(s, [.key(.tab), .key(.control("u"))] + Fixtures.type("25004"))
        #expect(s.dialog?.marked.map(\.local) == [80, 25004])
        #expect(effects.last == .checkLocalPort(25004))
        #expect(s.dialog?.localStatus == .checking(25004))
        s = Fixtures.apply(s, .portChecked(port: 25004, .available))
        #expect(s.dialog?.localStatus == .available(25004) && s.dialog?.marked[1].status == .available(25004))
        #expect(Fixtures.lines(s).joined(separator: "\n").contains("[x] 9090 (metrics)  local 25004"))
        // Back on the first mark, the field is its port.
        s = Fixtures.press(s, .backTab, .up).0
        #expect(s.dialog?.localText == "80" && s.dialog?.localStatus == .available(80))
        (s, effects) = Fixtures.press(s, .enter)
        #expect(effects == [.startForwards([
            ForwardRequest(context: "dev", namespace: "default", name: "web-0", localPort: 80, remotePort: 80),
            ForwardRequest(context: "dev", namespace: "default", name: "web-0", localPort: 25004, remotePort: 9090),
        ])])
    }

    @Test func aLocalPortAnotherMarkHoldsIsRefused() {
        var s = Self.twoMarked()
        var effects: [Effect]
        (s, effects) = Fixtures.run(s, [.key(.tab), .key(.control("u"))] + Fixtures.type("80"))
        #expect(s.dialog?.marked[1].status == .invalid(Messages.localPortGivenTwice(80)))
        #expect(!effects.contains(.checkLocalPort(80)))
        (s, effects) = Fixtures.press(s, .enter)
        #expect(effects.isEmpty && s.dialog?.note == Messages.localPortGivenTwice(80))
    }

    /// A typed port that is busy waits for the person, as the field's own does: the suggestion is offered, Tab takes it.
    @Test func aTypedBusyPortOffersItsSuggestion() {
        var s = Self.twoMarked()
        s = Fixtures.run(s, [.key(.tab), .key(.control("u"))] + Fixtures.type("25004")).0
        var effects: [Effect]
        (s, effects) = Fixtures.run(s, [.portChecked(port: 25004, .inUse(suggestion: 25005))])
        #expect(effects.isEmpty && s.dialog?.marked[1].local == 25004)
        #expect(s.dialog?.localStatus == .unavailable(port: 25004, message: Messages.portInUse(port: 25004, suggestion: 25005), suggestion: 25005))
        (s, effects) = Fixtures.press(s, .tab)
        #expect(s.dialog?.marked[1].local == 25005 && effects == [.checkLocalPort(25005)])
    }

    /// The manager's suggestion for a typed busy port skips the ports the other marks hold.
    @Test func aTypedMarksSuggestionIsNoOtherMarksPort() {
        var s = Self.twoMarked()
        s = Fixtures.run(s, [.key(.tab), .key(.control("u"))] + Fixtures.type("79")).0
        s = Fixtures.apply(s, .portChecked(port: 79, .inUse(suggestion: 80)))
        #expect(s.dialog?.marked[1].status == .unavailable(port: 79, message: Messages.portInUse(port: 79, suggestion: 81), suggestion: 81))
    }

    @Test func unmarkingThePortAnotherSharedChecksThatOneAgain() {
        var s = Self.twoMarked()
        s = Fixtures.run(s, [.key(.tab), .key(.control("u"))] + Fixtures.type("80")).0
        #expect(s.dialog?.marked[1].status == .invalid(Messages.localPortGivenTwice(80)))
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .backTab, .up, .character(" "))
        #expect(s.dialog?.marked.count == 1 && s.dialog?.marked[0].status == .checking(80) && effects.contains(.checkLocalPort(80)))
    }

    @Test func aMarkRefusedForSharingAPortIsCheckedAgainWhenTheOtherMoves() {
        var s = Self.twoMarked()
        s = Fixtures.run(s, [.key(.tab), .key(.control("u"))] + Fixtures.type("80")).0
        #expect(s.dialog?.marked[1].status == .invalid(Messages.localPortGivenTwice(80)))
        // To the first mark, which moves to 9000: the second is alone on 80 now.
        var effects: [Effect]
        (s, effects) = Fixtures.run(s, [.key(.backTab), .key(.up), .key(.tab), .key(.control("u"))] + Fixtures.type("9000"))
        #expect(s.dialog?.marked.map(\.local) == [9000, 80])
        #expect(s.dialog?.marked[1].status == .checking(80) && effects.contains(.checkLocalPort(80)))
    }

    @Test func dOnTheLocalFieldTogglesOnDemandWhereverTheCursorIs() {
        var s = Fixtures.press(Self.twoMarked(), .down, .tab).0
        #expect(s.dialog?.onDemand == false)
        s = Fixtures.press(s, .character("d")).0
        #expect(s.dialog?.onDemand == true && s.dialog?.note == nil)
    }

    @Test func typingOnAnUnmarkedPortSaysToMarkItFirst() {
        var s = Self.twoMarked()
        s = Fixtures.press(s, .down).0  // Custom… is not marked
        #expect(s.dialog?.localText == "")
        var effects: [Effect]
        (s, effects) = Fixtures.run(s, [.key(.tab)] + Fixtures.type("7"))
        #expect(effects.isEmpty && s.dialog?.note == UIText.markBeforeLocal && s.dialog?.localText == "")
    }

    @Test func aLocalPortTypedBeforeTheFirstMarkIsKept() {
        var s = Fixtures.press(Fixtures.loaded(width: 80, height: 24), .down, .character("f")).0
        s = Fixtures.run(s, [.key(.tab), .key(.control("u"))] + Fixtures.type("18080") + [.key(.backTab), .key(.character(" "))]).0
        #expect(s.dialog?.marked.map(\.local) == [18080])
    }
}

import Foundation
import Kube9Kit
import Testing
@testable import Kube9TUI

/// The ecosystem's keys (Ctrl-D/U, Ctrl-L, Ctrl-Z, Esc one step back) and messages that expire.
@Suite struct KeysAndMessagesTests {
    static func bigNamespace(width: Int = 80, height: Int = 24) -> AppState {
        Fixtures.loaded(width: width, height: height, pods: (0..<100).map { Fixtures.pod("pod-\($0)") })
    }

    @Test func controlDAndUMoveHalfAPageAt80x24And40x12() {
        for (width, height) in [(80, 24), (40, 12)] {
            let half = (height - 3) / 2
            var s = Fixtures.press(Self.bigNamespace(width: width, height: height), .home).0
            s = Fixtures.press(s, .control("d")).0
            #expect(s.selection == half)
            s = Fixtures.press(s, .control("d"), .control("u")).0
            #expect(s.selection == half)
            let lines = Fixtures.lines(s)
            #expect(ScreenView.render(s)[0, s.selection - s.scrollOffset + 1].style.reverse)
            #expect(lines.count == height)
        }
    }

    @Test func controlLRedrawsAndControlZSuspendsWithOrWithoutForwards() {
        let (_, redraw) = Fixtures.press(Fixtures.loaded(), .control("l"))
        #expect(redraw == [.redraw])
        // No forward: Ctrl-Z suspends, from the tree and from an open dialog alike.
        var (s, effects) = Fixtures.press(Fixtures.loaded(), .control("z"))
        #expect(effects == [.suspend])
        #expect(!s.isQuitting && s.message == nil)
        (s, effects) = Fixtures.press(Fixtures.loaded(), .down, .character("f"), .control("z"))
        #expect(effects.contains(.suspend))
        #expect(s.dialog != nil)
        // A forward listening (connected, or a start not answered yet): it suspends too (the run loop hands the
        // forwards to a holder first), and says nothing.
        for busy in [Fixtures.loaded(forwards: [Fixtures.forward()]), Fixtures.press(Fixtures.loaded(), .down, .character("f"), .enter).0] {
            (s, effects) = Fixtures.press(busy, .control("z"))
            #expect(effects == [.suspend])
            #expect(s.message == busy.message)
        }
    }

    /// When the holder cannot take the forwards, kube9 does not stop and says why, at 80x24 and 40x12.
    @Test func aFailedHandoverSaysWhyKube9DidNotStop() {
        let error = KubeError(.other, "the forward holder did not start (no answer)")
        for (width, height) in [(80, 24), (40, 12)] {
            let sized = Fixtures.apply(
                Fixtures.loaded(forwards: [Fixtures.forward()]), .resize(TerminalSize(width: width, height: height)))
            let (s, effects) = AppUpdate.update(sized, .suspendFailed(error))
            #expect(effects.isEmpty)
            #expect(s.message == MessageLine(.error, "Not suspended: the forward holder did not start (no answer)"))
            let lines = Fixtures.lines(s)
            #expect(lines[height - 2].hasPrefix(String(UIText.notSuspended(error.message).prefix(width - 1))), "\(width)x\(height)")
        }
    }

    @Test func escInTheCustomFieldKeepsTheTypingAndReturnsToThePorts() {
        var s = Fixtures.press(Fixtures.loaded(), .down, .character("f")).0
        s = Fixtures.run(s, Fixtures.type("3000")).0
        #expect(s.dialog?.isCustomSelected == true)
        s = Fixtures.press(s, .escape).0
        #expect(s.dialog?.selectedOption == 0)
        #expect(s.dialog?.customText == "3000")
        s = Fixtures.press(s, .end).0
        #expect(s.dialog?.remotePort == .success(3000))
        s = Fixtures.press(s, .home, .escape).0
        #expect(s.dialog == nil)
    }

    @Test func successAndInfoMessagesExpireErrorsStayUntilAKey() {
        var s = Fixtures.apply(Fixtures.loaded(), .copied("x"))
        #expect(s.message?.kind == .info)
        #expect(ScreenView.tickInterval(s) == 1.0)
        s = Fixtures.apply(s, .tick(Fixtures.start.addingTimeInterval(4)))
        #expect(s.message != nil)
        s = Fixtures.apply(s, .tick(Fixtures.start.addingTimeInterval(5)))
        #expect(s.message == nil)
        #expect(ScreenView.tickInterval(s) == nil)
        s = Fixtures.apply(s, .forwardFailed(Fixtures.forward().request, KubeError(.other, "boom")))
        s = Fixtures.apply(s, .tick(Fixtures.start.addingTimeInterval(60)))
        #expect(s.message == MessageLine(.error, "boom"))
        #expect(Fixtures.lines(s)[22] == "boom")
        s = Fixtures.press(s, .down).0
        #expect(s.message == nil)
        // Never over the key hints: they keep their own line.
        #expect(Fixtures.lines(Fixtures.apply(Fixtures.loaded(), .copied("x")))[23].hasPrefix(" ?:help"))
    }
}

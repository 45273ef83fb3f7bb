import Kube9Kit
import Testing
@testable import Kube9TUI

/// x, X, q and Ctrl-C: y/n confirmations, and nothing happens on n or Esc.
@Suite struct ConfirmationTests {
    static func onForward() -> AppState {
        Fixtures.apply(Fixtures.loaded(forwards: [Fixtures.forward(), Fixtures.forward("job-1", local: 7000)]),
                       .key(.home), .key(.right), .key(.down), .key(.down))
    }

    @Test func xStopsTheSelectedForwardAfterYes() {
        var s = Self.onForward()
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .character("x"))
        #expect(effects.isEmpty)
        #expect(s.confirmation == .stopForward(Fixtures.forward()))
        #expect(Fixtures.lines(s).joined().contains("Stop port forward localhost:8080 → default/web-0:80?"))
        (s, effects) = Fixtures.press(s, .character("y"))
        #expect(effects == [.stopForward(Fixtures.forward())])
        s = Fixtures.apply(s, .forwardEvent(.removed(Fixtures.forward())), .forwardStopped(Fixtures.forward(), nil))
        #expect(s.message?.text == "Port forward stopped: localhost:8080 → default/web-0:80")
        #expect(s.connectedForwardCount == 1)
    }

    @Test func deleteKeyAndNoOrEscapeDoNothing() {
        for cancel in [Key.character("n"), .escape, .character("N")] {
            let (s, effects) = Fixtures.press(Self.onForward(), .delete, cancel)
            #expect(s.confirmation == nil)
            #expect(effects.isEmpty)
        }
        // Other keys are swallowed while the question is open.
        let (s, effects) = Fixtures.press(Self.onForward(), .character("x"), .character("q"), .down)
        #expect(s.confirmation == nil && effects.isEmpty)
        let (held, heldEffects) = Fixtures.press(Self.onForward(), .character("x"), .down, .character("f"))
        #expect(held.confirmation != nil && heldEffects.isEmpty)
    }

    @Test func xOnAPodWithForwardsOffersToStopThemAndElsewhereSaysWhy() {
        let forwards = [Fixtures.forward(), Fixtures.forward(local: 9090, remote: 9090)]
        let base = Fixtures.loaded(forwards: forwards)
        #expect(base.selectedRow?.id == .namespace(context: "dev", name: "default"))
        var (s, effects) = Fixtures.press(base, .character("x"))
        #expect(s.confirmation == nil && effects.isEmpty)
        #expect(s.message == MessageLine(.info, UIText.stopNeedsForward))
        (s, effects) = Fixtures.press(base, .down, .character("x"))
        #expect(s.confirmation == .stopForwards(forwards))
        #expect(Fixtures.lines(s).joined().contains("Stop the 2 port forwards of web-0?"))
        (s, effects) = Fixtures.press(s, .character("y"))
        #expect(effects == forwards.map(Effect.stopForward))
        let single = Fixtures.press(Fixtures.loaded(forwards: [Fixtures.forward()]), .down, .character("x")).0
        #expect(single.confirmation == .stopForward(Fixtures.forward()))
    }

    @Test func capitalXStopsAll() {
        var s = Self.onForward()
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .character("X"))
        #expect(s.confirmation == .stopAll(count: 2))
        #expect(Fixtures.lines(s).joined().contains("Stop all 2 active port forwards?"))
        #expect(Confirmation.stopAll(count: 1).question == "Stop 1 active port forward?")
        (s, effects) = Fixtures.press(s, .character("y"))
        #expect(effects == [.stopAllForwards])
        s = Fixtures.apply(
            s, .forwardEvent(.removed(Fixtures.forward())), .forwardEvent(.removed(Fixtures.forward("job-1", local: 7000))),
            .allForwardsStopped(count: 2))
        #expect(s.connectedForwardCount == 0)
        (s, effects) = Fixtures.press(s, .character("X"))
        #expect(s.confirmation == nil && effects.isEmpty)
        #expect(s.message == MessageLine(.info, "No active port forwards"))
    }

    @Test func quitAsksOnlyWhenForwardsAreActive() {
        let (idle, idleEffects) = Fixtures.press(Fixtures.loaded(), .character("q"))
        #expect(idleEffects == [.quit] && idle.isQuitting)
        var (s, effects) = Fixtures.press(Self.onForward(), .character("q"))
        #expect(effects.isEmpty)
        #expect(s.confirmation == .quit(liveCount: 2))
        #expect(Fixtures.lines(s).joined().contains("Quit kube9 and stop 2 active port forwards?"))
        (s, effects) = Fixtures.press(s, .escape)
        #expect(effects.isEmpty && !s.isQuitting)
        (s, effects) = Fixtures.press(s, .character("q"), .character("y"))
        #expect(effects == [.quit] && s.isQuitting)
    }

    @Test func controlCQuitsTheSameWayFromAnywhere() {
        let (idle, idleEffects) = Fixtures.press(Fixtures.loaded(), .character("?"), .control("c"))
        #expect(idleEffects == [.quit] && idle.isQuitting)
        var (s, effects) = Fixtures.press(Self.onForward(), .character("/"), .control("c"))
        #expect(s.confirmation == .quit(liveCount: 2) && effects.isEmpty && !s.filter.isEditing)
        (s, effects) = Fixtures.press(s, .control("c"))
        #expect(effects == [.quit])
        // After quitting, keys do nothing.
        (s, effects) = Fixtures.press(s, .character("f"), .control("c"))
        #expect(effects.isEmpty)
    }
}

/// The status line counts connected forwards only; one still connecting is stopped on quit, so quitting asks.
@Suite struct ConnectingForwardTests {
    @Test func aConnectingForwardIsNotCountedButQuitStillAsks() {
        let connecting = Fixtures.forward(status: .connecting)
        var s = Fixtures.loaded(forwards: [connecting])
        #expect(s.connectedForwardCount == 0)
        #expect(!Fixtures.lines(s).joined().contains("forward active"))
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .character("q"))
        #expect(effects.isEmpty)
        #expect(s.confirmation == .quit(liveCount: 1))

        // X stops it too (it has a kubectl): it does not say there is nothing to stop.
        (s, effects) = Fixtures.press(s, .escape, .character("X"))
        #expect(s.confirmation == .stopAll(count: 1))
        #expect(Fixtures.lines(s).joined().contains("Stop 1 active port forward?"))

        s = Fixtures.loaded(forwards: [Fixtures.forward(status: .connected)])
        #expect(Fixtures.lines(s).last?.hasSuffix("kube9: 1 forward active") == true)
    }
}

/// A start whose answer has not come back yet (nor its record) is live: q and X ask about it.
@Suite struct StartInFlightTests {
    @Test func quitAndStopAllCountAStartNotAnsweredYet() {
        var s = Fixtures.press(Fixtures.loaded(), .down, .character("f"), .enter).0
        #expect(s.startingForwards.count == 1)
        #expect(s.tree.forwards.isEmpty)
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .character("q"))
        #expect(effects.isEmpty)
        #expect(s.confirmation == .quit(liveCount: 1))
        (s, _) = Fixtures.press(s, .escape, .character("X"))
        #expect(s.confirmation == .stopAll(count: 1))
        // Its record arrives (connecting): still one, not two.
        s = Fixtures.apply(s, .key(.escape), .forwardEvent(.added(Fixtures.forward(local: 80, status: .connecting))))
        #expect(s.liveForwardCount == 1)
        #expect(s.connectedForwardCount == 0)
    }
}

import Foundation
import Kube9Kit
import Testing
@testable import Kube9TUI

/// Forwards paused because their context's credentials fail, and starts waiting for a credential plugin's login,
/// as the tree and the message line show them; `r` resumes, Esc gives up the wait.
@Suite struct CredentialRowsTests {
    static let reason = "Authentication failed for context 'dev': error: You must be logged in to the server (Unauthorized)"

    static func paused() -> ForwardRecord {
        var record = Fixtures.forward("api", local: 9000, status: .paused)
        record.pausedReason = reason
        return record
    }

    @Test func aPausedRowShowsTheReasonAndRResumesThePausedForwards() {
        let forwards = [Self.paused(), Fixtures.forward()]
        var s = Fixtures.apply(Fixtures.loaded(width: 160, height: 40, forwards: forwards), .key(.home), .key(.right))
        let lines = Fixtures.lines(s)
        #expect(lines[2] == "    localhost:9000 → default/api:80  dev • paused: \(Self.reason) • 5m 32s", "\(lines[2])")
        #expect(s.liveForwardCount == 2 && s.connectedForwardCount == 1)
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .home, .character("r"))
        #expect(effects.contains(.resumePausedForwards))
        // Nothing paused: r only reads the list again.
        let running = Fixtures.apply(Fixtures.loaded(forwards: [Fixtures.forward()]), .key(.home), .key(.right))
        (_, effects) = Fixtures.press(running, .home, .character("r"))
        #expect(!effects.contains(.resumePausedForwards))
    }

    @Test func aLoginPromptShowsAtOnceAndEscStopsTheStartWaitingForIt() {
        var starting = Fixtures.forward(status: .connecting)
        var s = Fixtures.apply(Fixtures.loaded(width: 160, height: 40), .forwardEvent(.added(starting)))
        starting.loginPrompt = "Please visit https://login.example/device and enter code WXYZ-1234"
        s = Fixtures.apply(s, .forwardEvent(.updated(starting)))
        #expect(s.message == MessageLine(.info, "Log in for context 'dev': Please visit https://login.example/device and enter code WXYZ-1234 (Esc cancels)"))
        #expect(Fixtures.lines(s).contains { $0.contains("connecting: Please visit https://login.example/device") })
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .escape)
        #expect(effects == [.stopForward(starting)])
        #expect(s.message == MessageLine(.info, UIText.loginCancelled))
        // Without a login waiting, Esc only clears the message.
        starting.loginPrompt = nil
        s = Fixtures.apply(s, .forwardEvent(.updated(starting)))
        (s, effects) = Fixtures.press(s, .escape)
        #expect(effects.isEmpty && s.message == nil)
    }
}

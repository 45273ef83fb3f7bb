import Kube9Kit
import Testing
@testable import Kube9TUI

/// A saved forward whose port is busy offers the manager's suggestion; `f` on a saved or forward row opens the
/// dialog prefilled with it.
@Suite struct PrefilledDialogTests {
    static let saved = Fixtures.saved(local: 18082)
    static let busy = KubeError(.portInUse, "Port 18082 is already in use. Try 18083?")

    static func onSavedRow(width: Int = 80, height: Int = 24) -> AppState {
        var s = Fixtures.loaded(width: width, height: height)
        s = Fixtures.apply(s, .savedForwardsLoaded([saved], notice: nil), .key(.home), .key(.right), .key(.down))
        return s
    }

    @Test func aSavedForwardWhosePortIsBusyOffersTheSuggestionWithY() {
        var s = Self.onSavedRow()
        #expect(s.selectedRow?.id == .savedForward(Self.saved))
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .enter)
        #expect(effects == [.startForward(Self.saved.request())])
        (s, effects) = Fixtures.run(s, [.forwardFailed(Self.saved.request(), Self.busy)])
        #expect(effects == [.checkLocalPort(18082)])
        #expect(s.dialog?.localText == "18082")
        #expect(s.dialog?.focus == .local)
        s = Fixtures.apply(s, .portChecked(port: 18082, .inUse(suggestion: 18083)))
        let text = Fixtures.lines(s).joined(separator: "\n")
        #expect(text.contains("Port 18082 is already in use. Try 18083?"))
        #expect(text.contains("Tab or y: use 18083"))
        (s, effects) = Fixtures.press(s, .character("y"))
        #expect(effects == [.checkLocalPort(18083)])
        s = Fixtures.apply(s, .portChecked(port: 18083, .available))
        (s, effects) = Fixtures.press(s, .enter)
        var expected = Self.saved.request()
        expected.localPort = 18083
        #expect(effects == [.startForward(expected)])
    }

    @Test func aRefusalCarryingItsSuggestionFillsTheDialogWithoutAskingAgain() {
        var s = Self.onSavedRow()
        s = Fixtures.press(s, .enter).0
        let refusal = KubeError.portUnavailable(18082, .inUse(suggestion: 18083))
        let effects: [Effect]
        (s, effects) = Fixtures.run(s, [.forwardFailed(Self.saved.request(), refusal)])
        #expect(effects.isEmpty)
        #expect(s.dialog?.localText == "18082")
        let text = Fixtures.lines(s).joined(separator: "\n")
        #expect(text.contains("Port 18082 is already in use. Try 18083?"))
        #expect(text.contains("Tab or y: use 18083"))
        #expect(Fixtures.press(s, .character("y")).1 == [.checkLocalPort(18083)])
    }

    @Test func sWithOneBusySavedForwardOffersItToo() {
        var s = Self.onSavedRow()
        s = Fixtures.press(s, .character("S")).0
        s = Fixtures.apply(s, .forwardFailed(Self.saved.request(), Self.busy))
        #expect(s.dialog?.localText == "18082")
        // Tab takes the suggestion as y does.
        s = Fixtures.apply(s, .portChecked(port: 18082, .inUse(suggestion: 18083)))
        let (after, effects) = Fixtures.press(s, .tab)
        #expect(effects == [.checkLocalPort(18083)])
        #expect(after.dialog?.localText == "18083")
    }

    @Test func fOnASavedRowOpensTheDialogPrefilledAt80x24And40x12() {
        for (width, height) in [(80, 24), (40, 12)] {
            let (s, effects) = Fixtures.press(Self.onSavedRow(width: width, height: height), .character("f"))
            #expect(effects == [.checkLocalPort(18082)])
            let dialog = try! #require(s.dialog)
            #expect(dialog.options[dialog.selectedOption].port == 80)
            #expect(dialog.options.map(\.label) == ["80 (http)", "9090 (metrics)"])
            let lines = Fixtures.lines(s)
            #expect(lines.contains { $0.contains("Port forward dev: default/web-0") }, "\(width)x\(height)")
            #expect(lines.contains { $0.contains("▸ Local port  18082▏") }, "\(width)x\(height)")
            #expect(lines.allSatisfy { CharacterWidth.of($0) <= width })
        }
    }

    @Test func fOnAForwardRowOpensItsTargetAndElsewhereSaysWhy() {
        var s = Fixtures.apply(Fixtures.loaded(forwards: [Fixtures.forward()]), .key(.home), .key(.right), .key(.down))
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .character("f"))
        #expect(effects == [.checkLocalPort(8080)])
        #expect(s.dialog?.podName == "web-0")
        // Esc steps back: the local field to the port list, then the dialog closes.
        (s, effects) = Fixtures.press(s, .escape)
        #expect(s.dialog?.focus == .remote)
        (s, effects) = Fixtures.press(s, .escape, .home, .character("f"))
        #expect(s.dialog == nil && effects.isEmpty)
        #expect(s.message == MessageLine(.info, UIText.forwardNeedsTarget))
    }

    @Test func aTargetThatIsNotLoadedGetsItsOwnPortOnly() {
        let elsewhere = SavedForward(context: "prod", namespace: "shop", name: "api-0", localPort: 7000, remotePort: 7001)
        var s = Fixtures.apply(Fixtures.loaded(), .savedForwardsLoaded([elsewhere], notice: nil), .key(.home), .key(.right), .key(.down))
        s = Fixtures.press(s, .character("f")).0
        #expect(s.dialog?.options.map(\.port) == [7001])
        #expect(s.dialog?.title == "Port forward prod: shop/api-0")
    }
}

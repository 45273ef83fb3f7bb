import Foundation
import Kube9Kit
import Testing
@testable import Kube9TUI

/// `d` and the forward menu's Toggle On Demand (issue 13): a running forward switches in the manager, a saved one
/// in forwards.json too; a saved row that is not running switches in forwards.json; `s` keeps the setting.
@Suite struct OnDemandSwitchTests {
    static func onDemand(_ record: ForwardRecord, running: Bool = false) -> ForwardRecord {
        var record = record
        record.onDemand = true
        record.backendRunning = running
        return record
    }

    /// Port Forwarding open, the selection on its first row.
    static func onFirstForwardRow(_ forwards: [ForwardRecord], saved: [SavedForward] = []) -> AppState {
        Fixtures.apply(
            Fixtures.loaded(forwards: forwards), .savedForwardsLoaded(saved, notice: nil), .key(.home), .key(.right),
            .key(.down))
    }

    @Test func dSwitchesARunningForwardThroughTheManagerBothWays() {
        let record = Fixtures.forward()
        var s = Self.onFirstForwardRow([record])
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .character("d"))
        #expect(effects == [.setOnDemand(true, idleTimeout: .seconds(600), forwardID: record.id)])
        // The manager publishes the changed record, then answers.
        (s, effects) = Fixtures.run(s, [.forwardEvent(.updated(Self.onDemand(record))), .onDemandSet(true, forwardID: record.id, nil)])
        #expect(effects.isEmpty)
        #expect(s.message == MessageLine(
            .info, "On demand: kubectl stops after 10 min idle and starts again on the next connection"))
        #expect(Fixtures.lines(s)[2] == "    localhost:8080 → default/web-0:80  dev • on demand • idle • 5m 32s")
        (s, effects) = Fixtures.press(s, .character("d"))
        #expect(effects == [.setOnDemand(false, idleTimeout: .seconds(600), forwardID: record.id)])
        (s, _) = Fixtures.run(s, [.forwardEvent(.updated(record)), .onDemandSet(false, forwardID: record.id, nil)])
        #expect(s.message == MessageLine(.info, "Always on: kubectl runs until the forward stops"))
        #expect(Fixtures.lines(s)[2] == "    localhost:8080 → default/web-0:80  dev • connected • 5m 32s")
        // A refusal is shown as the manager words it.
        s = Fixtures.apply(s, .onDemandSet(true, forwardID: "x", KubeError(.notFound, "Forward x not found")))
        #expect(s.message == MessageLine(.error, "Forward x not found"))
    }

    @Test func aCustomIdleTimeoutIsKeptAndNamed() {
        var record = Fixtures.forward()
        record.idleTimeout = .seconds(90)
        let s = Self.onFirstForwardRow([record])
        #expect(Fixtures.press(s, .character("d")).1 == [.setOnDemand(true, idleTimeout: .seconds(90), forwardID: record.id)])
        let answered = Fixtures.apply(s, .onDemandSet(true, forwardID: record.id, nil))
        #expect(answered.message?.text == "On demand: kubectl stops after 90 s idle and starts again on the next connection")
    }

    @Test func onASavedRunningForwardTheSwitchIsWrittenToForwardsJSON() {
        let record = Fixtures.forward()
        var s = Self.onFirstForwardRow([record], saved: [Fixtures.saved()])
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .character("d"))
        #expect(effects == [.setOnDemand(true, idleTimeout: .seconds(600), forwardID: record.id)])
        (s, effects) = Fixtures.run(s, [.forwardEvent(.updated(Self.onDemand(record))), .onDemandSet(true, forwardID: record.id, nil)])
        var expected = Fixtures.saved()
        expected.setOnDemand(true)
        #expect(effects == [.saveForwards([expected])])
        #expect(s.tree.saved == [expected])
        #expect(expected.onDemand == true && expected.idleTimeout == nil)
        #expect(Fixtures.lines(s)[2].hasSuffix("on demand • idle • 5m 32s (saved)"))
        // Back to always on: the fields leave the file again.
        (s, effects) = Fixtures.run(s, [.key(.character("d")), .forwardEvent(.updated(record)), .onDemandSet(false, forwardID: record.id, nil)])
        #expect(effects == [.setOnDemand(false, idleTimeout: .seconds(600), forwardID: record.id), .saveForwards([Fixtures.saved()])])
    }

    @Test func onAStoppedSavedRowTheSwitchChangesForwardsJSONOnly() {
        let other = Fixtures.saved("db", local: 5432, remote: 5432)
        var s = Self.onFirstForwardRow([], saved: [Fixtures.saved(), other])
        #expect(s.selectedRow?.id == .savedForward(Fixtures.saved()))
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .character("d"))
        var expected = Fixtures.saved()
        expected.setOnDemand(true)
        #expect(effects == [.saveForwards([expected, other])])
        #expect(s.message == MessageLine(.info, "Saved forward localhost:8080 → default/web-0:80 starts on demand"))
        // The row says so and keeps the selection; S and Enter start it on demand.
        #expect(s.selectedRow?.id == .savedForward(expected))
        #expect(Fixtures.lines(s)[2] == "    localhost:8080 → default/web-0:80  dev • ○ stopped • on demand (saved)")
        (s, effects) = Fixtures.press(s, .enter)
        #expect(effects == [.startForward(expected.request())])
        #expect(expected.request().onDemand)
        // And back.
        s = Self.onFirstForwardRow([], saved: [expected, other])
        (s, effects) = Fixtures.press(s, .character("d"))
        #expect(effects == [.saveForwards([Fixtures.saved(), other])])
        #expect(s.message?.text == "Saved forward localhost:8080 → default/web-0:80 starts always on")
    }

    @Test func theSavedRowAt40x12() {
        var saved = Fixtures.saved()
        saved.setOnDemand(true)
        let s = Fixtures.apply(
            Fixtures.loaded(width: 40, height: 12), .savedForwardsLoaded([saved], notice: nil), .key(.home), .key(.right))
        let lines = Fixtures.lines(s)
        // Cut like running rows: the label whole, the rest behind the ellipsis.
        #expect(lines[2] == "    localhost:8080 → default/web-0:80 …")
        #expect(lines.allSatisfy { CharacterWidth.of($0) <= 40 })
    }

    @Test func dElsewhereSaysWhatItSwitches() {
        let (s, effects) = Fixtures.press(Fixtures.loaded(), .character("d"))
        #expect(effects.isEmpty)
        #expect(s.message == MessageLine(
            .info, "d switches a forward or a saved one between on demand and always on: select one"))
    }

    @Test func theForwardMenuHasTheSwitch() {
        let record = Fixtures.forward()
        var s = Fixtures.press(Self.onFirstForwardRow([record]), .enter).0
        #expect(s.menu?.actions == [.stop, .restart, .copyURL, .save, .toggleHealing, .toggleOnDemand])
        #expect(Fixtures.lines(s).contains { $0.contains("Toggle On Demand") })
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .end, .enter)
        #expect(s.menu == nil)
        #expect(effects == [.setOnDemand(true, idleTimeout: .seconds(600), forwardID: record.id)])
        // At 40x12 the menu still fits with its seven entries.
        let small = Fixtures.apply(
            Fixtures.loaded(width: 40, height: 12, forwards: [record]), .key(.home), .key(.right), .key(.down), .key(.enter))
        #expect(Fixtures.lines(small).contains { $0.contains("Toggle On Demand") })
        #expect(Fixtures.lines(small).contains { $0.contains("Enter: choose") })
    }

    @Test func sSavesAForwardWithItsOnDemandSetting() {
        var record = Self.onDemand(Fixtures.forward())
        record.idleTimeout = .seconds(90)
        let (s, effects) = Fixtures.press(Self.onFirstForwardRow([record]), .character("s"))
        var expected = Fixtures.saved()
        expected.setOnDemand(true, idleTimeout: .seconds(90))
        #expect(effects == [.saveForwards([expected])])
        #expect(expected.onDemand == true && expected.idleTimeout == 90)
        #expect(s.tree.saved == [expected])
    }

    @Test func helpAndKeyHintsNameD() {
        #expect(UIText.helpLines.contains { $0.0 == "d" && $0.1 == "On demand / always on: forward or saved one" })
        #expect(UIText.helpLines.contains { $0.0 == "Dialog: d" && $0.1 == "On demand (kubectl stops after 10 min idle)" })
        let wide = Fixtures.lines(Fixtures.loaded(width: 120, height: 30))
        #expect(wide[29] == " " + UIText.keyHints + "  d:on demand")
        // At 80 columns the hints without it fit whole, as before.
        #expect(Fixtures.lines(Fixtures.loaded())[23] == " " + UIText.keyHints)
        let help = Fixtures.lines(Fixtures.press(Fixtures.loaded(width: 120, height: 60), .character("?")).0).joined(separator: "\n")
        #expect(help.contains("On demand / always on: forward or saved one"))
    }
}

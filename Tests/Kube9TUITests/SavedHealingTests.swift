import Foundation
import Kube9Kit
import Testing
@testable import Kube9TUI

/// `H` on a saved forward is kept in forwards.json; files from before read as healing on.
@Suite struct SavedHealingTests {
    @Test func togglingHealingOfASavedForwardWritesIt() {
        var s = Fixtures.apply(
            Fixtures.loaded(forwards: [Fixtures.forward()]), .savedForwardsLoaded([Fixtures.saved()], notice: nil),
            .key(.home), .key(.right), .key(.down))
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .character("H"))
        #expect(effects == [.setHealing(false, forwardID: Fixtures.forward().id)])
        (s, effects) = Fixtures.run(s, [
            .forwardEvent(.updated(Fixtures.forward(heals: false))), .healingSet(false, forwardID: Fixtures.forward().id, nil),
        ])
        var expected = Fixtures.saved()
        expected.heals = false
        #expect(effects == [.saveForwards([expected])])
        #expect(s.tree.saved == [expected])
        // Started again from the saved row, it starts with healing off.
        #expect(expected.request().heals == false)
        #expect(Fixtures.lines(s)[2].contains("no-heal"))
    }

    @Test func aFileWithoutTheSettingReadsAsHealingAndItRoundTrips() throws {
        let old = #"{"context":"dev","namespace":"default","kind":"pod","name":"web-0","localPort":8080,"remotePort":80,"address":"localhost"}"#
        let decoded = try JSONDecoder().decode(SavedForward.self, from: Data(old.utf8))
        #expect(decoded.heals)
        var off = decoded
        off.heals = false
        let again = try JSONDecoder().decode(SavedForward.self, from: try JSONEncoder().encode(off))
        #expect(again == off)
    }
}

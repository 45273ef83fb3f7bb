import Kube9Kit
import Testing
@testable import Kube9TUI

/// `/` search over loaded nodes, n/N, Esc.
@Suite struct FilterTests {
    static func collapsedWithPods() -> AppState {
        // Pods are loaded, but their namespace and context are collapsed again.
        Fixtures.press(Fixtures.loaded(), .left, .left, .left).0
    }

    @Test func enterSelectsTheFirstMatchAndExpandsItsAncestors() {
        var s = Self.collapsedWithPods()
        #expect(s.rows.count == 3)
        s = Fixtures.run(s, [.key(.character("/"))] + Fixtures.type("JOB")).0
        #expect(s.filter.isEditing)
        #expect(Fixtures.lines(s)[22].hasPrefix("/JOB▏"))
        s = Fixtures.press(s, .enter).0
        #expect(!s.filter.isEditing)
        #expect(s.selectedRow?.id == .pod(context: "dev", namespace: "default", name: "job-1"))
        #expect(s.filter.matches.count == 2)
        #expect(s.message == MessageLine(.info, "Match 1 of 2 for 'JOB'"))
    }

    @Test func nAndCapitalNCycleThroughMatches() {
        var s = Fixtures.run(Self.collapsedWithPods(), [.key(.character("/"))] + Fixtures.type("job") + [.key(.enter)]).0
        s = Fixtures.press(s, .character("n")).0
        #expect(s.selectedRow?.id == .pod(context: "dev", namespace: "default", name: "job-2"))
        s = Fixtures.press(s, .character("n")).0
        #expect(s.selectedRow?.id == .pod(context: "dev", namespace: "default", name: "job-1"))
        s = Fixtures.press(s, .character("N")).0
        #expect(s.selectedRow?.id == .pod(context: "dev", namespace: "default", name: "job-2"))
        #expect(s.message == MessageLine(.info, "Match 2 of 2 for 'job'"))
    }

    @Test func noMatchSaysSoAndEscapeClears() {
        var s = Fixtures.run(Fixtures.loaded(), [.key(.character("/"))] + Fixtures.type("zzz") + [.key(.enter)]).0
        #expect(s.message == MessageLine(.info, "No match for 'zzz'"))
        s = Fixtures.press(s, .character("n")).0
        #expect(s.message == MessageLine(.info, "No match for 'zzz'"))
        s = Fixtures.press(s, .escape).0
        #expect(!s.filter.isActive)
        let (typing, effects) = Fixtures.run(Fixtures.loaded(), [.key(.character("/"))] + Fixtures.type("qx") + [.key(.escape)])
        #expect(!typing.filter.isActive && !typing.filter.isEditing && effects.isEmpty)
    }

    @Test func keysTypedInThePromptAreNotCommands() {
        let (s, effects) = Fixtures.run(Fixtures.loaded(), [.key(.character("/"))] + Fixtures.type("qfxX?") + [.key(.backspace)])
        #expect(effects.isEmpty)
        #expect(s.filter.query == "qfxX")
        #expect(!s.isQuitting && s.confirmation == nil && !s.helpVisible)
    }

    @Test func matchesAreHighlighted() {
        let s = Fixtures.run(Fixtures.loaded(), [.key(.character("/"))] + Fixtures.type("web") + [.key(.enter)]).0
        let grid = ScreenView.render(s)
        #expect(grid[8, 4].style.underline)
        #expect(!grid[8, 5].style.underline)
    }
}

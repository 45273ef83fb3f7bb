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
        let lines = Fixtures.lines(s)
        #expect(lines[3].contains("web-0"))
        #expect(grid[8, 3].style.underline)
        #expect(!grid[8, 2].style.underline)
    }

    @Test func whileTypingOnlyMatchesAndTheirAncestorsStayAt80x24And40x12() {
        for (width, height) in [(80, 24), (40, 12)] {
            var s = Fixtures.loaded(width: width, height: height)
            s = Fixtures.apply(s, .savedForwardsLoaded([Fixtures.saved("job-1", local: 7000)], notice: nil),
                               .servicesLoaded(context: "dev", namespace: "default", .success(Fixtures.services)))
            s = Fixtures.run(s, [.key(.character("/"))] + Fixtures.type("job")).0
            let lines = Fixtures.lines(s)
            #expect(lines[1] == "▾ Port Forwarding  0 active", "\(width)x\(height)")
            #expect(lines[2].hasPrefix("    localhost:7000 → default/job-1"))
            #expect(lines[3].hasPrefix("▾ dev (current)"))
            #expect(lines[4].hasPrefix("  ▾ default (default)"))
            #expect(lines[5].hasPrefix("      ✓ job-1"))
            #expect(lines[6].hasPrefix("      ✗ job-2"))
            #expect(lines[7].trimmingCharacters(in: .whitespaces).isEmpty)
            // The first match is selected as you type.
            #expect(s.selectedRow?.id == .savedForward(Fixtures.saved("job-1", local: 7000)))
            #expect(lines[height - 2].hasPrefix("/job▏"))
            // Services match too (their group stays as an ancestor).
            let db = Fixtures.run(s, [.key(.control("u"))] + Fixtures.type("db")).0
            #expect(Fixtures.lines(db)[1].hasPrefix("▾ dev (current)"))
            #expect(Fixtures.lines(db)[3].hasPrefix("    ▾ Services"))
            #expect(Fixtures.lines(db)[4].hasPrefix("        db"))
        }
    }

    @Test func enterKeepsTheFilterAndEscClearsItKeepingTheSelection() {
        var s = Fixtures.run(Self.collapsedWithPods(), [.key(.character("/"))] + Fixtures.type("job-2") + [.key(.enter)]).0
        #expect(!s.filter.isEditing)
        #expect(s.rows.count == 3)
        s = Fixtures.press(s, .up).0
        #expect(s.selectedRow?.id == .namespace(context: "dev", name: "default"))
        s = Fixtures.press(s, .down, .escape).0
        #expect(!s.filter.isActive)
        #expect(s.rows.count == 11)
        #expect(s.selectedRow?.id == .pod(context: "dev", namespace: "default", name: "job-2"))
        let nothing = Fixtures.run(Fixtures.loaded(), [.key(.character("/"))] + Fixtures.type("zzz")).0
        #expect(Fixtures.lines(nothing)[1] == "  No match for 'zzz'")
    }
}

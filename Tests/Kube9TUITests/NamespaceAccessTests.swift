import Kube9Kit
import Testing
@testable import Kube9TUI

/// Issue 18: a person who may not list namespaces still sees the context's own namespace and those of its saved
/// forwards, a dimmed note why, and can open any namespace by name with `o`.
@Suite struct NamespaceAccessTests {
    static let refusal = KubeError(.forbidden, #"Error from server (Forbidden): namespaces is forbidden: User "alice" cannot list resource "namespaces""#)

    static func refused(width: Int = 80, height: Int = 24) -> AppState {
        var s = Fixtures.state(width: width, height: height)
        s = Fixtures.apply(s, .contextsLoaded(.success(Fixtures.contexts)), .forwardsRefreshed([], asOf: 0),
                           .savedForwardsLoaded([SavedForward(context: "dev", namespace: "team-a", kind: .pod, name: "api-0",
                                                              localPort: 8080, remotePort: 80),
                                                 SavedForward(context: "prod", namespace: "shop", kind: .pod, name: "web-0",
                                                              localPort: 8081, remotePort: 80)], notice: nil))
        return Fixtures.apply(s, .key(.down), .key(.right), .namespacesLoaded(context: "dev", .failure(refusal)))
    }

    @Test func aRefusedListShowsTheOwnAndSavedNamespacesUnderANoteAt80x24() {
        let s = Self.refused()
        let lines = Fixtures.lines(s)
        #expect(lines[2] == "▾ dev (current)")
        #expect(lines[3] == "    Cannot list namespaces (o opens one by name): Error from server (Forbidden…")
        #expect(lines[4] == "  ▸ default (default)")
        #expect(lines[5] == "  ▸ team-a")
        #expect(lines[6] == "▸ prod")
        #expect(s.selectedRow?.id == .context("dev"))
    }

    /// The note, cut on its row, reads whole below the tree when selected (RBAC's words name the user and verb).
    @Test func theNoteReadsWholeWhenSelected() {
        let s = Fixtures.press(Self.refused(), .down).0
        #expect(s.selectedRow?.content == .empty(UIText.cannotListNamespaces(Self.refusal.message)))
        let lines = Fixtures.lines(s)
        #expect(lines[21...22].joined(separator: " ") == UIText.cannotListNamespaces(Self.refusal.message))
    }

    @Test func aRefusedListAt40x12() {
        let lines = Fixtures.lines(Self.refused(width: 40, height: 12))
        #expect(lines[3] == "    Cannot list namespaces (o opens on…")
        #expect(lines[4] == "  ▸ default (default)")
        #expect(lines[5] == "  ▸ team-a")
    }

    @Test func oOpensANamespaceByNameAndLoadsItsPods() {
        var s = Self.refused()
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .character("o"))
        #expect(s.namespacePrompt == NamespacePrompt(context: "dev"))
        #expect(effects.isEmpty)
        (s, effects) = Fixtures.press(s, .character("o"), .character("p"), .character("s"))
        #expect(effects.isEmpty)
        #expect(Fixtures.lines(s)[22].hasPrefix("Open namespace: ops█") || Fixtures.lines(s)[22].hasPrefix("Open namespace: ops"))
        #expect(Fixtures.lines(s)[22].hasSuffix("Enter: open  Esc: cancel"))
        (s, effects) = Fixtures.press(s, .enter)
        #expect(effects == [.loadPods(context: "dev", namespace: "ops"), .followPods(NamespaceKey(context: "dev", namespace: "ops"))])
        #expect(s.namespacePrompt == nil)
        #expect(s.selectedRow?.id == .namespace(context: "dev", name: "ops"))
        s = Fixtures.apply(s, .podsLoaded(context: "dev", namespace: "ops", .success([Fixtures.pod("runner-0")])))
        let lines = Fixtures.lines(s)
        #expect(lines[5] == "  ▾ ops")
        #expect(lines[6].hasPrefix("      ● runner-0"))
        #expect(lines[8] == "  ▸ team-a")
        // The namespace stays listed when the list is allowed again and lacks it.
        s = Fixtures.apply(s, .namespacesLoaded(context: "dev", .success(Fixtures.namespaces)))
        let names = s.rows.compactMap { row -> String? in if case .namespace(let name, _) = row.content { name } else { nil } }
        #expect(names == ["default", "kube-system", "ops"])
        #expect(!Fixtures.lines(s).joined().contains("Cannot list namespaces"))
    }

    /// What a name cannot hold is refused as it is typed, and says why on the prompt's line (where a person looks);
    /// a capital is taken as its lowercase letter.
    @Test func aBadNameIsRefusedAndEscCloses() {
        var s = Fixtures.press(Self.refused(), .character("o"), .character("B"), .character("_")).0
        #expect(s.namespacePrompt?.text == "b")
        var line = Fixtures.lines(s)[22]
        #expect(line.hasPrefix("Open namespace: b") && line.hasSuffix("Only a-z, 0-9 and - in a name"), "\(line)")
        #expect(ScreenView.render(s)[79, 22].style == Theme.error)
        s = Fixtures.press(s, .character("-"), .enter).0
        line = Fixtures.lines(s)[22]
        #expect(line.hasSuffix("Starts and ends with a-z or 0-9") && s.namespacePrompt?.text == "b-", "\(line)")
        // At 40 columns the refusal takes the typed text's place until the next key.
        var narrow = Fixtures.press(Self.refused(width: 40, height: 12), .character("o"), .character("b"), .character("_")).0
        #expect(Fixtures.lines(narrow)[10].hasPrefix("Open namespace: Only a-z, 0-9 and - in"), "\(Fixtures.lines(narrow)[10])")
        narrow = Fixtures.press(narrow, .character("c")).0
        #expect(Fixtures.lines(narrow)[10].hasPrefix("Open namespace: bc"))
        // The next key takes the refusal away.
        s = Fixtures.press(s, .backspace).0
        #expect(Fixtures.lines(s)[22].hasSuffix(UIText.namespacePromptHint))
        s = Fixtures.press(s, .escape).0
        #expect(s.namespacePrompt == nil)
        #expect(NamespacePrompt.isValidName("team-a1") && !NamespacePrompt.isValidName("-a") && !NamespacePrompt.isValidName(""))
    }

    @Test func oOutsideAContextSaysWhyAndOWorksUnderIt() {
        var s = Fixtures.press(Self.refused(), .home).0
        s = Fixtures.press(s, .character("o")).0
        #expect(s.namespacePrompt == nil)
        #expect(s.message == MessageLine(.info, "Select a context to open a namespace by name"))
        s = Fixtures.press(Fixtures.loaded(), .down, .character("o")).0
        #expect(s.namespacePrompt?.context == "dev")
        #expect(UIText.helpLines.contains { $0.0 == "o" })
    }

    @Test func theFilterFindsTheKnownNamespaces() {
        let s = Fixtures.run(Self.refused(), [.key(.character("/"))] + Fixtures.type("team")).0
        #expect(s.filter.matches.contains(.namespace(context: "dev", name: "team-a")))
        #expect(s.rows.contains { $0.id == .namespace(context: "dev", name: "team-a") })
    }
}

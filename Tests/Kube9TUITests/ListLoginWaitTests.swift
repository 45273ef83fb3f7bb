import Foundation
import Kube9Kit
import Testing
@testable import Kube9TUI

/// Issue 18: a list read whose credential plugin asks for a login shows the plugin's line at once (message line and
/// the list's row) and Esc gives it up: the effect runner cancels the read, the list says it was cancelled (its
/// watch ends too), and Enter or `r` reads it again.
@Suite struct ListLoginWaitTests {
    static let prompt = "Please visit https://login.example/device and enter code WXYZ-1234"
    static let key = NamespaceKey(context: "dev", namespace: "default")

    /// `dev` expanded, its namespaces' read in flight; the selection on `dev`.
    static func readingNamespaces() -> AppState {
        Fixtures.apply(Fixtures.state(width: 120), .contextsLoaded(.success(Fixtures.contexts)), .key(.down), .key(.right))
    }

    @Test func escWhileTheNamespacesWaitForALoginCancelsTheirReadAndEnterReadsThemAgain() throws {
        var s = Fixtures.apply(Self.readingNamespaces(), .listLoginPrompt(context: "dev", line: Self.prompt))
        #expect(s.message == MessageLine(.info, "Log in for context 'dev': \(Self.prompt) (Esc cancels)"))
        #expect(Fixtures.lines(s).contains { $0.contains("Waiting for the login: \(Self.prompt) (Esc cancels)") }, "\(Fixtures.lines(s))")
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .escape)
        #expect(effects == [.cancelListRead(.namespaces(context: "dev"))])
        #expect(s.tree.namespaces["dev"] == .cancelled && s.tree.listLogins.isEmpty)
        #expect(s.message == MessageLine(.info, UIText.loginCancelled))
        #expect(Fixtures.lines(s).contains { $0.contains(UIText.listLoginCancelled) })
        #expect(!Fixtures.lines(s).contains { $0.contains("Waiting for the login") })
        // Enter on the row that says so reads the list again; a second Esc has nothing to give up.
        (s, effects) = Fixtures.press(s, .down)
        #expect(s.selectedRow?.content == .failed(UIText.listLoginCancelled))
        (s, effects) = Fixtures.press(s, .enter)
        #expect(effects == [.loadNamespaces(context: "dev")] && s.tree.namespaces["dev"] == .loading)
        (s, effects) = Fixtures.press(s, .escape)
        #expect(effects.isEmpty && s.tree.namespaces["dev"] == .loading)
    }

    @Test func escWhileAnOpenNamespacesPodsWaitForALoginCancelsTheReadAndEndsItsWatch() {
        var s = Fixtures.loaded(width: 120)
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .character("r"))
        #expect(effects == [.loadPods(context: "dev", namespace: "default")] && s.followedPodLists == [Self.key])
        s = Fixtures.apply(s, .listLoginPrompt(context: "dev", line: Self.prompt))
        (s, effects) = Fixtures.press(s, .escape)
        #expect(effects == [.cancelListRead(.pods(Self.key)), .unfollowPods(Self.key)])
        #expect(s.tree.pods[Self.key] == .cancelled && s.followedPodLists.isEmpty)
        // `r` reads the list again and follows it again.
        (s, effects) = Fixtures.press(s, .character("r"))
        #expect(effects == [.loadPods(context: "dev", namespace: "default"), .followPods(Self.key)])
    }

    @Test func closingTheFinderGivesUpItsListsThatHaveNotAnswered() {
        var (s, effects) = Fixtures.press(Fixtures.loaded(width: 120), .character(":"))
        #expect(effects == [.loadAllPods(context: "dev"), .loadAllServices(context: "dev")])
        s = Fixtures.apply(s, .listLoginPrompt(context: "dev", line: Self.prompt))
        #expect(s.message == MessageLine(.info, "Log in for context 'dev': \(Self.prompt) (Esc cancels)"))
        var closed: AppState
        (closed, effects) = Fixtures.press(s, .escape)
        #expect(closed.finder == nil)
        #expect(effects == [.cancelListRead(.allPods(context: "dev")), .cancelListRead(.allServices(context: "dev"))])
        // The pods answered: Enter on a match gives up only the services' read.
        s = Fixtures.apply(s, .allPodsLoaded(context: "dev", .success(Fixtures.pods)))
        (closed, effects) = Fixtures.press(s, .enter)
        #expect(closed.finder == nil)
        #expect(effects.first == .cancelListRead(.allServices(context: "dev")), "\(effects)")
        #expect(!effects.contains(.cancelListRead(.allPods(context: "dev"))))
        // Both answered: closing gives up nothing.
        s = Fixtures.apply(s, .allServicesLoaded(context: "dev", .success([])))
        (closed, effects) = Fixtures.press(s, .escape)
        #expect(effects.isEmpty)
    }

    @Test func aPromptAfterItsReadAnsweredIsOnlyToldAndEscGivesUpNothing() {
        var s = Self.readingNamespaces()
        s = Fixtures.apply(s, .namespacesLoaded(context: "dev", .success(Fixtures.namespaces)))
        s = Fixtures.apply(s, .listLoginPrompt(context: "dev", line: Self.prompt))
        #expect(s.message == MessageLine(.info, "Log in for context 'dev': \(Self.prompt)") && s.tree.listLogins.isEmpty)
        let (after, effects) = Fixtures.press(s, .escape)
        #expect(effects.isEmpty && after.message == nil)
    }

    @Test func theReadsAnswerEndsTheWaitShownOnItsRow() {
        var s = Fixtures.apply(Self.readingNamespaces(), .listLoginPrompt(context: "dev", line: Self.prompt))
        #expect(s.tree.listLogins == ["dev": Self.prompt])
        s = Fixtures.apply(s, .namespacesLoaded(context: "dev", .success(Fixtures.namespaces)))
        #expect(s.tree.listLogins.isEmpty)
        #expect(!Fixtures.lines(s).contains { $0.contains("Waiting for the login") })
        let (_, effects) = Fixtures.press(s, .escape)
        #expect(effects.isEmpty)
    }
}

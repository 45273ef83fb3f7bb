import Kube9Kit
import Testing
@testable import Kube9TUI

/// Key sequences on the tree → state and effects.
@Suite struct TreeUpdateTests {
    @Test func movingStaysInRange() {
        var s = Fixtures.loaded()
        #expect(s.rows.count == 11)
        s = Fixtures.press(s, .home, .up, .up).0
        #expect(s.selection == 0)
        s = Fixtures.press(s, .end, .down, .character("j")).0
        #expect(s.selection == 10)
        s = Fixtures.press(s, .character("k"), .character("k"), .character("k")).0
        #expect(s.selectedRow?.id == .pod(context: "dev", namespace: "default", name: "ghost"))
        s = Fixtures.press(s, .character("g")).0
        #expect(s.selection == 0)
        s = Fixtures.press(s, .character("G")).0
        #expect(s.selectedRow?.id == .context("prod"))
    }

    @Test func pagingScrollsAndKeepsTheSelectionVisible() {
        let pods = (0..<100).map { Fixtures.pod("pod-\($0)") }
        var s = Fixtures.loaded(pods: pods)
        s = Fixtures.press(s, .pageDown, .pageDown).0
        #expect(s.selection == 2 + 2 * 20)
        #expect(s.selection >= s.scrollOffset && s.selection < s.scrollOffset + s.size.treeHeight)
        s = Fixtures.press(s, .end).0
        #expect(s.scrollOffset == s.rows.count - s.size.treeHeight)
        s = Fixtures.press(s, .pageUp).0
        #expect(s.selection >= s.scrollOffset)
        let lines = Fixtures.lines(Fixtures.press(s, .home).0)
        #expect(lines[1] == "▸ Port Forwarding  0 active")
        #expect(lines[21].hasSuffix("▼"))
    }

    @Test func expandingAContextLoadsItsNamespacesOnce() {
        var s = Fixtures.apply(Fixtures.state(), .contextsLoaded(.success(Fixtures.contexts)))
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .down, .right)
        #expect(effects == [.loadNamespaces(context: "dev")])
        #expect(s.rows[2].content == .loading)
        s = Fixtures.apply(s, .namespacesLoaded(context: "dev", .success(Fixtures.namespaces)))
        (s, effects) = Fixtures.press(s, .left, .right)
        #expect(effects.isEmpty)
        #expect(s.rows.count == 5)
    }

    @Test func enterTogglesAndLeftGoesToTheParent() {
        var s = Fixtures.loaded()
        s = Fixtures.press(s, .down).0  // web-0
        #expect(s.selectedRow?.id == .pod(context: "dev", namespace: "default", name: "web-0"))
        s = Fixtures.press(s, .left).0
        #expect(s.selectedRow?.id == .namespace(context: "dev", name: "default"))
        s = Fixtures.press(s, .left).0
        #expect(s.selectedRow?.id == .namespace(context: "dev", name: "default"))
        #expect(s.selectedRow?.isExpanded == false)
        s = Fixtures.press(s, .enter).0
        #expect(s.selectedRow?.isExpanded == true)
        s = Fixtures.press(s, .enter, .character("h")).0
        #expect(s.selectedRow?.id == .context("dev"))
        s = Fixtures.press(s, .character("l")).0
        #expect(s.selectedRow?.id == .namespace(context: "dev", name: "default"))
    }

    @Test func failedNodesShowTheErrorAndRetryOnExpand() {
        var s = Fixtures.apply(Fixtures.state(), .contextsLoaded(.success(Fixtures.contexts)))
        s = Fixtures.press(s, .end, .right).0
        s = Fixtures.apply(s, .namespacesLoaded(context: "prod", .failure(KubeError(.unreachable, "unreachable"))))
        #expect(s.rows.last?.content == .failed("unreachable"))
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .left, .right)
        #expect(effects == [.loadNamespaces(context: "prod")])
        (s, effects) = Fixtures.press(s, .character("r"))
        #expect(effects == [.loadNamespaces(context: "prod")])
    }

    @Test func refreshOnAPodReloadsItsNamespace() {
        let (s, effects) = Fixtures.press(Fixtures.loaded(), .down, .character("r"))
        #expect(effects == [.loadPods(context: "dev", namespace: "default")])
        #expect(s.rows[3].content == .loading)
        #expect(s.selection == 3)
    }

    @Test func expandingPortForwardingShowsTheListTheEventsKeptAndRAsksTheManager() {
        var s = Fixtures.loaded()
        var effects: [Effect]
        s = Fixtures.apply(s, .forwardEvent(.added(Fixtures.forward())))
        (s, effects) = Fixtures.press(s, .home, .right)
        #expect(effects.isEmpty)
        #expect(s.rows[1].content == .forward(Fixtures.forward()))
        (s, effects) = Fixtures.press(s, .character("r"))
        #expect(effects == [.refreshForwards(asOf: 1)])
        s = Fixtures.apply(s, .forwardsRefreshed([Fixtures.forward(), Fixtures.forward("queue-0", local: 9000)], asOf: 1))
        #expect(s.tree.forwards.count == 2)
    }

    @Test func managerEventsUpdateTheListWithoutAskingForIt() {
        var s = Fixtures.loaded()
        var effects: [Effect]
        (s, effects) = Fixtures.run(s, [.forwardEvent(.added(Fixtures.forward()))])
        #expect(effects.isEmpty)
        #expect(s.connectedForwardCount == 1)
        // The first forward opens Port Forwarding (the selection stays where it was).
        #expect(s.tree.expanded.contains(.forwardsCategory))
        #expect(Fixtures.lines(s)[2].hasPrefix("    localhost:8080 → default/web-0:80"))
        #expect(s.selectedRow?.id == .namespace(context: "dev", name: "default"))
        #expect(Fixtures.lines(s)[5].hasSuffix("⚡"))
        // A busy forward's activity reports (every 250 ms) change the row and ask for nothing.
        (s, effects) = Fixtures.run(s, [.forwardEvent(.updated(Fixtures.forward(connections: 3)))])
        #expect(effects.isEmpty)
        #expect(s.tree.forwards == [Fixtures.forward(connections: 3)])
        (s, effects) = Fixtures.run(s, [.forwardEvent(.notice(Notice(.info, "Port forward stopped: Pod 'web-0' was deleted"))),
                                        .forwardEvent(.removed(Fixtures.forward()))])
        #expect(s.connectedForwardCount == 0)
        #expect(s.message == MessageLine(.info, "Port forward stopped: Pod 'web-0' was deleted"))
        #expect(!Fixtures.lines(s)[23].contains("kube9:"))
    }

    @Test func aListReadOlderThanAnEventDoesNotReplaceIt() {
        var s = Fixtures.loaded()
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .home, .character("r"))
        #expect(effects == [.refreshForwards(asOf: 0)])
        // The event arrives first; the read (taken before it) answers after and must not undo it.
        s = Fixtures.apply(s, .forwardEvent(.added(Fixtures.forward())), .forwardsRefreshed([], asOf: 0))
        #expect(s.tree.forwards == [Fixtures.forward()])
        s = Fixtures.apply(s, .forwardEvent(.removed(Fixtures.forward())), .forwardsRefreshed([Fixtures.forward()], asOf: 1))
        #expect(s.tree.forwards.isEmpty)
    }

    @Test func forwardsAreSortedByContextNamespacePodAndPort() {
        let records = [
            Fixtures.forward("b", local: 2), Fixtures.forward("a", local: 9), Fixtures.forward("a", local: 3),
            Fixtures.forward("z", context: "alpha"),
        ]
        let s = Fixtures.apply(Fixtures.state(), .forwardsRefreshed(records, asOf: 0))
        #expect(s.tree.forwards.map { "\($0.context)/\($0.target.name)/\($0.localPort)" } == ["alpha/z/8080", "dev/a/3", "dev/a/9", "dev/b/2"])
    }

    @Test func contextOverrideIsMarkedCurrent() {
        var s = AppState(size: TerminalSize(width: 80, height: 24), contextOverride: "prod")
        s = Fixtures.apply(s, .contextsLoaded(.success(Fixtures.contexts)))
        #expect(Fixtures.lines(s)[3] == "▸ prod (current)")
        #expect(Fixtures.lines(s)[0].hasSuffix("context: prod"))
        var missing = AppState(size: TerminalSize(width: 80, height: 24), contextOverride: "nope")
        missing = Fixtures.apply(missing, .contextsLoaded(.success(Fixtures.contexts)))
        #expect(missing.message == MessageLine(.error, UIText.contextNotFound("nope")))
    }

    @Test func enterOnAPodOpensItsMenu() {
        var s = Fixtures.press(Fixtures.loaded(), .down, .enter).0
        #expect(s.menu?.actions == [.portForward, .copyName, .refresh])
        #expect(Fixtures.lines(s).joined().contains(UIText.menuPortForward))
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .enter)
        #expect(s.menu == nil)
        #expect(s.dialog?.podName == "web-0")
        #expect(effects == [.checkLocalPort(80)])
        (s, effects) = Fixtures.press(s, .escape, .enter, .down, .enter)
        #expect(effects == [.copyToClipboard("web-0")])
        (s, _) = Fixtures.press(s, .enter, .escape)
        #expect(s.menu == nil)
    }

    @Test func enterOnAForwardOpensStopRestartCopyURL() {
        var s = Fixtures.apply(Fixtures.loaded(forwards: [Fixtures.forward()]), .key(.home), .key(.right), .key(.down), .key(.enter))
        #expect(s.menu?.actions == [.stop, .restart, .copyURL, .save, .toggleHealing, .toggleOnDemand])
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .character("j"), .character("j"), .enter)
        #expect(effects == [.copyToClipboard("http://localhost:8080")])
        (s, effects) = Fixtures.press(s, .enter, .down, .enter)
        #expect(effects == [.restartForward(Fixtures.forward())])
        #expect(s.message?.kind == .progress)
        (s, effects) = Fixtures.press(s, .enter, .enter)
        #expect(s.confirmation == .stopForward(Fixtures.forward()))
        #expect(effects.isEmpty)
    }
}

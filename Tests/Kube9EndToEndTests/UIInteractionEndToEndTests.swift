import Foundation
import Kube9TestSupport
import Testing

/// What issue 16 adds, through the real binary in tmux: mouse clicks, Ctrl-Z refused, the jump-to-pod finder
/// on a 5,000-pod namespace. Each asserts the selected row.
@Suite(.timeLimit(.minutes(3)))
struct UIInteractionEndToEndTests {
    @Test func aClickOnTheExpanderOpensAndAClickOnARowSelectsIt() async throws {
        try await Kube9Screen.with(width: 80, height: 24) { screen in
            let tmux = screen.tmux
            try await screen.launch()
            try await tmux.waitForSelection(containing: "Port Forwarding")
            // Row 2 is `▸ e2e (current)`: its ▸ (column 0) opens it and selects it.
            try await tmux.click(x: 0, y: 2)
            try await tmux.waitFor("▾ e2e (current)")
            try await tmux.waitFor(Kube9Screen.namespace)
            try await tmux.waitForSelection(containing: "e2e (current)")
            // A click on the namespace's name selects it without opening it.
            try await tmux.click(x: 6, y: 3)
            try await tmux.waitForSelection(containing: Kube9Screen.namespace)
            #expect(!(try await tmux.screen()).contains(Kube9Screen.runningPod))
            // The wheel moves the selection.
            try await tmux.wheel(down: false, x: 6, y: 3)
            try await tmux.waitForSelection(containing: "Port Forwarding")
            try await screen.quit(confirm: false)
        }
    }

    @Test func withNoMouseAClickDoesNothing() async throws {
        try await Kube9Screen.with(width: 80, height: 24) { screen in
            let tmux = screen.tmux
            try await screen.launch(arguments: "--no-mouse")
            try await tmux.click(x: 0, y: 2)
            // A key after the click is answered, and the click did not open the context.
            try await tmux.sendKeys("j")
            try await tmux.waitForSelection(containing: "e2e (current)")
            #expect((try await tmux.screen()).contains("▸ e2e (current)"))
            try await screen.quit(confirm: false)
        }
    }

    /// kube9 relays its forwards' bytes, so a stopped kube9 would stop every forward: Ctrl-Z says so instead of
    /// suspending, the forward keeps answering and the keys keep working.
    @Test func controlZDoesNotSuspendAndSaysWhy() async throws {
        try await Kube9Screen.with(width: 100, height: 30) { screen in
            let tmux = screen.tmux
            try await screen.launch()
            try await screen.expandToPods()
            try await screen.openDialogOnRunningPod()
            let local = try await screen.startForward()
            try await tmux.sendKeys("C-z")
            try await tmux.waitFor("Ctrl-Z: kube9 does not suspend")
            #expect(!(try await tmux.screen()).contains("Stopped"))
            let (status, body) = try await httpGet(port: local, timeout: .seconds(10))
            #expect(status == 200)
            #expect(body.contains(Kube9Screen.podBody))
            try await tmux.waitForSelection(containing: Kube9Screen.runningPod)
            try await tmux.sendKeys("q")
            try await tmux.waitFor("Quit kube9 and stop")
            try await tmux.sendKeys("y")
            try await tmux.waitForAbsence(of: "Port Forwarding")
        }
    }

    @Test func theFinderAnswersWithinASecondOfTheListOnFiveThousandPods() async throws {
        try await Kube9Screen.with(scenarioJSON: LoadEndToEndTests.bigScenario) { screen in
            let tmux = screen.tmux
            try await screen.launch()
            try await tmux.sendText(":", enter: false)
            try await tmux.waitFor("of 5000", timeout: .seconds(30))
            let elapsed = try await tmux.timeUntil(
                keys: "pod-04321".map(String.init), shows: ["aaa-big/pod-04321", "1 of 5000"])
            #expect(elapsed < .seconds(1), "\(elapsed)")
            try await tmux.sendKeys("Enter")
            try await tmux.waitForSelection(containing: "pod-04321")
            try await screen.quit(confirm: false)
        }
    }
}

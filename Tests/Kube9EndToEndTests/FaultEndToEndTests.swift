import Foundation
import Glibc
import Kube9TestSupport
import Testing

/// Faults under the real binary in tmux: kubectl killed from outside, the API going away and coming back, a slow
/// API, an unreachable context.
@Suite(.timeLimit(.minutes(3)))
struct FaultEndToEndTests {
    static let connectivityMessage = "Connection failed: Unable to reach pod. Check cluster connectivity."

    @Test func kubectlKilledFromOutsideIsRestartedByHealingAndCarriesBytesAgain() async throws {
        try await Kube9Screen.with { screen in
            let tmux = screen.tmux
            try await screen.launch()
            try await screen.expandToPods()
            try await screen.openDialogOnRunningPod()
            let local = try await screen.startForward()
            let first = try #require(portForwardProcessIDs(kubeconfig: screen.harness.kubeconfigPath).first)
            #expect(kill(first, SIGKILL) == 0)
            // Healing (on by default) starts a new kubectl on the same local port after 1 s.
            try #require(await pollUntil(timeout: .seconds(15)) {
                let now = portForwardProcessIDs(kubeconfig: screen.harness.kubeconfigPath)
                return now.count == 1 && !now.contains(first)
            }, "a new kubectl port-forward")
            try await tmux.waitFor("kube9: 1 forward active", timeout: .seconds(15))
            try #require(await pollUntil(timeout: .seconds(15)) {
                (try? await httpGet(port: local, timeout: .seconds(3)))?.body.contains(Kube9Screen.podBody) == true
            }, "the pod's body through the healed forward")
            #expect(try await !tmux.screen().contains("stopped unexpectedly"))
            try await screen.quit(confirm: true)
            try #require(await pollUntil(timeout: .seconds(10)) {
                kubectlProcesses(mentioning: screen.harness.kubeconfigPath).isEmpty
            }, "no kubectl left")
        }
    }

    @Test func kubectlKilledFromOutsideEndsTheForwardWithAMessageAndTheUIAnswersWithoutHealing() async throws {
        try await Kube9Screen.with { screen in
            let tmux = screen.tmux
            try await screen.launch(arguments: "--no-heal")
            try await screen.expandToPods()
            try await screen.openDialogOnRunningPod()
            let local = try await screen.startForward()
            let pids = portForwardProcessIDs(kubeconfig: screen.harness.kubeconfigPath)
            #expect(pids.count == 1)
            let pid = try #require(pids.first)
            #expect(kill(pid, SIGKILL) == 0)
            // Without healing the record goes, with the message.
            let stopped = "Port forward stopped unexpectedly: localhost:\(local) → \(Kube9Screen.namespace)/\(Kube9Screen.runningPod):80"
            try await tmux.waitFor(stopped, timeout: .seconds(15))
            try await tmux.waitForAbsence(of: "kube9: 1 forward active")
            let rows = try await tmux.screen().split(separator: "\n").filter { !$0.contains("stopped unexpectedly") }
            #expect(!Kube9Screen.showsForwardRow(rows.joined(separator: "\n"), local: local), "\(rows)")
            #expect(portForwardProcessIDs(kubeconfig: screen.harness.kubeconfigPath).isEmpty)
            // Still answering: the help opens and closes.
            try await tmux.sendKeys("?")
            try await tmux.waitFor("Press ? or Esc to close", timeout: .seconds(5))
            try await tmux.sendKeys("Escape")
            try await tmux.waitForAbsence(of: "Press ? or Esc to close", timeout: .seconds(5))
            try await tmux.sendKeys("q")
            try await tmux.waitFor("EXIT=0")
            try #require(await pollUntil(timeout: .seconds(10)) {
                kubectlProcesses(mentioning: screen.harness.kubeconfigPath).isEmpty
            }, "no kubectl left")
        }
    }

    @Test func theAPIGoingAwayEndsTheForwardsAndARefreshRecoversTheTreeWithoutHealing() async throws {
        try await Kube9Screen.with { screen in
            let tmux = screen.tmux
            try await screen.launch(arguments: "--no-heal")
            try await screen.expandToPods()
            try await screen.openDialogOnRunningPod()
            _ = try await screen.startForward()
            _ = try await screen.startAnotherForwardOnTheSelectedPod(active: 2)

            await screen.harness.server.setAPIAvailable(context: Kube9Screen.context, false)
            try await tmux.waitFor(Self.connectivityMessage, timeout: .seconds(20))
            try await tmux.waitForScreen("no forward counted", timeout: .seconds(20)) { !$0.contains("forwards active") && !$0.contains("forward active") }
            try #require(await pollUntil(timeout: .seconds(10)) {
                portForwardProcessIDs(kubeconfig: screen.harness.kubeconfigPath).isEmpty
            }, "no port-forward kubectl left")
            // Reloading the namespace while the API is away shows an error on it, and nothing hangs.
            try await tmux.sendKeys("k", "r")
            try await tmux.waitForScreen("an inline error on the namespace", timeout: .seconds(15)) {
                $0.contains("✗") && ($0.contains("Unable to reach") || $0.contains("did not answer") || $0.contains("refused"))
            }
            await screen.harness.server.setAPIAvailable(context: Kube9Screen.context, true)
            try await tmux.sendKeys("r")
            try await tmux.waitForScreen("the pods again, without the error", timeout: .seconds(20)) {
                $0.contains(Kube9Screen.runningPod) && $0.contains(Kube9Screen.pendingPod) && !$0.contains("✗")
            }
            try await tmux.sendKeys("q")
            try await tmux.waitFor("EXIT=0")
            try #require(await pollUntil(timeout: .seconds(10)) {
                kubectlProcesses(mentioning: screen.harness.kubeconfigPath).isEmpty
            }, "no kubectl left")
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    static let slowScenario = """
        { "contexts": [ { "name": "e2e", "namespace": "shop", "latencyMs": 3000,
            "namespaces": [ { "name": "shop", "pods": [] }, { "name": "tools", "pods": [] } ] } ] }
        """

    @Test func aSlowAPIKeepsTheKeysAnsweredWhileANodeLoads() async throws {
        try await Kube9Screen.with(scenarioJSON: Self.slowScenario) { screen in
            let tmux = screen.tmux
            try await screen.launch()
            try await tmux.sendKeys("j", "l")
            try await tmux.waitFor("Loading", timeout: .seconds(5))
            var loading: [Double] = []
            for key in ["k", "j", "k", "j", "k", "j"] {
                loading.append(Self.milliseconds(try await tmux.responseTime(to: key)))
            }
            let stillLoading = try await tmux.screen()
            #expect(stillLoading.contains("Loading"), "the figures must be taken while the node loads:\n\(stillLoading)")
            print("kube9 key response while loading (ms): \(loading.map { Int($0.rounded()) })")
            // The node's kubectl runs for seconds (3 s per round trip): a UI blocked by it would answer in seconds.
            // Alone, the answers take 7–34 ms (the bar is 100 ms); while the whole suite saturates the
            // 2 cores tmux and kube9 are scheduled late (medians up to ~300 ms seen), so the asserted bars are a
            // 500 ms median and 1.5 s for every key: still far below the 3 s a blocked UI would take.
            let settled = try await tmux.waitForScreen("the node loaded or its inline deadline error", timeout: .seconds(25)) {
                $0.contains("tools") || $0.contains("kubectl did not answer within 10 s. Check cluster connectivity.")
            }
            #expect(!settled.contains("Loading"))
            var idle: [Double] = []
            for key in ["k", "j", "k", "j"] { idle.append(Self.milliseconds(try await tmux.responseTime(to: key))) }
            let median = { (values: [Double]) in values.sorted()[values.count / 2] }
            print("kube9 key response after loading (ms): \(idle.map { Int($0.rounded()) })")
            #expect(median(loading) <= 500, "loading \(loading), idle \(idle)")
            #expect(loading.max()! < 1500, "loading \(loading)")
            try await screen.quit(confirm: false)
        }
    }

    static let unreachableScenario = """
        { "contexts": [
            { "name": "e2e", "namespace": "shop", "namespaces": [ { "name": "shop", "pods": [] } ] },
            { "name": "gone", "namespace": "default", "unreachable": true, "namespaces": [] } ] }
        """

    @Test func anUnreachableContextShowsAnInlineErrorWithinTheDeadlineWhileOthersWork() async throws {
        try await Kube9Screen.with(scenarioJSON: Self.unreachableScenario) { screen in
            let tmux = screen.tmux
            try await screen.launch(firstContext: "gone")
            // `gone` is the last row: expand it, then the row above it (`e2e`) while `gone` still waits.
            let started = ContinuousClock.now
            try await tmux.sendKeys("G", "l", "k")
            try await tmux.sendKeys("l")
            try await tmux.waitFor("shop", timeout: .seconds(10))
            try await tmux.waitForScreen("the inline error on gone", timeout: .seconds(14)) {
                $0.contains("Unable to reach the cluster") || $0.contains("did not answer within")
            }
            let elapsed = ContinuousClock.now - started
            print("unreachable context: inline error after \(elapsed)")
            #expect(elapsed < .seconds(13), "the request deadline is 10 s; took \(elapsed)")
            let final = try await tmux.screen()
            #expect(final.contains("shop"))
            try await screen.quit(confirm: false)
        }
    }
}

import Foundation
import Kube9TestSupport
import KubeSim
import Testing

/// Issue 18 in the real binary: an open namespace follows the cluster through its watch (no `r`, no polling), the
/// selected row stays on its pod, and quitting leaves no kubectl behind.
@Suite(.timeLimit(.minutes(3)))
struct LivePodListEndToEndTests {
    @Test func podsAddedAndDeletedInTheClusterShowWithoutRefreshingAndTheSelectionStays() async throws {
        try await Kube9Screen.with { screen in
            let tmux = screen.tmux
            let kubeconfig = screen.harness.kubeconfigPath
            try await screen.launch()
            try await screen.expandToPods()
            try await tmux.sendKeys("j")
            try await tmux.waitForSelection(containing: Kube9Screen.runningPod)
            // The namespace's watch runs (one kubectl; its list is what the screen shows from then on).
            try #require(await pollUntil(timeout: .seconds(30)) {
                screen.harness.server.podWatchCount(context: Kube9Screen.context, namespace: Kube9Screen.namespace) == 1
            }, "the namespace watch")
            // One pod sorts above the selected one (its row moves down), one below leaves.
            let added = ScenarioPod(
                name: "admin-0", phase: "Pending",
                containers: [ScenarioContainer(name: "web", ports: [ScenarioPort(containerPort: 80)])])
            await screen.harness.server.addPod(context: Kube9Screen.context, namespace: Kube9Screen.namespace, pod: added)
            await screen.harness.server.deletePod(
                context: Kube9Screen.context, namespace: Kube9Screen.namespace, name: Kube9Screen.pendingPod)
            let shown = try await tmux.waitForScreen("admin-0 added and queued-0 gone", timeout: .seconds(20)) {
                $0.contains("admin-0") && !$0.contains(Kube9Screen.pendingPod)
            }
            let rows = shown.split(separator: "\n")
            let admin = try #require(rows.firstIndex { $0.contains("admin-0") })
            let api = try #require(rows.firstIndex { $0.contains(Kube9Screen.runningPod) })
            #expect(admin < api, "\(shown)")
            #expect(try await tmux.selectedLine()?.contains(Kube9Screen.runningPod) == true, "\(shown)")
            // A phase change shows too.
            await screen.harness.server.setPodPhase(
                context: Kube9Screen.context, namespace: Kube9Screen.namespace, name: "admin-0", phase: "Running")
            try await tmux.waitForScreen("admin-0 Running", timeout: .seconds(20)) { screen in
                screen.split(separator: "\n").contains { $0.contains("admin-0") && $0.contains("Running") }
            }
            #expect(try await tmux.selectedLine()?.contains(Kube9Screen.runningPod) == true)
            // Closing the namespace ends its watch; quitting leaves no kubectl.
            try await tmux.sendKeys("h", "h")
            try #require(await pollUntil(timeout: .seconds(20)) {
                screen.harness.server.podWatchCount(context: Kube9Screen.context, namespace: Kube9Screen.namespace) == 0
            }, "the watch ended")
            try await tmux.sendKeys("l")
            try await tmux.waitFor("admin-0")
            try await screen.quit(confirm: false)
            try #require(await pollUntil(timeout: .seconds(10)) { kubectlProcesses(mentioning: kubeconfig).isEmpty }, "no kubectl left")
        }
    }
}

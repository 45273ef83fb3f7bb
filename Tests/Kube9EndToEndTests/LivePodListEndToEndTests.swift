import Foundation
import Kube9TestSupport
import Testing

/// Issue 18 in the real binary: an open pod list follows the cluster through a namespace watch (no `r`), and
/// quitting ends the watch's kubectl.
@Suite(.timeLimit(.minutes(3)))
struct LivePodListEndToEndTests {
    @Test func aDeletedPodLeavesTheOpenListWithoutRefreshingAndTheWatchEndsOnQuit() async throws {
        try await Kube9Screen.with { screen in
            let tmux = screen.tmux
            let kubeconfig = screen.harness.kubeconfigPath
            try await screen.launch()
            try await screen.expandToPods()
            try await eventually("the namespace watch runs", timeout: .seconds(20)) {
                processes(named: "kubectl", mentioning: "--watch-only").contains { $0.commandLine.contains(kubeconfig) }
            }
            let deletion = try await screen.harness.kubectl(
                ["delete", "pod", Kube9Screen.pendingPod, "-n", Kube9Screen.namespace, "--context", Kube9Screen.context])
            #expect(deletion.status == 0, "\(deletion)")
            let shown = try await tmux.waitForAbsence(of: Kube9Screen.pendingPod)
            #expect(shown.contains(Kube9Screen.runningPod))
            try await screen.quit(confirm: false)
            try await eventually("no kubectl left", timeout: .seconds(10)) {
                kubectlProcesses(mentioning: kubeconfig).isEmpty
            }
        }
    }
}

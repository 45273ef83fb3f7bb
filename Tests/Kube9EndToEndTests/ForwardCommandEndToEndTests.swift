import Foundation
import Kube9TestSupport
import Testing

/// `kube9 forward` at a terminal: a non-loopback address is asked about first.
@Suite(.timeLimit(.minutes(2)))
struct ForwardCommandEndToEndTests {
    @Test func aNonLoopbackAddressIsConfirmedAtATerminal() async throws {
        try await Kube9Screen.with { screen in
            let tmux = screen.tmux
            let kube9 = try BuiltExecutables.path(of: "kube9")
            let local = freeTCPPort()
            let command =
                "HOME=\(screen.harness.home) \(kube9) forward --kubeconfig \(screen.harness.kubeconfigPath) "
                + "--address 0.0.0.0 pod/\(Kube9Screen.runningPod) \(local):80; echo EXIT=$?"

            // No: nothing starts.
            try await tmux.sendText(command)
            try await tmux.waitFor("Listen on 0.0.0.0? Other machines can then reach these ports. [y/N]")
            try await tmux.sendText("n")
            try await tmux.waitFor("EXIT=1")
            #expect(try await tmux.screen().contains("Cancelled"))
            #expect(portForwardProcessIDs(kubeconfig: screen.harness.kubeconfigPath).isEmpty)

            // Yes: the forward listens on every interface until Ctrl-C.
            try await tmux.sendText("clear; " + command)
            try await tmux.waitFor("[y/N]")
            try await tmux.sendText("y")
            try await tmux.waitFor("Port forward established: 0.0.0.0:\(local) → \(Kube9Screen.namespace)/\(Kube9Screen.runningPod):80")
            let response = try await httpGet(port: local, timeout: .seconds(10))
            #expect(response.body.trimmingCharacters(in: .whitespacesAndNewlines) == Kube9Screen.podBody)
            try await tmux.sendKeys("C-c")
            try await tmux.waitFor("EXIT=0")
            try #require(await pollUntil(timeout: .seconds(10)) {
                kubectlProcesses(mentioning: screen.harness.kubeconfigPath).isEmpty
            }, "no kubectl left")
        }
    }
}

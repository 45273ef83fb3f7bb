import Foundation
import Glibc
import Kube9TestSupport
import Testing

/// SIGINT, SIGTERM and SIGHUP sent to the kube9 process itself (not to tmux) while two forwards run: the forwards
/// stop, no kubectl is left, the terminal is restored and the shell prompt works, the exit status is the README's.
@Suite(.timeLimit(.minutes(3)))
struct SignalEndToEndTests {
    @Test(arguments: zip([SIGINT, SIGTERM, SIGHUP], [130, 143, 129]))
    func aSignalStopsEveryForwardAndRestoresTheTerminal(signal: Int32, status: Int) async throws {
        try await Kube9Screen.with { screen in
            let tmux = screen.tmux
            try await screen.launch()
            try await screen.expandToPods()
            try await screen.openDialogOnRunningPod()
            let first = try await screen.startForward()
            let second = try await screen.startAnotherForwardOnTheSelectedPod(active: 2)
            #expect(portForwardProcessIDs(kubeconfig: screen.harness.kubeconfigPath).count == 2)

            let pid = try #require(kube9ProcessID(kubeconfig: screen.harness.kubeconfigPath), "no kube9 process")
            #expect(kill(pid, signal) == 0)
            try await tmux.waitFor("EXIT=\(status)", timeout: .seconds(10))
            try #require(await pollUntil(timeout: .seconds(5)) {
                kubectlProcesses(mentioning: screen.harness.kubeconfigPath).isEmpty
            }, "no kubectl left")
            try #require(await pollUntil(timeout: .seconds(5)) { portIsFree(first) && portIsFree(second) }, "both local ports to close")
            #expect(kube9ProcessID(kubeconfig: screen.harness.kubeconfigPath) == nil)
            try await screen.expectTerminalRestored()
        }
    }

    @Test func sigkillOfTheUIWithThreeForwardsLeavesNoKubectlWithinTwoSeconds() async throws {
        try await Kube9Screen.with { screen in
            let tmux = screen.tmux
            try await screen.launch()
            try await screen.expandToPods()
            try await screen.openDialogOnRunningPod()
            var ports = [try await screen.startForward()]
            ports.append(try await screen.startAnotherForwardOnTheSelectedPod(active: 2))
            ports.append(try await screen.startAnotherForwardOnTheSelectedPod(active: 3))
            #expect(portForwardProcessIDs(kubeconfig: screen.harness.kubeconfigPath).count == 3)

            let pid = try #require(kube9ProcessID(kubeconfig: screen.harness.kubeconfigPath), "no kube9 process")
            let killed = ContinuousClock.now
            #expect(kill(pid, SIGKILL) == 0)
            try #require(await pollUntil(timeout: .seconds(2)) {
                kubectlProcesses(mentioning: screen.harness.kubeconfigPath).isEmpty
            }, "no kubectl left")
            print("SIGKILL of kube9 with 3 forwards: kubectls gone after \(ContinuousClock.now - killed)")
            let opened = ports
            try #require(await pollUntil(timeout: .seconds(5)) { opened.allSatisfy(portIsFree) }, "the ports to close")
            try await tmux.waitFor("EXIT=137", timeout: .seconds(10))
        }
    }
}

extension Kube9Screen {
    /// With the dialog closed and the Running pod still selected: opens the dialog again, starts one more forward
    /// on a fresh local port and waits until `active` forwards are counted.
    func startAnotherForwardOnTheSelectedPod(active: Int) async throws -> Int {
        try await tmux.sendKeys("f")
        try await tmux.waitFor("Port forward \(Self.context): \(Self.namespace)/\(Self.runningPod)")
        let local = freeTCPPort()
        try await typeLocalPort(local)
        try await tmux.waitFor("Port \(local) is free")
        try await tmux.sendKeys("Enter")
        try await tmux.waitFor("Port forward established: localhost:\(local)")
        try await tmux.waitFor("kube9: \(active) forwards active")
        return local
    }

    /// `stty -a` in the pane shows icanon and echo, and a typed command runs and prints its output on its own line.
    func expectTerminalRestored() async throws {
        try await tmux.sendText("clear; stty -a")
        let stty = try await tmux.waitFor("icanon")
        let words = Set(stty.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        #expect(words.contains("icanon") && !words.contains("-icanon"), "\(stty)")
        #expect(words.contains("echo") && !words.contains("-echo"), "\(stty)")
        let token = "ok-\(UInt32.random(in: 100_000...999_999))"
        try await tmux.sendText("clear; echo \(token)")
        try await tmux.waitForScreen("the shell to print \(token) on its own line", timeout: .seconds(10)) { screen in
            screen.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == token }
        }
    }
}

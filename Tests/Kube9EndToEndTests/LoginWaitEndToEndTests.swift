import Foundation
import Kube9TestSupport
import Testing

/// Issue 18 in the real binary: expanding a context (its namespaces) or a namespace (its pods) whose credential
/// plugin asks for a login shows the plugin's line at once on the list's row; Esc gives the read up (kubectl, the
/// plugin and the namespace's watch end: no process left) and the list says so; once logged in, `r` reads it.
@Suite(.timeLimit(.minutes(3)))
struct LoginWaitEndToEndTests {
    static let waiting = "Waiting for the login: \(LoginPlugin.prompt) (Esc cancels)"
    static let cancelled = "Login cancelled; Enter or r tries again"

    @Test func escGivesUpAListReadWaitingForALoginAndLeavesNoProcess() async throws {
        let plugin = try LoginPlugin()
        defer { plugin.remove() }
        try await Kube9Screen.with(width: 160, scenarioJSON: plugin.scenario) { screen in
            let tmux = screen.tmux
            let kubeconfig = screen.harness.kubeconfigPath
            try await screen.launch(firstContext: "secure")
            // The context's namespaces: the plugin's line on the list's row for as long as the read waits (the message
            // line's copy goes after 5 s, which a loaded machine's captures may miss: ListLoginWaitTests asserts it).
            try await tmux.sendKeys("j", "l")
            try await tmux.waitFor(Self.waiting, timeout: .seconds(60))
            #expect(!plugin.running.isEmpty, "the plugin waits for the login")
            try await tmux.sendKeys("Escape")
            var shown = try await tmux.waitFor(Self.cancelled)
            #expect(!shown.contains(Self.waiting), "\(shown)")
            #expect(try await tmux.selectedLine()?.contains("secure") == true, "\(shown)")
            try await Self.expectNoProcessLeft(plugin: plugin, kubeconfig: kubeconfig)

            // Logged in: `r` on the context lists its namespaces.
            plugin.approve()
            try await tmux.sendKeys("r")
            try await tmux.waitFor("apps")
            try await tmux.waitForAbsence(of: Self.cancelled)

            // The login expired: the namespace's pods (its read and its watch) wait for it; Esc ends both.
            plugin.expire()
            try await tmux.sendKeys("j", "l")
            try await tmux.waitFor(Self.waiting, timeout: .seconds(60))
            try await tmux.sendKeys("Escape")
            shown = try await tmux.waitFor(Self.cancelled)
            #expect(try await tmux.selectedLine()?.contains("apps") == true, "\(shown)")
            try await Self.expectNoProcessLeft(plugin: plugin, kubeconfig: kubeconfig)

            plugin.approve()
            try await tmux.sendKeys("r")
            try await tmux.waitFor("echo-0", timeout: .seconds(30))

            // The login expired again: the finder's lists (every pod and every service of the context) wait for it;
            // Esc closes the finder and gives both up. (The namespace is closed first, so its watch ends too.)
            try await tmux.sendKeys("h")
            try #require(await pollUntil(timeout: .seconds(10)) { kubectlProcesses(mentioning: kubeconfig).isEmpty }, "the watch to end")
            plugin.expire()
            try await tmux.sendKeys(":")
            try #require(await pollUntil(timeout: .seconds(60)) { !plugin.running.isEmpty }, "the finder's reads to wait for the login")
            try await tmux.sendKeys("Escape")
            try await Self.expectNoProcessLeft(plugin: plugin, kubeconfig: kubeconfig)
            try await screen.quit(confirm: false)
            try #require(await pollUntil(timeout: .seconds(10)) { kubectlProcesses(mentioning: kubeconfig).isEmpty }, "no kubectl left")
        }
    }

    /// Neither the plugin nor any kubectl of the test's kubeconfig still runs (within 10 s of Esc).
    static func expectNoProcessLeft(plugin: LoginPlugin, kubeconfig: String) async throws {
        try #require(await pollUntil(timeout: .seconds(10)) { plugin.running.isEmpty }, "the plugin to end")
        try #require(await pollUntil(timeout: .seconds(10)) { kubectlProcesses(mentioning: kubeconfig).isEmpty }, "no kubectl left")
    }
}

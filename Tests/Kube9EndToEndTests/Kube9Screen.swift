import Foundation
import Kube9TestSupport

/// kube9 running in a tmux pane against one kube9-sim harness, with the steps the tests share.
struct Kube9Screen: Sendable {
    /// One context `e2e`, namespace `shop`: `api-0` Running with port 80, `queued-0` Pending.
    static let scenarioJSON = """
        { "contexts": [ { "name": "e2e", "namespace": "shop",
            "namespaces": [ { "name": "shop", "pods": [
                { "name": "api-0", "phase": "Running", "labels": {"app": "api"},
                  "containers": [ { "name": "web", "ports": [ { "containerPort": 80, "name": "http", "protocol": "TCP" } ] } ] },
                { "name": "queued-0", "phase": "Pending", "labels": {"app": "queued"},
                  "containers": [ { "name": "web", "ports": [ { "containerPort": 80, "name": "http", "protocol": "TCP" } ] } ] }
            ] } ] } ] }
        """
    static let context = "e2e"
    static let namespace = "shop"
    static let runningPod = "api-0"
    static let pendingPod = "queued-0"

    let harness: SimHarness
    let tmux: TmuxSession

    /// Runs `body` with a fresh sim and a fresh tmux session; both are torn down in every path.
    static func with<T: Sendable>(
        width: Int = 120, height: Int = 40, scenarioJSON: String = Kube9Screen.scenarioJSON,
        _ body: (Kube9Screen) async throws -> T
    ) async throws -> T {
        try await SimHarness.with(scenarioJSON: scenarioJSON) { harness in
            try await TmuxSession.with(width: width, height: height) { tmux in
                try await body(Kube9Screen(harness: harness, tmux: tmux))
            }
        }
    }

    /// Starts kube9 from the pane's shell (HOME is the harness's, so kubectl gets a fresh cache) and waits for
    /// the tree; the shell prints `EXIT=<status>` when kube9 ends.
    /// `environment` is prepended to the command line (e.g. `XDG_STATE_HOME=/tmp/x`); `firstContext` is waited for.
    func launch(environment: String = "", arguments: String = "", firstContext: String = Kube9Screen.context) async throws {
        let kube9 = try BuiltExecutables.path(of: "kube9")
        try await tmux.sendText(
            "\(environment) HOME=\(harness.home) \(kube9) --kubeconfig \(harness.kubeconfigPath) \(arguments); echo EXIT=$?")
        try await tmux.waitFor("Port Forwarding")
        try await tmux.waitFor(firstContext)
    }

    /// From the start (selection on Port Forwarding): expands the first context and `namespace` (its first),
    /// waits for `pods`, leaves the selection on the namespace row.
    func expandToPods(namespace: String = Self.namespace, pods: [String] = [Self.runningPod, Self.pendingPod]) async throws {
        try await tmux.sendKeys("j", "l")
        try await tmux.waitFor(namespace)
        try await tmux.sendKeys("j", "l")
        for pod in pods { try await tmux.waitFor(pod) }
    }

    /// From the namespace row: selects the Running pod and opens the port dialog.
    func openDialogOnRunningPod() async throws {
        try await tmux.sendKeys("j", "f")
        try await tmux.waitFor("Port forward \(Self.context): \(Self.namespace)/\(Self.runningPod)")
    }

    /// In the dialog: moves to the local field, clears it and types `port`.
    func typeLocalPort(_ port: Int) async throws {
        try await tmux.sendKeys("Tab", "C-u")
        try await tmux.sendText(String(port), enter: false)
    }

    /// Types a free local port, starts the forward and waits until it is active; returns the local port.
    func startForward() async throws -> Int {
        let local = freeTCPPort()
        try await typeLocalPort(local)
        try await tmux.waitFor("Port \(local) is free")
        try await tmux.sendKeys("Enter")
        try await waitUntilEstablished(local: local)
        return local
    }

    /// Waits for the established message and the status line of one active forward on `local`.
    func waitUntilEstablished(local: Int) async throws {
        try await tmux.waitFor("Port forward established: localhost:\(local)")
        try await tmux.waitFor("kube9: 1 forward active")
    }

    /// Whether `screen` shows the forward's row, in the Unicode or the ASCII arrow.
    static func showsForwardRow(_ screen: String, local: Int) -> Bool {
        let target = "\(namespace)/\(runningPod):80"
        return screen.contains("localhost:\(local) → \(target)") || screen.contains("localhost:\(local) -> \(target)")
    }

    /// The body the sim's Running pod answers with on port 80.
    static var podBody: String { "kube9-sim \(context)/\(namespace)/\(runningPod):80" }

    /// Quits kube9 (confirming when forwards are active) and waits for the shell's `EXIT=0`.
    func quit(confirm: Bool) async throws {
        try await tmux.sendKeys("q")
        if confirm {
            try await tmux.waitFor("Quit kube9 and stop")
            try await tmux.sendKeys("y")
        }
        try await tmux.waitFor("EXIT=0")
    }
}

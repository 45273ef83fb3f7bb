import Foundation
import Kube9TestSupport
import Testing

/// The UI on a kubeconfig whose user's credential plugin fails (the cluster's port is closed: the plugin fails
/// before kubectl would dial): the first frame runs no kubectl (the plugin has not run), and expanding the context
/// shows the plugin's own words, not "Unable to reach the cluster", on screen and in the log.
@Suite(.timeLimit(.minutes(2)))
struct CredentialEndToEndTests {
    @Test func theFirstFrameRunsNoKubectlAndAFailingPluginIsShownInItsOwnWords() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kube9-e2e-auth-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/home", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let runs = folder + "/plugin-runs"
        let plugin = folder + "/plugin"
        try "#!/bin/sh\necho run >> \(runs)\necho 'error: token expired; run: acme-login --refresh' >&2\nexit 1\n"
            .write(toFile: plugin, atomically: true, encoding: .utf8)
        chmod(plugin, 0o755)
        let kubeconfig = folder + "/kubeconfig"
        try """
            current-context: locked
            clusters:
            - name: locked
              cluster: {server: "https://127.0.0.1:\(freeTCPPort())"}
            contexts:
            - name: locked
              context: {cluster: locked, user: sso, namespace: shop}
            users:
            - name: sso
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: \(plugin)
                  interactiveMode: Never

            """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        let state = folder + "/state"
        let expected = "Authentication failed for context 'locked': error: token expired; run: acme-login --refresh"

        try await TmuxSession.with(width: 160, height: 30) { tmux in
            let kube9 = try BuiltExecutables.path(of: "kube9")
            try await tmux.sendText("XDG_STATE_HOME=\(state) HOME=\(folder)/home \(kube9) --kubeconfig \(kubeconfig); echo EXIT=$?")
            try await tmux.waitFor("locked (current)")
            #expect(!FileManager.default.fileExists(atPath: runs), "the first frame ran kubectl (and its credential plugin)")

            try await tmux.sendKeys("j", "l")
            let screen = try await tmux.waitFor(expected)
            #expect(!screen.contains("Unable to reach"), "\(screen)")
            #expect(FileManager.default.fileExists(atPath: runs))
            try await tmux.sendKeys("q")
            try await tmux.waitFor("EXIT=0")
        }
        let log = try String(contentsOfFile: state + "/kube9/kube9.log", encoding: .utf8)
        #expect(log.contains(expected), "\(log)")
    }
}

import Foundation
import Kube9TestSupport
import KubeSim
import Testing

/// What kube9 logs and where, and where its forwards listen.
@Suite(.timeLimit(.minutes(2)))
struct SecurityEndToEndTests {
    @Test func theLogGetsLinesNeverTheTokenNeverThePaneAndForwardsBindLoopbackOnly() async throws {
        try await Kube9Screen.with { screen in
            let tmux = screen.tmux
            let token = "kube9-secret-\(UUID().uuidString)"
            let kubeconfig = try String(contentsOfFile: screen.harness.kubeconfigPath, encoding: .utf8)
            let simToken = "token: \"\(KubeSimServer.anonymousToken)\""
            #expect(kubeconfig.contains(simToken))
            try kubeconfig.replacingOccurrences(of: simToken, with: "token: \"\(token)\"")
                .write(toFile: screen.harness.kubeconfigPath, atomically: true, encoding: .utf8)
            let state = screen.harness.directory + "/state"
            let log = state + "/kube9/kube9.log"

            try await screen.launch(environment: "XDG_STATE_HOME=\(state)")
            var captures = [try await tmux.screen()]
            try await screen.expandToPods()
            try await screen.openDialogOnRunningPod()
            let local = try await screen.startForward()
            captures.append(try await tmux.screen())

            // The forward and the sim's API both listen on loopback addresses only.
            let apiPort = try #require(screen.harness.server.apiPort(context: Kube9Screen.context))
            for port in [local, apiPort] {
                let addresses = try await Self.listeningAddresses(port: port)
                #expect(!addresses.isEmpty, "nothing listens on \(port)")
                for address in addresses {
                    #expect(address == "127.0.0.1:\(port)" || address == "[::1]:\(port)", "listens on \(address)")
                }
            }

            try await screen.quit(confirm: true)
            let text = try String(contentsOfFile: log, encoding: .utf8)
            let lines = text.split(separator: "\n").map(String.init)
            #expect(lines.count >= 3, "\(text)")
            #expect(!text.contains(token))
            #expect(text.contains(String(local)), "the forward is logged:\n\(text)")
            // No line the log got ever appeared in the pane: look for each line's `level label:` part.
            let labels = Set(lines.compactMap { line -> String? in
                let parts = line.split(separator: " ", maxSplits: 3)
                return parts.count >= 3 ? "\(parts[1]) \(parts[2])" : nil
            })
            #expect(!labels.isEmpty)
            for capture in captures {
                for label in labels { #expect(!capture.contains(label), "log text in the pane: \(label)\n\(capture)") }
            }
            let attributes = try FileManager.default.attributesOfItem(atPath: log)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
    }

    /// The local addresses listening on TCP `port` (`ss -Hltn`).
    static func listeningAddresses(port: Int) async throws -> [String] {
        let listening = try await runProcess(["/usr/bin/ss", "-Hltn", "sport = :\(port)"], timeout: .seconds(10))
        return listening.stdout.split(separator: "\n").compactMap { line in
            line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).first.map(String.init)
        }
    }
}

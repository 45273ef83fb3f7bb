import Foundation
import Kube9Kit
import Kube9TestSupport
import Testing

/// Context names as EKS and GKE write them into kubeconfigs (`aws eks update-kubeconfig`, `gcloud container
/// clusters get-credentials`): an ARN with `:` and `/`, and a name with a space. Real kubectl, the UI in an 80-column
/// pane, and the command line.
@Suite(.timeLimit(.minutes(3)))
struct CloudContextNameEndToEndTests {
    static let eks = "arn:aws:eks:eu-west-1:123456789012:cluster/prod-eu"
    static let spaced = "gke_acme_europe-west1_payments (old)"

    static let scenarioJSON = """
        { "contexts": [
            { "name": "\(eks)", "namespace": "shop",
              "namespaces": [ { "name": "shop", "pods": [
                { "name": "api-0", "containers": [ { "name": "web", "ports": [ { "containerPort": 80, "name": "http" } ] } ] } ] } ] },
            { "name": "\(spaced)",
              "namespaces": [ { "name": "default", "pods": [
                { "name": "db-0", "containers": [ { "name": "db", "ports": [ { "containerPort": 5432 } ] } ] } ] } ] } ] }
        """

    @Test func anEKSContextIsBrowsedForwardedListedAndStoppedAtEightyColumns() async throws {
        try await Kube9Screen.with(width: 80, height: 24, scenarioJSON: Self.scenarioJSON) { screen in
            let tmux = screen.tmux
            let cli = try ControlCLI(harness: screen.harness)
            try await screen.launch(environment: "XDG_RUNTIME_DIR=\(cli.runtime)", firstContext: "\(Self.eks) (current)")
            try await screen.expandToPods(namespace: "shop", pods: ["api-0"])
            // The dialog's title keeps the pod: the context gives up its middle.
            try await tmux.sendKeys("j", "f")
            let dialog = try await tmux.waitFor(": shop/api-0 ")
            #expect(dialog.contains("Port forward arn:aws:eks:"), "\(dialog)")
            let local = try await screen.startForward()

            // The forward's row shows its status behind the long name.
            let row = try await tmux.waitForScreen("the forward row with its status", timeout: .seconds(10)) { screen in
                screen.split(separator: "\n").contains { $0.contains("localhost:\(local) → shop/api-0:80") && $0.contains("• connected") }
            }
            #expect(row.contains("arn:aws:"), "\(row)")
            let response = try await httpGet(port: local, timeout: .seconds(10))
            #expect(response.body.trimmingCharacters(in: .whitespacesAndNewlines) == "kube9-sim \(Self.eks)/shop/api-0:80")

            let listing = try await cli.run(["ls", "--json"])
            let forwards = try ControlCLI.forwards(listing.stdout)
            #expect(forwards.count == 1 && forwards.first?["context"] as? String == Self.eks, "\(listing)")
            let stop = try await cli.run(["stop", String(local)])
            #expect(stop.status == 0, "\(stop)")
            try await tmux.waitFor("Port forward stopped: localhost:\(local)")
            try #require(await pollUntil(timeout: .seconds(10)) { portIsFree(local) }, "the stopped local port to close")
            try await screen.quit(confirm: false)
        }
    }

    @Test func kube9ForwardTakesAContextWithASpace() async throws {
        try await SimHarness.with(scenarioJSON: Self.scenarioJSON) { harness in
            let cli = try ControlCLI(harness: harness)
            let local = freeTCPPort()
            let process = try SpawnedProcess.start(
                argv: [try BuiltExecutables.path(of: "kube9"), "forward", "--kubeconfig", harness.kubeconfigPath,
                       "--context", Self.spaced, "-n", "default", "pod/db-0", "\(local):5432"],
                env: cli.environment)
            defer { process.kill() }
            _ = try await process.waitForLine(containing: "Port forward established: localhost:\(local) → default/db-0:5432", timeout: .seconds(30))
            let listing = try await cli.run(["ls", "--json"])
            #expect(try ControlCLI.forwards(listing.stdout).first?["context"] as? String == Self.spaced, "\(listing)")
            let table = try await cli.run(["ls"])
            #expect(table.stdout.contains("\(Self.spaced)/default"), "\(table)")
        }
    }
}

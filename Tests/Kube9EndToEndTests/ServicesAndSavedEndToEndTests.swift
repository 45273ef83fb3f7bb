import Foundation
import Kube9TestSupport
import Testing

/// Issue 7 in the real binary: the Services node lists the namespace's services and opens the port dialog on
/// one (svc/NAME, its ports); a forward is saved, listed as saved once stopped, and started again with Enter.
@Suite(.timeLimit(.minutes(2)))
struct ServicesAndSavedEndToEndTests {
    /// Kube9Screen's cluster plus a service `api` selecting `api-0` (port 80 → targetPort `http`).
    static let scenarioJSON = """
        { "contexts": [ { "name": "e2e", "namespace": "shop",
            "namespaces": [ { "name": "shop", "pods": [
                { "name": "api-0", "phase": "Running", "labels": {"app": "api"},
                  "containers": [ { "name": "web", "ports": [ { "containerPort": 80, "name": "http", "protocol": "TCP" } ] } ] },
                { "name": "queued-0", "phase": "Pending", "labels": {"app": "queued"},
                  "containers": [ { "name": "web", "ports": [ { "containerPort": 80, "name": "http", "protocol": "TCP" } ] } ] }
              ],
              "services": [ { "name": "api", "selector": { "app": "api" }, "type": "ClusterIP",
                "ports": [ { "name": "http", "port": 80, "targetPort": "http" } ] } ] } ] } ] }
        """

    @Test func servicesNodeOpensTheServiceDialogAndASavedForwardStartsAgain() async throws {
        try await SimHarness.with(scenarioJSON: Self.scenarioJSON) { harness in
            try await TmuxSession.with(width: 120, height: 40) { tmux in
                let screen = Kube9Screen(harness: harness, tmux: tmux)
                try await screen.launch()
                try await screen.expandToPods()
                // Namespace row → api-0 → queued-0 → Services.
                try await tmux.sendKeys("j", "j", "j", "l")
                try await tmux.waitFor("80/TCP")
                try await tmux.sendKeys("j", "f")
                try await tmux.waitFor("Port forward e2e: shop/svc/api")
                try await tmux.waitFor("80 (http)")
                // kubectl port-forward svc/api: kubectl picks api-0 and its `http` port.
                let serviceLocal = freeTCPPort()
                try await screen.typeLocalPort(serviceLocal)
                try await tmux.waitFor("Port \(serviceLocal) is free")
                try await tmux.sendKeys("Enter")
                try await tmux.waitFor("Port forward established: localhost:\(serviceLocal) → shop/svc/api:80")
                try await tmux.waitFor("kube9: 1 forward active")
                let throughService = try await httpGet(port: serviceLocal, timeout: .seconds(10))
                #expect(throughService.body.trimmingCharacters(in: .whitespacesAndNewlines) == Kube9Screen.podBody)
                try await tmux.sendKeys("X")
                try await tmux.waitFor("Stop 1 active port forward?")
                try await tmux.sendKeys("y")
                try await tmux.waitForAbsence(of: "kube9: 1 forward active")

                // A pod forward: back to the namespace, then api-0.
                try await tmux.sendKeys("h", "h", "h")
                try await screen.openDialogOnRunningPod()
                let local = try await screen.startForward()
                let response = try await httpGet(port: local, timeout: .seconds(10))
                #expect(response.status == 200)
                #expect(response.body.trimmingCharacters(in: .whitespacesAndNewlines) == Kube9Screen.podBody)

                // Save it from its row under Port Forwarding: the file appears in $HOME/.config/kube9.
                // (Port Forwarding opened by itself on the first forward.)
                try await tmux.sendKeys("g", "j")
                try await tmux.waitForSelection(containing: "localhost:\(local)")
                try await tmux.sendKeys("s")
                try await tmux.waitFor("Saved localhost:\(local) → shop/api-0:80")
                let file = harness.home + "/.config/kube9/forwards.json"
                try #require(await pollUntil(timeout: .seconds(10)) {
                    (try? String(contentsOfFile: file, encoding: .utf8))?.contains("\"name\" : \"api-0\"") == true
                }, "forwards.json written")

                // Stopped, it stays listed as saved; Enter starts it again on the same port.
                try await tmux.sendKeys("x")
                try await tmux.waitFor("Stop port forward localhost:\(local)")
                try await tmux.sendKeys("y")
                try await tmux.waitFor("localhost:\(local) → shop/api-0:80  e2e • ○ stopped")
                try await tmux.waitForAbsence(of: "kube9: 1 forward active")
                try await tmux.sendKeys("Enter")
                try await screen.waitUntilEstablished(local: local)
                let again = try await httpGet(port: local, timeout: .seconds(10))
                #expect(again.status == 200)

                try await screen.quit(confirm: true)
                try #require(await pollUntil(timeout: .seconds(10)) {
                    kubectlProcesses(mentioning: harness.kubeconfigPath).isEmpty
                }, "no kubectl left")
            }
        }
    }
    /// `kube9 --demo`: a saved forward goes to the demo's own file, never to forwards.json (where `kube9 up` and a
    /// real cluster named kind-dev would meet it).
    @Test func theDemosSavedForwardsStayTheDemos() async throws {
        try await Kube9Screen.with { screen in
            let tmux = screen.tmux
            let home = screen.harness.home
            try await screen.launch(arguments: "--demo", firstContext: "kind-dev")
            try await screen.expandToPods(namespace: "data", pods: ["postgres-0", "redis-0"])
            try await tmux.sendKeys("j", "f")
            try await tmux.waitFor("Port forward kind-dev: data/postgres-0")
            let local = try await screen.startForward()
            try await tmux.sendKeys("g", "j")
            try await tmux.waitForSelection(containing: "localhost:\(local)")
            try await tmux.sendKeys("s")
            try await tmux.waitFor("Saved localhost:\(local) → data/postgres-0:5432")
            let demoFile = home + "/.config/kube9/demo-forwards.json"
            try #require(await pollUntil(timeout: .seconds(10)) {
                (try? String(contentsOfFile: demoFile, encoding: .utf8))?.contains("\"name\" : \"postgres-0\"") == true
            }, "demo-forwards.json written")
            #expect(!FileManager.default.fileExists(atPath: home + "/.config/kube9/forwards.json"))
            try await screen.quit(confirm: true)
        }
    }
}

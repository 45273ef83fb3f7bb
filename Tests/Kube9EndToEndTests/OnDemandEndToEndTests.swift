import Foundation
import Kube9TestSupport
import Testing

/// Issue 13 in the UI, through the real binary in tmux: the dialog's on-demand box starts a forward whose port
/// answers with no kubectl running until the first request; `d` on its row makes it always on.
@Suite(.timeLimit(.minutes(3)))
struct OnDemandEndToEndTests {
    @Test func theDialogsOnDemandBoxStartsAForwardThatRunsKubectlOnlyWhenUsed() async throws {
        try await Kube9Screen.with(width: 110, height: 30) { screen in
            let tmux = screen.tmux
            let kubeconfig = screen.harness.kubeconfigPath
            try await screen.launch()
            try await screen.expandToPods()
            try await screen.openDialogOnRunningPod()
            try await tmux.waitFor("On demand   [ ] kubectl from first use until 10 min idle")
            try await tmux.sendKeys("d")
            try await tmux.waitFor("On demand   [x] kubectl from first use until 10 min idle")
            let local = try await screen.startForward()
            // The port answers (counted active) with no kubectl behind it yet.
            try await tmux.waitFor("on demand • idle")
            #expect(portForwardProcessIDs(kubeconfig: kubeconfig).isEmpty)
            try await tmux.sendKeys("g", "j")
            let row = try await tmux.waitForSelection(containing: "localhost:\(local)")
            #expect(row.contains("on demand • idle"))
            // The first request starts kubectl and is answered with the pod's bytes.
            let (status, body) = try await httpGet(port: local, timeout: .seconds(60))
            #expect(status == 200)
            #expect(body.contains(Kube9Screen.podBody))
            let active = try await tmux.waitForSelection(containing: "on demand • active", timeout: .seconds(30))
            #expect(active.contains("localhost:\(local)"))
            #expect(portForwardProcessIDs(kubeconfig: kubeconfig).count == 1)
            #expect(try await tmux.screen().contains("kube9: 1 forward active"))
            // d on the row: always on, kubectl keeps running.
            try await tmux.sendKeys("d")
            try await tmux.waitFor("Always on: kubectl runs until the forward stops")
            let eager = try await tmux.waitForSelection(containing: "localhost:\(local)")
            #expect(eager.contains("connected") && !eager.contains("on demand"))
            #expect(portForwardProcessIDs(kubeconfig: kubeconfig).count == 1)
            try await screen.quit(confirm: true)
            #expect(portForwardProcessIDs(kubeconfig: kubeconfig).isEmpty)
        }
    }

    /// Two marked ports of one pod start through one `kubectl port-forward` (the manager's startForwards), each
    /// answered. The pod's ports are free local ports, so the marks' local ports (the remote ones) are too.
    @Test func markedPortsOfOnePodShareOneKubectl() async throws {
        let ports = [freeTCPPort(), freeTCPPort()]
        let scenario = """
            { "contexts": [ { "name": "e2e", "namespace": "shop",
                "namespaces": [ { "name": "shop", "pods": [
                    { "name": "api-0", "phase": "Running", "labels": {"app": "api"},
                      "containers": [ { "name": "web", "ports": [
                        { "containerPort": \(ports[0]), "name": "one", "protocol": "TCP" },
                        { "containerPort": \(ports[1]), "name": "two", "protocol": "TCP" } ] } ] },
                    { "name": "queued-0", "phase": "Pending", "labels": {"app": "queued"},
                      "containers": [ { "name": "web", "ports": [ { "containerPort": 80, "protocol": "TCP" } ] } ] }
                ] } ] } ] }
            """
        try await Kube9Screen.with(width: 110, height: 30, scenarioJSON: scenario) { screen in
            let tmux = screen.tmux
            let kubeconfig = screen.harness.kubeconfigPath
            try await screen.launch()
            try await screen.expandToPods()
            try await screen.openDialogOnRunningPod()
            try await tmux.sendKeys("Space", "j", "Space")
            try await tmux.waitFor("[x] \(ports[0]) (one)  local \(ports[0])")
            try await tmux.waitFor("[x] \(ports[1]) (two)  local \(ports[1])")
            try await tmux.sendKeys("Enter")
            try await tmux.waitFor("Started 2 port forwards", timeout: .seconds(60))
            try await tmux.waitFor("kube9: 2 forwards active")
            #expect(portForwardProcessIDs(kubeconfig: kubeconfig).count == 1)
            for port in ports {
                let (status, body) = try await httpGet(port: port, timeout: .seconds(30))
                #expect(status == 200)
                #expect(body.contains("kube9-sim e2e/shop/api-0:\(port)"))
            }
            #expect(portForwardProcessIDs(kubeconfig: kubeconfig).count == 1)
            try await tmux.waitForSelection(containing: Kube9Screen.runningPod)
            try await screen.quit(confirm: true)
            #expect(portForwardProcessIDs(kubeconfig: kubeconfig).isEmpty)
        }
    }
}

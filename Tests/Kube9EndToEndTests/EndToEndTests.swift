import Foundation
import Kube9TestSupport
import Testing

/// The real kube9 binary in tmux, driving the real kubectl against kube9-sim.
@Suite(.timeLimit(.minutes(2)))
struct EndToEndTests {
    @Test func goldenPathForwardsFetchesStopsAndQuitsCleanly() async throws {
        try await Kube9Screen.with { screen in
            let tmux = screen.tmux
            try await screen.launch()
            try await screen.expandToPods()
            try await screen.openDialogOnRunningPod()
            let local = try await screen.startForward()

            let response = try await httpGet(port: local, timeout: .seconds(10))
            #expect(response.status == 200)
            #expect(response.body.trimmingCharacters(in: .whitespacesAndNewlines) == Kube9Screen.podBody)
            // Port Forwarding (the first row) opened by itself on the first forward: the forward is under it.
            try await tmux.sendKeys("g")
            try await tmux.waitForScreen("the forward row just under Port Forwarding", timeout: .seconds(10)) { screen in
                let lines = screen.split(separator: "\n").map(String.init)
                guard let category = lines.firstIndex(where: { $0.contains("Port Forwarding") }), category + 1 < lines.count
                else { return false }
                return Kube9Screen.showsForwardRow(lines[category + 1], local: local)
            }
            try await tmux.sendKeys("j")
            try await tmux.waitForSelection(containing: "localhost:\(local)")
            try await tmux.sendKeys("x")
            try await tmux.waitFor("Stop port forward localhost:\(local)")
            try await tmux.sendKeys("y")
            try await tmux.waitForAbsence(of: "kube9: 1 forward active")
            try #require(await pollUntil(timeout: .seconds(10)) { portIsFree(local) }, "the local port to close")

            try await screen.quit(confirm: false)
            try await tmux.sendText("clear; stty -a")
            let stty = try await tmux.waitFor("icanon")
            let words = Set(stty.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
            #expect(words.contains("icanon") && !words.contains("-icanon"), "\(stty)")
            #expect(words.contains("echo") && !words.contains("-echo"), "\(stty)")
            try #require(await pollUntil(timeout: .seconds(10)) {
                kubectlProcesses(mentioning: screen.harness.kubeconfigPath).isEmpty
            }, "no kubectl left")
        }
    }

    @Test func pendingPodShowsTheMessageAndNoDialog() async throws {
        try await Kube9Screen.with { screen in
            let tmux = screen.tmux
            try await screen.launch()
            try await screen.expandToPods()
            try await tmux.sendKeys("j", "j", "f")
            let shown = try await tmux.waitFor(
                "Cannot port forward: Pod '\(Kube9Screen.pendingPod)' is not in Running state (current: Pending)")
            #expect(!shown.contains("Port forward \(Kube9Screen.namespace)/"))
            #expect(!shown.contains("Remote port"))
            try await screen.quit(confirm: false)
        }
    }

    @Test func busyLocalPortOffersASuggestionThatWorks() async throws {
        let held = try HeldPort()
        defer { held.close() }
        try await Kube9Screen.with { screen in
            let tmux = screen.tmux
            try await screen.launch()
            try await screen.expandToPods()
            try await screen.openDialogOnRunningPod()
            try await screen.typeLocalPort(held.port)
            let prefix = "Port \(held.port) is already in use. Try "
            let shown = try await tmux.waitFor(prefix)
            let after = shown.components(separatedBy: prefix)[1]
            let suggestion = try #require(Int(after.prefix { $0.isNumber }), "no suggested port in:\n\(shown)")
            #expect(after.dropFirst(String(suggestion).count).hasPrefix("?"))
            #expect(suggestion != held.port)
            #expect(portIsFree(suggestion))

            try await tmux.sendKeys("Tab")
            try await tmux.waitFor("Port \(suggestion) is free")
            try await tmux.sendKeys("Enter")
            try await screen.waitUntilEstablished(local: suggestion)
            let response = try await httpGet(port: suggestion, timeout: .seconds(10))
            #expect(response.status == 200)
            #expect(response.body.trimmingCharacters(in: .whitespacesAndNewlines) == Kube9Screen.podBody)
            try await screen.quit(confirm: true)
        }
    }

    @Test func deletingThePodStopsTheForwardWithAMessage() async throws {
        try await Kube9Screen.with { screen in
            let tmux = screen.tmux
            try await screen.launch()
            try await screen.expandToPods()
            try await screen.openDialogOnRunningPod()
            let local = try await screen.startForward()
            let response = try await httpGet(port: local, timeout: .seconds(10))
            #expect(response.status == 200)

            let deletion = try await screen.harness.kubectl(
                ["delete", "pod", Kube9Screen.runningPod, "-n", Kube9Screen.namespace, "--context", Kube9Screen.context])
            #expect(deletion.status == 0, "\(deletion)")
            try await tmux.waitFor("Port forward stopped: Pod '\(Kube9Screen.runningPod)' was deleted")
            try await tmux.waitForAbsence(of: "kube9: 1 forward active")
            try await screen.quit(confirm: false)
        }
    }

    @Test func resizingRedrawsAndKeysStillWork() async throws {
        try await Kube9Screen.with { screen in
            let tmux = screen.tmux
            try await screen.launch()
            try await tmux.sendKeys("j", "l")
            try await tmux.waitFor(Kube9Screen.namespace)

            try await tmux.resize(width: 80, height: 24)
            try await tmux.waitForScreen("a redraw at 80x24", timeout: .seconds(10)) {
                $0.contains("kube9") && $0.contains("Port Forwarding") && $0.contains(Kube9Screen.namespace)
                    && $0.split(separator: "\n", omittingEmptySubsequences: false).allSatisfy { $0.count <= 80 }
            }
            try await tmux.resize(width: 40, height: 12)
            try await tmux.waitForScreen("a redraw at 40x12", timeout: .seconds(10)) {
                $0.contains("Port Forwarding") || $0.contains("Terminal too small")
            }
            try await tmux.resize(width: 120, height: 40)
            try await tmux.waitForScreen("a redraw at 120x40", timeout: .seconds(10)) {
                $0.contains("Port Forwarding") && $0.contains(Kube9Screen.namespace)
            }

            try await tmux.sendKeys("j", "l")
            try await tmux.waitFor(Kube9Screen.runningPod)
            try await screen.quit(confirm: false)
        }
    }
}

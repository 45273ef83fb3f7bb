import Foundation
import Kube9TestSupport
import Testing

/// Names at the Kubernetes maximum and unusual legal names render truncated without breaking the layout.
@Suite(.timeLimit(.minutes(2)))
struct BadInputEndToEndTests {
    /// 253 characters, the maximum for a pod name (a DNS subdomain).
    static let longPod = String(repeating: "abcdefghi.", count: 25) + "xyz"
    /// 63 characters, the maximum for a namespace (a DNS label).
    static let longNamespace = "n" + String(repeating: "a1-", count: 20) + "zz"
    static let oddPods = ["1234", "a.b-c.d", "0-0", "x"]

    static var scenario: String {
        let pods = ([longPod] + oddPods).map { #"{"name": "\#($0)", "containers": [{"name": "c", "ports": [{"containerPort": 80}]}]}"# }
        return #"""
            {"contexts": [{"name": "e2e", "namespace": "\#(longNamespace)", "namespaces": [
                {"name": "\#(longNamespace)", "pods": [\#(pods.joined(separator: ","))]},
                {"name": "9", "pods": []}, {"name": "a.b", "pods": []}]}]}
            """#
    }

    @Test(arguments: [80, 120])
    func longAndUnusualNamesAreTruncatedWithinTheWidth(width: Int) async throws {
        #expect(Self.longPod.count == 253)
        #expect(Self.longNamespace.count == 63)
        try await Kube9Screen.with(width: width, height: 30, scenarioJSON: Self.scenario) { screen in
            let tmux = screen.tmux
            try await screen.launch()
            try await tmux.sendKeys("j", "l")
            try await tmux.waitFor("a.b")
            try await tmux.sendKeys("G", "l")  // the long namespace sorts last
            let shown = try await tmux.waitForScreen("every pod row", timeout: .seconds(20)) { screen in
                Self.oddPods.allSatisfy { pod in screen.split(separator: "\n").contains { $0.contains(" \(pod)") } }
            }
            let lines = shown.split(separator: "\n", omittingEmptySubsequences: false)
            for line in lines { #expect(line.count <= width, "\(line.count) > \(width): \(line)") }
            #expect(!shown.contains(Self.longPod))
            #expect(shown.contains(String(Self.longPod.prefix(20))), "\(shown)")
            #expect(shown.contains("…") || shown.contains("..."), "no ellipsis:\n\(shown)")
            // The selection moves over the long row and the dialog opens on it with the name cut, not the layout.
            try await tmux.sendKeys("j", "f")
            let dialog = try await tmux.waitFor("Port forward ")
            for line in dialog.split(separator: "\n", omittingEmptySubsequences: false) {
                #expect(line.count <= width, "\(line.count) > \(width): \(line)")
            }
            try await tmux.sendKeys("Escape")
            try await tmux.waitForAbsence(of: "Port forward ")
            try await screen.quit(confirm: false)
        }
    }
}

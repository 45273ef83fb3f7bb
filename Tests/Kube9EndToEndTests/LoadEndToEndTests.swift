import Foundation
import Kube9TestSupport
import Testing

/// A context with 300 namespaces, one of them holding 5,000 pods: expanding, scrolling and filtering answer fast.
@Suite(.timeLimit(.minutes(3)))
struct LoadEndToEndTests {
    static var bigScenario: String {
        let pods = (0..<5000).map { #"{"name": "pod-\#(String(format: "%05d", $0))"}"# }.joined(separator: ",")
        var namespaces = [#"{"name": "aaa-big", "pods": [\#(pods)]}"#]
        namespaces += (0..<299).map { #"{"name": "ns-\#(String(format: "%03d", $0))"}"# }
        return #"{"contexts": [{"name": "e2e", "namespace": "aaa-big", "namespaces": [\#(namespaces.joined(separator: ","))]}]}"#
    }

    /// Milliseconds from the first key to a screen satisfying `matches`.
    static func milliseconds(
        _ tmux: TmuxSession, keys: [String], until what: String, timeout: Duration = .seconds(30),
        _ matches: @escaping @Sendable (String) -> Bool
    ) async throws -> Int {
        let started = ContinuousClock.now
        for key in keys { try await tmux.sendKeys(key) }
        try await tmux.waitForScreen(what, timeout: timeout, matches)
        let elapsed = ContinuousClock.now - started
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    @Test func threeHundredNamespacesAndFiveThousandPodsExpandScrollAndFilterQuickly() async throws {
        try await Kube9Screen.with(scenarioJSON: Self.bigScenario) { screen in
            let tmux = screen.tmux
            try await screen.launch()
            var figures: [String: Int] = [:]
            figures["expand 300 namespaces"] = try await Self.milliseconds(tmux, keys: ["j", "l"], until: "the namespaces") {
                $0.contains("aaa-big") && $0.contains("ns-000")
            }
            figures["expand 5000 pods"] = try await Self.milliseconds(tmux, keys: ["j", "l"], until: "the pods") {
                $0.contains("pod-00000") && $0.contains("pod-00010")
            }
            figures["End"] = try await Self.milliseconds(tmux, keys: ["End"], until: "the last namespace") {
                $0.contains("ns-298") && !$0.contains("pod-00000")
            }
            figures["Home"] = try await Self.milliseconds(tmux, keys: ["Home"], until: "the top") {
                $0.contains("Port Forwarding") && $0.contains("pod-00000")
            }
            figures["PgDn"] = try await Self.milliseconds(tmux, keys: ["NPage", "NPage"], until: "a page further") {
                !$0.contains("pod-00000") && $0.contains("pod-000")
            }
            let j = try await tmux.responseTime(to: "j")
            figures["j"] = Int(j.components.seconds * 1000 + j.components.attoseconds / 1_000_000_000_000_000)
            figures["filter pod-04321"] = try await Self.milliseconds(
                tmux, keys: ["/"] + "pod-04321".map(String.init) + ["Enter"], until: "the filtered pod"
            ) { $0.contains("pod-04321") && !$0.contains("pod-00000") }
            print("kube9 with 300 namespaces / 5000 pods (ms): \(figures.sorted { $0.key < $1.key })")
            // Generous bars for a busy 2-core machine; a frozen or quadratic UI misses them by far.
            #expect(figures["expand 5000 pods"]! < 10_000, "\(figures)")
            for key in ["End", "Home", "PgDn", "j", "filter pod-04321"] {
                #expect(figures[key]! < 1_500, "\(key): \(figures)")
            }
            try await tmux.sendKeys("Escape")
            try await screen.quit(confirm: false)
            #expect(kubectlProcesses(mentioning: screen.harness.kubeconfigPath).isEmpty)
        }
    }
}

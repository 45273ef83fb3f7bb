import Foundation
import KubeSim

/// forward_plugin and forward_plugin_runs: `kube9 forward --context C -n N pod/X L:R` next to raw `kubectl --context C
/// -n N port-forward pod/X L:R` on a context whose user authenticates through an exec credential plugin (it logs
/// each run with the process that ran it, and hands out the token), alternating which goes first, one untimed
/// warm-up round. Timed from the spawn to the line saying the forward listens. The plugin runs are logged from the
/// spawn until the process has exited, held ``hold`` after that line and then stopped with SIGINT, so the runs of
/// every kubectl the forward starts meanwhile count too (kube9's namespace watch lists and watches ~0.2 s after the
/// forward is ready). forward_plugin_runs is what the issue counts: plugin runs per kubectl call (kubectl runs the
/// plugin once per process and caches the credential inside it; gcloud's dispatcher execs kubectl in the same
/// process); the calls themselves are printed.
struct PluginForwardFigures {
    static let hold: Double = 2
    static let context = "bench-plugin"
    static let namespace = "fw"
    static let pod = "web-0"
    static let token = "bench-plugin-token"

    let kube9Binary: String

    func measure(samples: Int) async throws -> [Figure] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("kube9-bench-plugin-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory + "/home", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let runs = directory + "/plugin-runs"
        let plugin = directory + "/plugin"
        try """
            #!/bin/sh
            echo "$PPID" >> \(runs)
            printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"\(Self.token)"}}'
            """.write(toFile: plugin, atomically: true, encoding: .utf8)
        chmod(plugin, 0o755)
        let kubeconfig = directory + "/kubeconfig"
        let server = try await KubeSimServer.start(scenario: scenario(plugin: plugin), kubeconfigPath: kubeconfig)
        let environment = [
            "HOME": directory + "/home", "KUBECONFIG": kubeconfig, "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "XDG_STATE_HOME": directory + "/state",
            "XDG_CONFIG_HOME": directory + "/config", "XDG_RUNTIME_DIR": directory + "/run",
        ]
        try FileManager.default.createDirectory(atPath: directory + "/run", withIntermediateDirectories: true)
        let result = Result { () throws -> [Figure] in
            let kube9 = ForwardStart(
                argv: { port in
                    [kube9Binary, "forward", "--kubectl", BenchCluster.kubectl, "--context", Self.context, "-n", Self.namespace,
                     "pod/\(Self.pod)", "\(port):\(BenchCluster.webPort)"]
                },
                ready: { port in "Port forward established: localhost:\(port)" }, environment: environment, runs: runs)
            let raw = ForwardStart(
                argv: { port in
                    [BenchCluster.kubectl, "--context", Self.context, "-n", Self.namespace, "port-forward",
                     "pod/\(Self.pod)", "\(port):\(BenchCluster.webPort)"]
                },
                ready: { _ in "Forwarding from" }, environment: environment, runs: runs)
            var times: (kube9: [Double], raw: [Double]) = ([], [])
            var pluginRuns: (kube9: [Double], raw: [Double]) = ([], [])
            var calls: (kube9: [Int], raw: [Int]) = ([], [])
            for round in 0...samples {
                for side in round % 2 == 0 ? [true, false] : [false, true] {
                    let (seconds, log) = try (side ? kube9 : raw).run()
                    guard round > 0 else { continue }
                    if side {
                        times.kube9.append(seconds * 1000)
                        pluginRuns.kube9.append(log.runsPerCall)
                        calls.kube9.append(log.calls)
                    } else {
                        times.raw.append(seconds * 1000)
                        pluginRuns.raw.append(log.runsPerCall)
                        calls.raw.append(log.calls)
                    }
                }
            }
            print("\n  forward_plugin_runs: kubectl calls that ran the plugin per start (held \(Int(Self.hold)) s): kube9 "
                  + "\(calls.kube9.map(String.init).joined(separator: ",")), raw kubectl \(calls.raw.map(String.init).joined(separator: ","))")
            return [
                Figure(name: "forward_plugin", unit: "ms", kube9: times.kube9, reference: times.raw,
                       target: "ratio ≤ 1.05", isMet: { $0.ratio <= 1.05 }),
                Figure(name: "forward_plugin_runs", unit: "runs/call", kube9: pluginRuns.kube9, reference: pluginRuns.raw,
                       target: "ratio ≤ 1", isMet: { $0.ratio <= 1 }),
            ]
        }
        await server.shutdown()
        return try result.get()
    }

    private func scenario(plugin: String) throws -> Scenario {
        try Scenario.decode(json: #"""
            {"contexts":[{"name":"\#(Self.context)","namespace":"\#(Self.namespace)","auth":{"tokens":["\#(Self.token)"]},
              "user":{"exec":{"command":"\#(plugin)"}},
              "namespaces":[{"name":"\#(Self.namespace)","pods":[{"name":"\#(Self.pod)",
                "containers":[{"name":"nginx","ports":[{"containerPort":\#(BenchCluster.webPort),"name":"http"}]}]}]}]}]}
            """#)
    }
}

/// The credential plugin's runs a start caused: one line per run, the process (kubectl) that ran it.
private struct PluginRunLog {
    var runs: Int
    /// Distinct processes that ran the plugin.
    var calls: Int
    var runsPerCall: Double { calls == 0 ? 0 : Double(runs) / Double(calls) }
}

/// One way of starting a forward, timed to its ready line, with the credential plugin's runs it caused.
private struct ForwardStart {
    let argv: (Int) -> [String]
    let ready: (Int) -> String
    let environment: [String: String]
    let runs: String

    /// Seconds from the spawn to the ready line; the plugin runs from the spawn to the exit (held ``PluginForwardFigures/hold``).
    func run() throws -> (seconds: Double, plugin: PluginRunLog) {
        let port = FreePort.next()
        let before = pluginRuns().count
        let start = ContinuousClock.now
        let child = try ChildProcess(argv: argv(port), environment: environment)
        guard child.waitFor(ready(port), timeout: 30) else {
            child.stop()
            throw BenchError("\(argv(port).joined(separator: " ")) never said it listens: \(child.printed)")
        }
        let elapsed = seconds(since: start)
        Thread.sleep(forTimeInterval: PluginForwardFigures.hold)
        child.stop(signal: SIGINT)
        let mine = pluginRuns().dropFirst(before)
        return (elapsed, PluginRunLog(runs: mine.count, calls: Set(mine).count))
    }

    /// Every run logged so far: the parent process of each.
    private func pluginRuns() -> [Substring] {
        ((try? String(contentsOfFile: runs, encoding: .utf8)) ?? "").split(separator: "\n")
    }
}

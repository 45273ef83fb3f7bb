import Foundation

/// The whole `make bench` run: machine, sim, the figures, the table and the JSON.
enum BenchRun {
    static func main(arguments: [String]) async -> Int32 {
        func option(_ name: String) -> String? {
            arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
        }
        let benchBinary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let kube9Binary = option("--kube9") ?? (URL(fileURLWithPath: benchBinary).deletingLastPathComponent().path + "/kube9")
        let jsonPath = option("--json") ?? "bench-results.json"
        // `--only a,b`: just these figures (to measure some by hand).
        let only = option("--only").map { Set($0.split(separator: ",").map(String.init)) }
        let started = ContinuousClock.now

        let cluster: BenchCluster
        do {
            cluster = try await BenchCluster.start()
        } catch {
            print("kube9-bench: cannot start kube9-sim: \(error)")
            return 1
        }
        let machine = Machine.describe(cluster: cluster)
        print(machine)
        _ = try? ChildProcess.timedRun(cluster.kubectlArgv(["get", "pods", "-n", BenchCluster.forwardNamespace]), environment: cluster.environment)

        let failures = ReleaseSmoke(cluster: cluster, kube9Binary: kube9Binary).run()
        guard failures.isEmpty else {
            print("kube9-bench: \(kube9Binary) failed what the figures rely on:")
            for failure in failures { print("  \(failure)") }
            await cluster.shutdown()
            return 1
        }
        print("smoke: kube9 forward (two mappings of one pod) and kube9 up (two saved forwards) start and stop cleanly")

        let forwards = ForwardFigures(cluster: cluster)
        let processes = ProcessFigures(cluster: cluster, kube9Binary: kube9Binary, benchBinary: benchBinary)
        let useKube9Up = processes.kube9HasUp
        print(useKube9Up ? "holder: kube9 up (the kube9 binary)" : "holder: kube9-bench hold (stand-in: kube9 has no `up` yet)")

        var figures: [Figure] = []
        /// Figures measured together (`names`, in the order `body` returns them); `--only` any of the names.
        func measureTogether(_ names: [String], unit: String, _ body: () async throws -> [Figure]) async {
            if let only, only.isDisjoint(with: names) { return }
            let start = ContinuousClock.now
            print("measuring \(names.joined(separator: ", "))…", terminator: "")
            fflush(nil)
            do {
                figures += try await body()
                print(String(format: " %.1f s", seconds(since: start)))
            } catch {
                print(" failed: \(error)")
                figures += names.map { Figure(name: $0, unit: unit, kube9: [], reference: [], target: "-", isMet: { _ in false }) }
            }
        }
        func measure(_ name: String, unit: String, _ body: () async throws -> Figure) async {
            await measureTogether([name], unit: unit) { [try await body()] }
        }
        await measure("forward_ready", unit: "ms") { try await forwards.forwardReady(samples: 10) }
        await measure("first_byte", unit: "ms") { try await forwards.firstByte(samples: 30) }
        let onDemand = OnDemandFigures(cluster: cluster, forwards: forwards, processes: processes)
        await measure("first_use_on_demand", unit: "ms") { try await onDemand.firstUse(samples: 10) }
        await measure("list_pods_5000", unit: "ms") { try await TreeFigures.listPods(cluster: cluster, samples: 5) }
        await measure("first_frame", unit: "ms") { try processes.firstFrame(samples: 8) }
        await measure("key_to_frame", unit: "ms") { try TreeFigures.keyToFrame(keys: 2000) }
        await measure("stop_all_50", unit: "s") { try await forwards.stopAll(rounds: 3) }
        await measure("rss_50_forwards", unit: "MiB") { try processes.residentMemory(useKube9Up: useKube9Up, samples: 6) }
        if useKube9Up {
            await measure("rss_50_on_demand", unit: "MiB") { try onDemand.residentMemory(samples: 6) }
        }
        await measure("idle_cpu", unit: "s/30s") { try processes.idleCPU(useKube9Up: useKube9Up, windows: 2) }
        await measure("throughput", unit: "MiB/s") { try await forwards.throughput(rounds: 8, megabytes: 64) }
        await measureTogether(["forward_plugin", "forward_plugin_runs"], unit: "ms") {
            try await PluginForwardFigures(kube9Binary: kube9Binary).measure(samples: 10)
        }
        await measure("status_line", unit: "ms") { try StatusLineFigure(cluster: cluster, kube9Binary: kube9Binary).measure(samples: 15) }
        await measure("throughput_websocket", unit: "MiB/s") { try ProtocolFigures(cluster: cluster).throughputWebSocket(rounds: 8, megabytes: 64) }

        await forwards.manager.stopAllForwards()
        await cluster.shutdown()
        print("")
        print(Report.table(figures))
        print(String(format: "\ntotal %.0f s; %@", seconds(since: started), useKube9Up ? "rss/idle measured on `kube9 up`" : "rss/idle measured on the kube9-bench hold stand-in"))
        do {
            try Report.json(figures).write(to: URL(fileURLWithPath: jsonPath))
            print("wrote \(jsonPath)")
        } catch {
            print("kube9-bench: cannot write \(jsonPath): \(error)")
        }
        return 0
    }
}

/// The machine line of the report: cores, CPU model, kubectl version.
enum Machine {
    static func describe(cluster: BenchCluster) -> String {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown"
        var version = "unknown"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BenchCluster.kubectl)
        process.arguments = ["--kubeconfig", cluster.kubeconfig, "version"]
        process.environment = cluster.environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        if (try? process.run()) != nil {
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            version = text.split(separator: "\n").first.map(String.init) ?? "unknown"
        }
        // The dispatcher execs kubectl.1.<minor> for the minor the sim's /version reports (32 by default).
        let exact = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32"
        if FileManager.default.isExecutableFile(atPath: exact) {
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: exact)
            probe.arguments = ["version", "--client"]
            let pipe = Pipe()
            probe.standardOutput = pipe
            probe.standardError = FileHandle.nullDevice
            if (try? probe.run()) != nil {
                let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                probe.waitUntilExit()
                version += " → kubectl.1.32 " + (text.split(separator: "\n").first.map(String.init) ?? "")
            }
        }
        return "machine: nproc \(ProcessInfo.processInfo.activeProcessorCount), \(model), kubectl \(version)"
    }
}

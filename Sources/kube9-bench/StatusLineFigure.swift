import Foundation

/// status_line: `kube9 status` (what a tmux status line runs every few seconds) with two kube9 instances holding
/// ten forwards, vs `kubectl config current-context` (what context status-line plugins run today); alternating,
/// one untimed warm-up of each.
struct StatusLineFigure {
    let cluster: BenchCluster
    let kube9Binary: String

    func measure(samples: Int) throws -> Figure {
        var environment = cluster.environment
        environment["XDG_RUNTIME_DIR"] = cluster.directory + "/run"
        try FileManager.default.createDirectory(atPath: cluster.directory + "/run", withIntermediateDirectories: true)
        var holders: [ChildProcess] = []
        defer { for holder in holders { holder.stop(signal: SIGINT) } }
        for pod in BenchCluster.webPods.prefix(2) {
            let ports = (0..<5).map { _ in FreePort.next() }
            let holder = try ChildProcess(
                argv: [kube9Binary, "forward", "--kubectl", BenchCluster.kubectl, "-n", BenchCluster.forwardNamespace, "pod/\(pod)"]
                    + ports.map { "\($0):\(BenchCluster.webPort)" },
                environment: environment)
            holders.append(holder)
            guard holder.waitFor("Port forward established: localhost:\(ports[4])") else {
                throw BenchError("kube9 forward never established its five forwards: \(holder.printed)")
            }
        }
        let line = try output([kube9Binary, "status"], environment: environment)
        guard line == "⇄ 10\n" else { throw BenchError("kube9 status printed '\(line)', not ⇄ 10") }

        var kube9: [Double] = []
        var reference: [Double] = []
        let context = cluster.kubectlArgv(["config", "current-context"])
        for round in 0...samples {
            let status = try ChildProcess.timedRun([kube9Binary, "status"], environment: environment)
            let current = try ChildProcess.timedRun(context, environment: environment)
            if round > 0 {
                kube9.append(status * 1000)
                reference.append(current * 1000)
            }
        }
        return Figure(name: "status_line", unit: "ms", kube9: kube9, reference: reference,
                      target: "ratio ≤ 0.5", isMet: { $0.ratio <= 0.5 })
    }

    private func output(_ argv: [String], environment: [String: String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: argv[0])
        process.arguments = Array(argv.dropFirst())
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

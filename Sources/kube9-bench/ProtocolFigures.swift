import Foundation

/// throughput_websocket: raw `kubectl port-forward` through the sim over the WebSocket tunnel (KEP-4006, what
/// kubectl 1.31+ takes against a 1.30+ server) next to the same kubectl over SPDY/3.1
/// (`KUBECTL_PORT_FORWARD_WEBSOCKETS=false`), same pod, alternating. Both columns are kubectl; "kube9" is the
/// WebSocket path here.
struct ProtocolFigures {
    let cluster: BenchCluster

    func throughputWebSocket(rounds: Int, megabytes: Int) throws -> Figure {
        let pod = BenchCluster.webPods[3]
        let webSocket = try forward(pod: pod, environment: cluster.environment)
        defer { webSocket.child.stop() }
        let spdy = try forward(pod: pod, environment: cluster.environment.merging(["KUBECTL_PORT_FORWARD_WEBSOCKETS": "false"]) { $1 })
        defer { spdy.child.stop() }
        var overWebSocket: [Double] = []
        var overSPDY: [Double] = []
        // CPU seconds per protocol: the sim's (its event-loop threads in this process) and the kubectl's.
        var simCPU = (webSocket: 0.0, spdy: 0.0)
        var kubectlCPU = (webSocket: 0.0, spdy: 0.0)
        func transfer(overWebSocket isWebSocket: Bool) throws {
            let kubectl = isWebSocket ? webSocket.child.pid : spdy.child.pid
            let (sim0, kubectl0) = (Self.simCPUSeconds(), ProcStat.cpuSeconds(pid: kubectl) ?? 0)
            let rate = try EchoClient.throughput(port: isWebSocket ? webSocket.port : spdy.port, megabytes: megabytes)
            let (sim1, kubectl1) = (Self.simCPUSeconds(), ProcStat.cpuSeconds(pid: kubectl) ?? 0)
            if isWebSocket {
                overWebSocket.append(rate)
                simCPU.webSocket += sim1 - sim0
                kubectlCPU.webSocket += kubectl1 - kubectl0
            } else {
                overSPDY.append(rate)
                simCPU.spdy += sim1 - sim0
                kubectlCPU.spdy += kubectl1 - kubectl0
            }
        }
        _ = try EchoClient.throughput(port: webSocket.port, megabytes: 1)
        _ = try EchoClient.throughput(port: spdy.port, megabytes: 1)
        for round in 0..<rounds {
            for isWebSocket in round % 2 == 0 ? [true, false] : [false, true] { try transfer(overWebSocket: isWebSocket) }
        }
        let upgrades = cluster.server.portForwardUpgrades(context: BenchCluster.context)
        guard (upgrades[.websocket] ?? 0) >= 1, (upgrades[.spdy] ?? 0) >= 1 else {
            throw BenchError("expected one forward over each protocol, the sim saw \(upgrades)")
        }
        // Each MiB is carried twice (echoed), over `rounds` transfers of `megabytes`.
        let mebibytes = Double(rounds * megabytes)
        let perMiB = { (seconds: Double) in String(format: "%.2f", seconds * 1000 / mebibytes) }
        print("")
        print("  CPU ms per MiB echoed: WebSocket: sim \(perMiB(simCPU.webSocket)), kubectl \(perMiB(kubectlCPU.webSocket));"
              + " SPDY: sim \(perMiB(simCPU.spdy)), kubectl \(perMiB(kubectlCPU.spdy))", terminator: "")
        // What issue 14 asks: the sim's forward path is not what limits kubectl (it spends less CPU per byte).
        let simIsNotTheLimit = simCPU.webSocket < kubectlCPU.webSocket && simCPU.spdy < kubectlCPU.spdy
        return Figure(name: "throughput_websocket", unit: "MiB/s", kube9: overWebSocket, reference: overSPDY,
                      target: "sim CPU/MiB < kubectl's", isMet: { _ in simIsNotTheLimit })
    }

    /// utime + stime of this process's NIO event-loop threads (`NIO-ELT-…`): the sim's API server and pod servers.
    static func simCPUSeconds() -> Double {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.reduce(0) { total, task in
            guard let comm = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8), comm.hasPrefix("NIO-ELT"),
                let pid = Int32(task)
            else { return total }
            return total + (ProcStat.cpuSeconds(pid: pid, task: "/proc/self/task/\(task)") ?? 0)
        }
    }

    private func forward(pod: String, environment: [String: String]) throws -> (child: ChildProcess, port: Int) {
        let port = FreePort.next()
        let child = try ChildProcess(argv: cluster.portForwardArgv(pod: pod, localPort: port), environment: environment)
        guard child.waitFor("Forwarding from", timeout: 30) else {
            child.stop()
            throw BenchError("raw kubectl port-forward did not print Forwarding from")
        }
        return (child, port)
    }
}

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
        _ = try EchoClient.throughput(port: webSocket.port, megabytes: 1)
        _ = try EchoClient.throughput(port: spdy.port, megabytes: 1)
        for round in 0..<rounds {
            if round % 2 == 0 {
                overWebSocket.append(try EchoClient.throughput(port: webSocket.port, megabytes: megabytes))
                overSPDY.append(try EchoClient.throughput(port: spdy.port, megabytes: megabytes))
            } else {
                overSPDY.append(try EchoClient.throughput(port: spdy.port, megabytes: megabytes))
                overWebSocket.append(try EchoClient.throughput(port: webSocket.port, megabytes: megabytes))
            }
        }
        let upgrades = cluster.server.portForwardUpgrades(context: BenchCluster.context)
        guard (upgrades[.websocket] ?? 0) >= 1, (upgrades[.spdy] ?? 0) >= 1 else {
            throw BenchError("expected one forward over each protocol, the sim saw \(upgrades)")
        }
        return Figure(name: "throughput_websocket", unit: "MiB/s", kube9: overWebSocket, reference: overSPDY,
                      target: "WebSocket / SPDY ≥ 0.9", isMet: { $0.ratio >= 0.9 })
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

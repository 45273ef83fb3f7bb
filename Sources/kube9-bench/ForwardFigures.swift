import Foundation
import Kube9Kit

/// forward_ready, first_byte, stop_all_50 and throughput: kube9's manager next to raw `kubectl port-forward`.
struct ForwardFigures {
    let cluster: BenchCluster
    let manager: PortForwardManager

    init(cluster: BenchCluster) {
        self.cluster = cluster
        self.manager = PortForwardManager(configuration: cluster.configuration)
    }

    /// Spawns raw kubectl port-forward and waits for its `Forwarding from` line; returns the process and seconds.
    func rawForward(pod: String, localPort: Int) throws -> (ChildProcess, Double) {
        let start = ContinuousClock.now
        let child = try ChildProcess(argv: cluster.portForwardArgv(pod: pod, localPort: localPort), environment: cluster.environment)
        guard child.waitFor("Forwarding from", timeout: 30) else {
            child.stop()
            throw BenchError("raw kubectl port-forward did not print Forwarding from")
        }
        return (child, seconds(since: start))
    }

    func managerForward(pod: String, localPort: Int) async throws -> (ForwardRecord, Double) {
        let start = ContinuousClock.now
        let record = try await manager.startForward(cluster.request(pod: pod, localPort: localPort))
        return (record, seconds(since: start))
    }

    /// Same pod, alternating kube9 and raw kubectl, distinct local ports; one untimed warm-up of each.
    func forwardReady(samples: Int) async throws -> Figure {
        let pod = BenchCluster.webPods[0]
        var kube9: [Double] = []
        var reference: [Double] = []
        for round in 0...samples {
            let (record, managerSeconds) = try await managerForward(pod: pod, localPort: FreePort.next())
            try await manager.stopForward(id: record.id)
            let (child, rawSeconds) = try rawForward(pod: pod, localPort: FreePort.next())
            child.stop()
            if round > 0 {
                kube9.append(managerSeconds * 1000)
                reference.append(rawSeconds * 1000)
            }
        }
        return Figure(name: "forward_ready", unit: "ms", kube9: kube9, reference: reference,
                      target: "ratio ≤ 1.05", isMet: { $0.ratio <= 1.05 })
    }

    /// The first request through a forward just established (connect, GET, the whole response), kube9's (its
    /// listener and relay in front of kubectl) next to raw kubectl's, alternating which goes first; one warm-up.
    func firstByte(samples: Int) async throws -> Figure {
        let pod = BenchCluster.webPods[1]
        let (kube9, reference) = try await Self.alternating(samples: samples) {
            let (record, _) = try await managerForward(pod: pod, localPort: FreePort.next())
            let time = Result { try FirstRequest.time(port: record.localPort) }
            try await manager.stopForward(id: record.id)
            return try time.get()
        } raw: {
            let port = FreePort.next()
            let (child, _) = try rawForward(pod: pod, localPort: port)
            let time = Result { try FirstRequest.time(port: port) }
            child.stop()
            return try time.get()
        }
        return Figure(name: "first_byte", unit: "ms", kube9: kube9, reference: reference,
                      target: "ratio ≤ 1.10", isMet: { $0.ratio <= 1.10 })
    }

    /// `samples` rounds of one kube9 and one raw measurement (seconds), alternating which goes first, after one
    /// warm-up round; returned in milliseconds.
    static func alternating(
        samples: Int, kube9 measureKube9: () async throws -> Double, raw measureRaw: () throws -> Double
    ) async throws -> (kube9: [Double], raw: [Double]) {
        var kube9: [Double] = []
        var reference: [Double] = []
        for round in 0...samples {
            var sample: (kube9: Double, raw: Double) = (0, 0)
            for side in round % 2 == 0 ? [true, false] : [false, true] {
                if side { sample.kube9 = try await measureKube9() } else { sample.raw = try measureRaw() }
            }
            if round > 0 {
                kube9.append(sample.kube9 * 1000)
                reference.append(sample.raw * 1000)
            }
        }
        return (kube9, reference)
    }

    /// 50 forwards (10 per pod) started, then stopAllForwards timed; the reference is one forward stopped alone.
    func stopAll(rounds: Int, count: Int = 50) async throws -> Figure {
        var kube9: [Double] = []
        var reference: [Double] = []
        for _ in 0..<rounds {
            for _ in 0..<2 {
                let (record, _) = try await managerForward(pod: BenchCluster.webPods[1], localPort: FreePort.next())
                let start = ContinuousClock.now
                try await manager.stopForward(id: record.id)
                reference.append(seconds(since: start))
            }
            try await startMany(count)
            let start = ContinuousClock.now
            await manager.stopAllForwards()
            kube9.append(seconds(since: start))
        }
        return Figure(name: "stop_all_50", unit: "s", kube9: kube9, reference: reference,
                      target: "≤ 1.5 s total", isMet: { $0.kube9P95 <= 1.5 })
    }

    /// Starts `count` forwards spread over the web pods, 10 at a time.
    func startMany(_ count: Int) async throws {
        let requests = (0..<count).map { index in
            cluster.request(pod: BenchCluster.webPods[index % BenchCluster.webPods.count], localPort: FreePort.next())
        }
        var index = 0
        while index < requests.count {
            let batch = requests[index..<min(index + 10, requests.count)]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for request in batch {
                    group.addTask { _ = try await manager.startForward(request) }
                }
                try await group.waitForAll()
            }
            index += 10
        }
    }

    /// MiB/s echoed through a manager forward and through raw kubectl port-forward to the same pod, alternating.
    func throughput(rounds: Int, megabytes: Int) async throws -> Figure {
        let pod = BenchCluster.webPods[2]
        let (record, _) = try await managerForward(pod: pod, localPort: FreePort.next())
        let (child, _) = try rawForward(pod: pod, localPort: FreePort.next())
        let rawPort = Int(child.process.arguments?.first(where: { $0.contains(":\(BenchCluster.webPort)") })?
            .split(separator: ":").first ?? "") ?? 0
        var kube9: [Double] = []
        var reference: [Double] = []
        do {
            _ = try EchoClient.throughput(port: record.localPort, megabytes: 1)
            _ = try EchoClient.throughput(port: rawPort, megabytes: 1)
            for round in 0..<rounds {
                // ABBA order: neither side always goes first.
                if round % 2 == 0 {
                    kube9.append(try EchoClient.throughput(port: record.localPort, megabytes: megabytes))
                    reference.append(try EchoClient.throughput(port: rawPort, megabytes: megabytes))
                } else {
                    reference.append(try EchoClient.throughput(port: rawPort, megabytes: megabytes))
                    kube9.append(try EchoClient.throughput(port: record.localPort, megabytes: megabytes))
                }
            }
        } catch {
            child.stop()
            try? await manager.stopForward(id: record.id)
            throw error
        }
        child.stop()
        try await manager.stopForward(id: record.id)
        return Figure(name: "throughput", unit: "MiB/s", kube9: kube9, reference: reference,
                      target: "ratio ≥ 0.95 (1.0)", isMet: { $0.ratio >= 0.95 })
    }
}

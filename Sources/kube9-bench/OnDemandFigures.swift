import Foundation
import Kube9Kit

/// rss_50_on_demand and first_use_on_demand: what an on-demand forward costs while idle, and what its first
/// connection waits for (kubectl's start, bounded below by raw kubectl's own).
struct OnDemandFigures {
    let cluster: BenchCluster
    let forwards: ForwardFigures
    let processes: ProcessFigures

    /// `kube9 up` holding 50 on-demand saved forwards: kube9 and all its descendants together (there must be no
    /// kubectl among them), next to one idle raw `kubectl port-forward`, sampled together every 0.5 s.
    func residentMemory(samples: Int) throws -> Figure {
        let holder = try processes.startHolder(forwards: 50, useKube9Up: true, tag: "rss-on-demand", onDemand: true)
        defer { holder.stop() }
        let (kube9, reference) = try processes.residentNextToRawKubectl(samples: samples) {
            let tree = ProcessTree.withDescendants(of: holder.pid)
            if let kubectl = tree.first(where: { ProcessTree.program($0).contains("kubectl") }) {
                throw BenchError("an idle on-demand holder runs kubectl: \(ProcessTree.commandLine(kubectl))")
            }
            return tree.compactMap { ProcStat.residentMiB(pid: $0) }.reduce(0, +)
        }
        return Figure(name: "rss_50_on_demand", unit: "MiB", kube9: kube9, reference: reference,
                      target: "kube9 + descendants ≤ 100 MiB", isMet: { $0.kube9Median <= 100 })
    }

    /// The first request through an idle on-demand forward (connect, kubectl's start, GET, the whole response),
    /// next to raw kubectl started and then asked (its forward_ready plus the same request); alternating which
    /// goes first; one warm-up.
    func firstUse(samples: Int) async throws -> Figure {
        let pod = BenchCluster.webPods[2]
        let (kube9, reference) = try await ForwardFigures.alternating(samples: samples) {
            var request = cluster.request(pod: pod, localPort: FreePort.next())
            request.onDemand = true
            let record = try await forwards.manager.startForward(request)
            let time = Result { try FirstRequest.time(port: record.localPort) }
            try await forwards.manager.stopForward(id: record.id)
            return try time.get()
        } raw: {
            let port = FreePort.next()
            let (child, ready) = try forwards.rawForward(pod: pod, localPort: port)
            let time = Result { try FirstRequest.time(port: port) }
            child.stop()
            return ready + (try time.get())
        }
        return Figure(name: "first_use_on_demand", unit: "ms", kube9: kube9, reference: reference,
                      target: "ratio ≤ 1.10", isMet: { $0.ratio <= 1.10 })
    }
}

/// A process and its descendants, read from /proc (`/proc/PID/task/*/children`).
enum ProcessTree {
    static func withDescendants(of root: Int32) -> [Int32] {
        var found: [Int32] = []
        var queue = [root]
        while let pid = queue.popLast() {
            found.append(pid)
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            for task in tasks {
                let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
                queue += text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            }
        }
        return found
    }

    static func commandLine(_ pid: Int32) -> String {
        let data = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
    }

    /// The program a process runs (its argv[0]).
    static func program(_ pid: Int32) -> String {
        let data = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        return String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
    }
}

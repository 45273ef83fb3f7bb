import Foundation
import Kube9Kit
import Kube9TUI

/// list_pods_5000 and key_to_frame: the TUI's own state, views and ncurses backend.
enum TreeFigures {
    /// An AppState whose context and `namespace` are loaded and expanded, waiting for the namespace's pods.
    static func stateAwaitingPods(namespace: String, size: TerminalSize) -> AppState {
        var state = AppState(size: size, now: Date(), kubeconfigLabel: "bench")
        let context = BenchCluster.context
        state.updateTree { tree in
            tree.contexts = .loaded([KubeContext(name: context, cluster: context, user: "u", namespace: namespace, isCurrent: true)])
            tree.namespaces[context] = .loaded([KubeNamespace(name: namespace)])
            tree.expanded = [.context(context), .namespace(context: context, name: namespace)]
        }
        return state
    }

    /// KubectlClient.pods for the 5,000-pod namespace plus the update that turns them into tree rows, vs
    /// `kubectl get pods -o json` into /dev/null; alternating, one untimed warm-up of each.
    static func listPods(cluster: BenchCluster, samples: Int) async throws -> Figure {
        let client = KubectlClient(configuration: cluster.configuration)
        let namespace = BenchCluster.bigNamespace
        let reference = cluster.kubectlArgv(["get", "pods", "-o", "json", "-n", namespace, "--context", BenchCluster.context])
        var kube9: [Double] = []
        var raw: [Double] = []
        for round in 0...samples {
            let base = stateAwaitingPods(namespace: namespace, size: TerminalSize(width: 120, height: 40))
            let start = ContinuousClock.now
            let pods = try await client.pods(context: BenchCluster.context, namespace: namespace)
            let (state, _) = AppUpdate.update(base, .podsLoaded(context: BenchCluster.context, namespace: namespace, .success(pods)))
            let elapsed = seconds(since: start)
            guard state.rows.count >= BenchCluster.bigPodCount else { throw BenchError("only \(state.rows.count) rows") }
            let rawSeconds = try ChildProcess.timedRun(reference, environment: cluster.environment)
            if round > 0 {
                kube9.append(elapsed * 1000)
                raw.append(rawSeconds * 1000)
            }
        }
        print("")
        print(try breakdown(cluster: cluster, arguments: Array(reference.dropFirst())), terminator: "")
        return Figure(name: "list_pods_5000", unit: "ms", kube9: kube9, reference: raw,
                      target: "ratio ≤ 1.10", isMet: { $0.ratio <= 1.10 })
    }

    /// Where kube9's time goes beyond kubectl's: the JSON read into memory once, then decoding it and building
    /// the rows timed alone (medians of 5).
    static func breakdown(cluster: BenchCluster, arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BenchCluster.kubectl)
        process.arguments = arguments
        process.environment = cluster.environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var decode: [Double] = []
        var rows: [Double] = []
        for _ in 0..<5 {
            let start = ContinuousClock.now
            let pods = try KubeJSONDecoding.pods(from: data)
            decode.append(seconds(since: start) * 1000)
            let base = stateAwaitingPods(namespace: BenchCluster.bigNamespace, size: TerminalSize(width: 120, height: 40))
            let rowStart = ContinuousClock.now
            _ = AppUpdate.update(base, .podsLoaded(context: BenchCluster.context, namespace: BenchCluster.bigNamespace, .success(pods)))
            rows.append(seconds(since: rowStart) * 1000)
        }
        return String(format: "  list_pods_5000 breakdown: %.1f MB of JSON; decode %.0f ms, tree rows %.0f ms (medians)\n",
                      Double(data.count) / 1e6, Statistics.median(decode), Statistics.median(rows))
    }

    /// Scrolls a 10,000-pod tree in a 120×40 pty: per key, update + render + ncurses flush (the finished frame,
    /// written into the pty) vs the render of the same state into the cell grid alone.
    static func keyToFrame(keys: Int) throws -> Figure {
        let size = TerminalSize(width: 120, height: 40)
        let namespace = "scroll"
        let pods = (0..<10_000).map { index in
            Pod(name: String(format: "pod-%05d", index), namespace: namespace, phase: .running,
                containers: [Container(name: "c", image: "img", ports: [ContainerPort(containerPort: 80, name: "http")], ready: true)])
        }
        var state = stateAwaitingPods(namespace: namespace, size: size)
        state = AppUpdate.update(state, .podsLoaded(context: BenchCluster.context, namespace: namespace, .success(pods))).0
        guard state.rows.count >= 10_000 else { throw BenchError("only \(state.rows.count) rows") }

        let terminal = try PseudoTerminal(width: size.width, height: size.height)
        let stop = StopFlag()
        let drainer = Thread { terminal.drain(until: { stop.isSet }) }
        drainer.start()
        fflush(nil)
        let savedIn = dup(0)
        let savedOut = dup(1)
        dup2(terminal.slave, 0)
        dup2(terminal.slave, 1)
        setenv("TERM", "xterm-256color", 1)
        var kube9: [Double] = []
        var reference: [Double] = []
        do {
            let screen = try NcursesScreen.open(noColor: false)
            state.setSize(screen.size)
            screen.flush(ScreenView.render(state))
            for index in 0..<keys {
                let key: Key = index % 25 == 24 ? .pageDown : .down
                let start = ContinuousClock.now
                state = AppUpdate.update(state, .key(key)).0
                let grid = ScreenView.render(state)
                screen.flush(grid)
                kube9.append(seconds(since: start) * 1000)
                let gridStart = ContinuousClock.now
                let again = ScreenView.render(state)
                reference.append(seconds(since: gridStart) * 1000)
                precondition(again.width == grid.width)
            }
            screen.close()
        } catch {
            restore(savedIn: savedIn, savedOut: savedOut)
            stop.set()
            throw BenchError("cannot open ncurses on the pty: \(error)")
        }
        restore(savedIn: savedIn, savedOut: savedOut)
        stop.set()
        while !drainer.isFinished { usleep(1000) }
        terminal.closeBoth()
        return Figure(name: "key_to_frame", unit: "ms", kube9: kube9, reference: reference,
                      target: "p99 < 16.7 ms", isMet: { $0.kube9P99 < 16.7 })
    }

    private static func restore(savedIn: Int32, savedOut: Int32) {
        fflush(nil)
        dup2(savedIn, 0)
        dup2(savedOut, 1)
        close(savedIn)
        close(savedOut)
    }
}

/// A flag one thread sets and another polls.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

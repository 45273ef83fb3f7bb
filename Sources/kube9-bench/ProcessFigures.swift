import Foundation
import Kube9Kit

/// first_frame, rss_50_forwards and idle_cpu: whole processes (the real kube9 binary, a `kube9 up` holder).
struct ProcessFigures {
    let cluster: BenchCluster
    let kube9Binary: String
    let benchBinary: String

    // MARK: first_frame

    /// The kube9 binary on a 120×40 pty until the context name has been written to it, vs
    /// `kubectl config get-contexts`; alternating, one untimed warm-up of each. The pty is read with poll(2):
    /// what the bench adds is a read per write of kube9, well under a millisecond.
    func firstFrame(samples: Int) throws -> Figure {
        var kube9: [Double] = []
        var reference: [Double] = []
        let contexts = cluster.kubectlArgv(["config", "get-contexts"])
        for round in 0...samples {
            let elapsed = try launchUntilContexts()
            let rawSeconds = try ChildProcess.timedRun(contexts, environment: cluster.environment)
            if round > 0 {
                kube9.append(elapsed * 1000)
                reference.append(rawSeconds * 1000)
            }
        }
        print("")
        print(try firstFrameBreakdown(), terminator: "")
        return Figure(name: "first_frame", unit: "ms", kube9: kube9, reference: reference,
                      target: "ratio ≤ 1.5", isMet: { $0.ratio <= 1.5 })
    }

    /// What kube9's first frame is made of: the binary starting and exiting (`kube9 --help`) and the one
    /// kubectl call it waits for (`kubectl config view -o json`), medians of 5.
    private func firstFrameBreakdown() throws -> String {
        var launch: [Double] = []
        var view: [Double] = []
        for _ in 0..<5 {
            launch.append(try ChildProcess.timedRun([kube9Binary, "--help"], environment: cluster.environment) * 1000)
            view.append(try ChildProcess.timedRun(cluster.kubectlArgv(["config", "view", "-o", "json"]), environment: cluster.environment) * 1000)
        }
        return String(format: "  first_frame breakdown: kube9 --help %.0f ms, kubectl config view -o json %.0f ms (medians)\n",
                      Statistics.median(launch), Statistics.median(view))
    }

    /// The kube9 UI idle on a pty (contexts shown, no forward): the zero-forward reference of idle_cpu, since
    /// `kube9 up` refuses to run without saved forwards. Returns the process and a function that ends it.
    func startIdleUI() throws -> (ChildProcess, () -> Void) {
        let terminal = try PseudoTerminal(width: 120, height: 40)
        let handle = FileHandle(fileDescriptor: terminal.slave, closeOnDealloc: false)
        let child = try ChildProcess(
            argv: [kube9Binary, "--kubeconfig", cluster.kubeconfig, "--kubectl", BenchCluster.kubectl],
            environment: cluster.environment, stdin: handle, stdout: handle)
        guard terminal.waitFor(BenchCluster.context, timeout: 30) else {
            child.stop()
            terminal.closeBoth()
            throw BenchError("the kube9 UI never showed its contexts")
        }
        let stopFlag = StopFlag()
        let drainer = Thread { terminal.drain(until: { stopFlag.isSet }) }
        drainer.start()
        return (child, {
            child.stop()
            stopFlag.set()
            while !drainer.isFinished { usleep(1000) }
            terminal.closeBoth()
        })
    }

    private func launchUntilContexts() throws -> Double {
        let terminal = try PseudoTerminal(width: 120, height: 40)
        defer { terminal.closeBoth() }
        let handle = FileHandle(fileDescriptor: terminal.slave, closeOnDealloc: false)
        let start = ContinuousClock.now
        let child = try ChildProcess(
            argv: [kube9Binary, "--kubeconfig", cluster.kubeconfig, "--kubectl", BenchCluster.kubectl],
            environment: cluster.environment, stdin: handle, stdout: handle)
        let shown = terminal.waitFor(BenchCluster.context, timeout: 30)
        let elapsed = seconds(since: start)
        let stopFlag = StopFlag()
        let drainer = Thread { terminal.drain(until: { stopFlag.isSet }) }
        drainer.start()
        child.stop()
        stopFlag.set()
        while !drainer.isFinished { usleep(1000) }
        guard shown else { throw BenchError("kube9 never showed the context \(BenchCluster.context)") }
        return elapsed
    }

    // MARK: holders (`kube9 up`, or the bench's stand-in)

    /// True when the kube9 binary has the `up` subcommand.
    var kube9HasUp: Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: kube9Binary)
        process.arguments = ["up", "--help"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        guard (try? process.run()) != nil else { return false }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        return process.terminationStatus == 0 && text.contains("kube9 up")
    }

    /// Writes `count` saved forwards (spread over the web pods, free local ports) into a fresh XDG_CONFIG_HOME
    /// and starts the holder on it; returns once it printed `kube9 up: N forward(s) active`.
    func startHolder(forwards count: Int, useKube9Up: Bool, tag: String, onDemand: Bool = false) throws -> ChildProcess {
        var environment = cluster.environment
        environment["XDG_CONFIG_HOME"] = cluster.directory + "/config-\(tag)"
        environment["XDG_STATE_HOME"] = cluster.directory + "/state-\(tag)"
        let saved = (0..<count).map { index in
            var request = cluster.request(pod: BenchCluster.webPods[index % BenchCluster.webPods.count], localPort: FreePort.next())
            request.onDemand = onDemand
            return SavedForward(request)
        }
        try SavedForwardStore(environment: environment).save(saved)
        let argv = useKube9Up
            ? [kube9Binary, "up", "--kubeconfig", cluster.kubeconfig, "--kubectl", BenchCluster.kubectl]
            : [benchBinary, "hold", "--kubeconfig", cluster.kubeconfig]
        let child = try ChildProcess(argv: argv, environment: environment)
        guard child.waitFor("forward(s) active", timeout: 60) else {
            child.stop()
            throw BenchError("\(argv.joined(separator: " ")) did not report its forwards active")
        }
        return child
    }

    // MARK: rss_50_forwards

    /// VmRSS of the holder with 50 forwards vs one idle `kubectl port-forward`, sampled together every 0.5 s.
    func residentMemory(useKube9Up: Bool, samples: Int) throws -> Figure {
        let holder = try startHolder(forwards: 50, useKube9Up: useKube9Up, tag: "rss")
        defer { holder.stop() }
        let (kube9, reference) = try residentNextToRawKubectl(samples: samples) { ProcStat.residentMiB(pid: holder.pid) }
        return Figure(name: "rss_50_forwards", unit: "MiB", kube9: kube9, reference: reference,
                      target: "kube9 < one kubectl", isMet: { $0.kube9P95 < $0.referenceMedian })
    }

    /// `kube9()` (MiB) sampled together with the VmRSS of one idle raw `kubectl port-forward`, every 0.5 s.
    func residentNextToRawKubectl(samples: Int, kube9 measure: () throws -> Double?) throws -> (kube9: [Double], raw: [Double]) {
        let raw = try ChildProcess(argv: cluster.portForwardArgv(pod: BenchCluster.webPods[3], localPort: FreePort.next()),
                                   environment: cluster.environment)
        defer { raw.stop() }
        guard raw.waitFor("Forwarding from", timeout: 30) else { throw BenchError("kubectl port-forward did not start") }
        Thread.sleep(forTimeInterval: 2)
        var kube9: [Double] = []
        var reference: [Double] = []
        for _ in 0..<samples {
            if let value = try measure() { kube9.append(value) }
            if let value = ProcStat.residentMiB(pid: raw.pid) { reference.append(value) }
            Thread.sleep(forTimeInterval: 0.5)
        }
        return (kube9, reference)
    }

    // MARK: idle_cpu

    /// CPU seconds (utime+stime from /proc) of a holder with 10 forwards and of kube9 with none (`kube9 up`
    /// refuses zero forwards, so then the UI idle on a pty; the stand-in holder with 0 otherwise), over the same
    /// 30 s windows (both idle, measured concurrently so that both see the same machine).
    func idleCPU(useKube9Up: Bool, windows: Int, windowSeconds: Double = 30) throws -> Figure {
        let busy = try startHolder(forwards: 10, useKube9Up: useKube9Up, tag: "idle10")
        defer { busy.stop() }
        let quiet: ChildProcess
        let endQuiet: () -> Void
        if useKube9Up {
            (quiet, endQuiet) = try startIdleUI()
        } else {
            quiet = try startHolder(forwards: 0, useKube9Up: false, tag: "idle0")
            endQuiet = { quiet.stop() }
        }
        defer { endQuiet() }
        Thread.sleep(forTimeInterval: 1)
        var kube9: [Double] = []
        var reference: [Double] = []
        for _ in 0..<windows {
            guard let busyStart = ProcStat.cpuSeconds(pid: busy.pid), let quietStart = ProcStat.cpuSeconds(pid: quiet.pid) else {
                throw BenchError("cannot read /proc stat of the holders")
            }
            Thread.sleep(forTimeInterval: windowSeconds)
            guard let busyEnd = ProcStat.cpuSeconds(pid: busy.pid), let quietEnd = ProcStat.cpuSeconds(pid: quiet.pid) else {
                throw BenchError("a holder ended during the idle window")
            }
            kube9.append(busyEnd - busyStart)
            reference.append(quietEnd - quietStart)
        }
        return Figure(name: "idle_cpu", unit: "s/30s", kube9: kube9, reference: reference,
                      target: "≤ 0.01 s", isMet: { $0.kube9Median <= 0.01 })
    }
}

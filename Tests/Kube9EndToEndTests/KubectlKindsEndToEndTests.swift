import Foundation
import Glibc
import Kube9Kit
import Kube9TestSupport
import Testing

/// No kubectl outlives kube9, whatever `kubectl` is: the dispatcher on contexts reporting Kubernetes 1.28, 1.31
/// and 1.33, a shell shim that runs kubectl as its child, a shim that execs kubectl from a non-main thread (both
/// lose the parent-death signal). The real binary (the UI in tmux, `kube9 forward`, `kube9 up`) is SIGKILLed
/// with two forwards running; within 1 s nothing whose command line names the test's kubeconfig is left, nor
/// kube9's guardian. Stopping normally through the forking shim leaves nothing either.
@Suite(.timeLimit(.minutes(5)))
struct KubectlKindsEndToEndTests {
    /// Three contexts, each asking the dispatcher for another kubectl, each with `api-0` Running on port 80.
    static let scenarioJSON: String = {
        let contexts = [28, 31, 33].map { minor in
            """
            { "name": "m\(minor)", "namespace": "shop", "kubectlMinor": \(minor),
              "namespaces": [ { "name": "shop", "pods": [ { "name": "api-0", "phase": "Running",
                "containers": [ { "name": "web", "ports": [ { "containerPort": 80, "name": "http", "protocol": "TCP" } ] } ] } ] } ] }
            """
        }
        return "{ \"contexts\": [ \(contexts.joined(separator: ",\n")) ] }"
    }()

    enum Mode: String, CaseIterable, Sendable, CustomStringConvertible {
        /// The UI in tmux, starting saved forwards in contexts m28 and m31 with `S`.
        case ui
        /// `kube9 forward --context m33 pod/api-0 L1:80 L2:80`.
        case forward
        /// `kube9 up` with saved forwards in contexts m31 and m33.
        case up

        var description: String { rawValue }
    }

    // One test per mode, its three kinds one after the other: three kube9s at a time, not nine, on a shared
    // 2-core machine (nine at once pushed kubectl's first answer past kube9's 10 s deadline).
    @Test(.serialized, arguments: KubectlKind.allCases)
    func sigkillOfTheUILeavesNoProcessWithinOneSecond(kind: KubectlKind) async throws {
        try await sigkillLeavesNoProcessWithinOneSecond(kind: kind, mode: .ui)
    }

    @Test(.serialized, arguments: KubectlKind.allCases)
    func sigkillOfKube9ForwardLeavesNoProcessWithinOneSecond(kind: KubectlKind) async throws {
        try await sigkillLeavesNoProcessWithinOneSecond(kind: kind, mode: .forward)
    }

    @Test(.serialized, arguments: KubectlKind.allCases)
    func sigkillOfKube9UpLeavesNoProcessWithinOneSecond(kind: KubectlKind) async throws {
        try await sigkillLeavesNoProcessWithinOneSecond(kind: kind, mode: .up)
    }

    func sigkillLeavesNoProcessWithinOneSecond(kind: KubectlKind, mode: Mode) async throws {
        try await SimHarness.with(scenarioJSON: Self.scenarioJSON) { harness in
            let kubectl = try await kind.install(in: harness.directory)
            let kube9 = try BuiltExecutables.path(of: "kube9")
            let ports = [freeTCPPort(), freeTCPPort()]
            switch mode {
            case .ui:
                try Self.save(["m28", "m31"], ports: ports, home: harness.home)
                try await TmuxSession.with(width: 120, height: 40) { tmux in
                    try await tmux.sendText(
                        "HOME=\(harness.home) \(kube9) --kubeconfig \(harness.kubeconfigPath) --kubectl \(kubectl); echo EXIT=$?")
                    try await tmux.waitFor("Port Forwarding")
                    try await tmux.waitFor("m28")
                    try await tmux.sendKeys("S")
                    try await tmux.waitFor("kube9: 2 forwards active", timeout: .seconds(60))
                    let pid = try #require(Self.kube9ProcessID(harness), "no kube9 process")
                    try await Self.killAndExpectNothingLeft(pid: pid, harness: harness, ports: ports, label: "\(kind) \(mode)")
                    try await tmux.waitFor("EXIT=137")
                }
            case .forward, .up:
                var arguments = [kube9]
                if mode == .forward {
                    arguments += ["forward", "--kubeconfig", harness.kubeconfigPath, "--kubectl", kubectl, "--context", "m33"]
                    arguments += ["pod/api-0", "\(ports[0]):80", "\(ports[1]):80"]
                } else {
                    try Self.save(["m31", "m33"], ports: ports, home: harness.home)
                    arguments += ["up", "--kubeconfig", harness.kubeconfigPath, "--kubectl", kubectl]
                }
                let process = try SpawnedProcess.start(argv: arguments, env: ["HOME": harness.home, "PATH": "/usr/bin:/bin"])
                do {
                    for port in ports {
                        _ = try await process.waitForLine(containing: "localhost:\(port) → shop/api-0:80", in: .stdout, timeout: .seconds(60))
                    }
                    try #require(await pollUntil(timeout: .seconds(30)) {
                        var answered = 0
                        for port in ports where (try? await httpGet(port: port, timeout: .seconds(5)))?.status == 200 { answered += 1 }
                        return answered == ports.count
                    }, "both forwards to carry traffic")
                } catch {
                    // Not left running if the forwards never came up.
                    process.kill()
                    _ = try? await process.waitForExit(timeout: .seconds(10))
                    throw TestSupportError("\(error)\nstdout: \(process.stdout)\nstderr: \(process.stderr)")
                }
                try await Self.killAndExpectNothingLeft(pid: process.pid, harness: harness, ports: ports, label: "\(kind) \(mode)")
                _ = try await process.waitForExit(timeout: .seconds(10))
            }
        }
    }

    /// `x` on one forward, `X` (stop all), `q` and SIGTERM, through the shim that runs kubectl as its child: each
    /// stop leaves no process of the stopped forwards, within the stop sequence (SIGTERM, SIGKILL 1 s later).
    @Test func stoppingNormallyThroughAForkingShimLeavesNothing() async throws {
        try await SimHarness.with(scenarioJSON: Self.scenarioJSON) { harness in
            let kubectl = try await KubectlKind.forkingShim.install(in: harness.directory)
            let kube9 = try BuiltExecutables.path(of: "kube9")
            let ports = [freeTCPPort(), freeTCPPort()]
            try Self.save(["m28", "m31"], ports: ports, home: harness.home)
            try await TmuxSession.with(width: 120, height: 40) { tmux in
                let command =
                    "HOME=\(harness.home) \(kube9) --kubeconfig \(harness.kubeconfigPath) --kubectl \(kubectl); echo EXIT=$?"
                try await tmux.sendText(command)
                try await tmux.waitFor("m28")
                try await tmux.sendKeys("S")
                try await tmux.waitFor("kube9: 2 forwards active", timeout: .seconds(60))
                // kubectl port-forwards to an ephemeral port behind kube9's listener: its forward is told by context.
                let contextOf = Dictionary(uniqueKeysWithValues: zip(ports, ["m28", "m31"]))
                #expect(Self.forwardProcesses(harness, context: "m28").count >= 2, "the shim and its kubectl")

                // x on the first forward row under Port Forwarding.
                try await tmux.sendKeys("g", "l", "j", "x")
                let confirm = try await tmux.waitFor("Stop port forward localhost:")
                let stopped = try #require(ports.first { confirm.contains("Stop port forward localhost:\($0) ") })
                let other = ports.first { $0 != stopped }!
                try await Self.expectGone(after: "y", tmux: tmux, harness: harness, contexts: [contextOf[stopped]!], label: "x")
                #expect(!Self.forwardProcesses(harness, context: contextOf[other]!).isEmpty, "the other forward still runs")

                try await tmux.sendKeys("X")
                try await tmux.waitFor("Stop 1 active port forward?")
                try await Self.expectGone(after: "y", tmux: tmux, harness: harness, contexts: ["m28", "m31"], label: "X")

                try await tmux.sendKeys("S")
                try await tmux.waitFor("kube9: 2 forwards active", timeout: .seconds(60))
                let quitting = try #require(Self.kube9ProcessID(harness), "no kube9 process")
                try await tmux.sendKeys("q")
                try await tmux.waitFor("Quit kube9 and stop 2 active port forwards?")
                try await Self.expectGone(after: "y", tmux: tmux, harness: harness, contexts: ["m28", "m31"], label: "q")
                try await tmux.waitFor("EXIT=0")
                try #require(await pollUntil(timeout: .seconds(1)) {
                    ProcessTable.processes(containing: "kube9-guardian \(quitting)").isEmpty
                }, "kube9's guardian to exit with it")

                try await tmux.sendText("clear; " + command)
                try await tmux.waitFor("m28")
                try await tmux.sendKeys("S")
                try await tmux.waitFor("kube9: 2 forwards active", timeout: .seconds(60))
                let pid = try #require(Self.kube9ProcessID(harness), "no kube9 process")
                let signalled = ContinuousClock.now
                kill(pid, SIGTERM)
                try await tmux.waitFor("EXIT=143")
                try #require(await pollUntil(timeout: .seconds(2)) { Self.leftovers(harness).isEmpty }, "no process left after SIGTERM")
                print("forking shim, SIGTERM: nothing left after \(ContinuousClock.now - signalled)")
            }
        }
    }

    // MARK: - Steps

    static func save(_ contexts: [String], ports: [Int], home: String) throws {
        let forwards = zip(contexts, ports).map { context, port in
            SavedForward(context: context, namespace: "shop", name: "api-0", localPort: port, remotePort: 80)
        }
        try SavedForwardStore(environment: ["HOME": home]).save(forwards)
    }

    /// SIGKILL to kube9, then polls (deadline 1 s from the kill) until no process names the kubeconfig and
    /// kube9's guardian is gone; afterwards the ports close.
    static func killAndExpectNothingLeft(pid: Int32, harness: SimHarness, ports: [Int], label: String) async throws {
        // The namespace watch lists, then watches (two kubectl one after the other): wait until one of them runs
        // (the processes seen then, since the list may end before the watch starts).
        var before: [(pid: Int32, commandLine: String)] = []
        _ = await pollUntil(timeout: .seconds(30)) {
            before = leftovers(harness).filter { $0.pid != pid }
            return before.count >= 2
        }
        #expect(before.count >= 2, "\(label): kubectl processes before the kill: \(ProcessTable.describe(before))")
        let guardian = ProcessTable.processes(containing: "kube9-guardian \(pid)")
        #expect(guardian.count == 1, "\(label): \(ProcessTable.describe(guardian))")
        let killed = ContinuousClock.now
        #expect(kill(pid, SIGKILL) == 0)
        let processesGone = await poll(until: killed + .seconds(1)) { leftovers(harness).isEmpty }
        let processesTook = ContinuousClock.now - killed
        let guardianGone = await poll(until: killed + .seconds(1)) { ProcessTable.processes(containing: "kube9-guardian \(pid)").isEmpty }
        let guardianTook = ContinuousClock.now - killed
        #expect(processesGone, "\(label): left 1 s after SIGKILL: \(ProcessTable.describe(leftovers(harness)))")
        #expect(guardianGone, "\(label): the guardian is left 1 s after SIGKILL")
        print("SIGKILL of kube9 (\(label)): \(before.count) processes gone after \(processesTook), the guardian after \(guardianTook)")
        try #require(await pollUntil(timeout: .seconds(5)) { ports.allSatisfy(portIsFree) }, "the ports to close")
    }

    /// Sends `key` (the confirmation) and expects the processes of the forwards of `contexts` to be gone within
    /// the stop sequence (1 s, plus scheduling slack on a loaded machine).
    static func expectGone(after key: String, tmux: TmuxSession, harness: SimHarness, contexts: [String], label: String) async throws {
        let pressed = ContinuousClock.now
        try await tmux.sendKeys(key)
        let gone = await poll(until: pressed + .seconds(2)) { contexts.allSatisfy { forwardProcesses(harness, context: $0).isEmpty } }
        #expect(gone, "\(label): left: \(ProcessTable.describe(contexts.flatMap { forwardProcesses(harness, context: $0) }))")
        print("forking shim, \(label): the forwards' processes gone after \(ContinuousClock.now - pressed)")
    }

    /// Live processes naming the harness's kubeconfig, kube9 itself left out.
    static func leftovers(_ harness: SimHarness) -> [(pid: Int32, commandLine: String)] {
        ProcessTable.processes(containing: harness.kubeconfigPath).filter { !isKube9($0.commandLine) }
    }

    /// The port-forward of local `port` (the shim and the kubectl it runs).
    static func forwardProcesses(_ harness: SimHarness, context: String) -> [(pid: Int32, commandLine: String)] {
        leftovers(harness).filter { $0.commandLine.contains(" port-forward ") && $0.commandLine.contains(" --context \(context) ") }
    }

    static func kube9ProcessID(_ harness: SimHarness) -> Int32? {
        Kube9EndToEndTests.kube9ProcessID(kubeconfig: harness.kubeconfigPath)
    }

    static func isKube9(_ commandLine: String) -> Bool {
        commandLine.split(separator: " ").first?.hasSuffix("/kube9") == true
    }

    /// Checks every 10 ms (finer than `pollUntil`: the figure printed is the time to the first clean check).
    static func poll(until deadline: ContinuousClock.Instant, _ condition: () -> Bool) async -> Bool {
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }
}

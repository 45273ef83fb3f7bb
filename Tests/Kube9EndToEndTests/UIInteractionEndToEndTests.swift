import Foundation
import Kube9TestSupport
import Testing

/// What issue 16 adds, through the real binary in tmux: mouse clicks (on the tree and on confirmation boxes),
/// Ctrl-Z and `fg`, the jump-to-pod finder on a 5,000-pod namespace. Each asserts the selected row.
@Suite(.timeLimit(.minutes(3)))
struct UIInteractionEndToEndTests {
    @Test func aClickOnTheExpanderOpensAndAClickOnARowSelectsIt() async throws {
        try await Kube9Screen.with(width: 80, height: 24) { screen in
            let tmux = screen.tmux
            try await screen.launch()
            try await tmux.waitForSelection(containing: "Port Forwarding")
            // Row 2 is `▸ e2e (current)`: its ▸ (column 0) opens it and selects it.
            try await tmux.click(x: 0, y: 2)
            try await tmux.waitFor("▾ e2e (current)")
            try await tmux.waitFor(Kube9Screen.namespace)
            try await tmux.waitForSelection(containing: "e2e (current)")
            // A click on the namespace's name selects it without opening it.
            try await tmux.click(x: 6, y: 3)
            try await tmux.waitForSelection(containing: Kube9Screen.namespace)
            #expect(!(try await tmux.screen()).contains(Kube9Screen.runningPod))
            // The wheel moves the selection.
            try await tmux.wheel(down: false, x: 6, y: 3)
            try await tmux.waitForSelection(containing: "Port Forwarding")
            try await screen.quit(confirm: false)
        }
    }

    @Test func withNoMouseAClickDoesNothing() async throws {
        try await Kube9Screen.with(width: 80, height: 24) { screen in
            let tmux = screen.tmux
            try await screen.launch(arguments: "--no-mouse")
            try await tmux.click(x: 0, y: 2)
            // A key after the click is answered, and the click did not open the context.
            try await tmux.sendKeys("j")
            try await tmux.waitForSelection(containing: "e2e (current)")
            #expect((try await tmux.screen()).contains("▸ e2e (current)"))
            try await screen.quit(confirm: false)
        }
    }

    /// The state letter of `/proc/PID/stat` (`S` sleeping, `R` running, `T` stopped), nil when gone.
    static func processState(_ pid: Int32) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")")
        else { return nil }
        return stat[stat.index(close, offsetBy: 2)]
    }

    /// No forward: Ctrl-Z gives the shell its prompt back (kube9 stopped as a job, its guardian running on), `fg`
    /// brings back the same screen with the same row selected, and the keys work again.
    @Test func controlZSuspendsAndFgBringsTheSameScreenBack() async throws {
        try await Kube9Screen.with(width: 100, height: 30) { screen in
            let tmux = screen.tmux
            try await screen.launch()
            try await screen.expandToPods()
            try await tmux.sendKeys("j")
            try await tmux.waitForSelection(containing: Kube9Screen.runningPod)
            let before = try await tmux.screen()
            let pid = try #require(kube9ProcessID(kubeconfig: screen.harness.kubeconfigPath))
            let guardians = ProcessTable.processes(containing: "kube9-guardian \(pid)")
            #expect(guardians.count == 1)
            // The shell reports the job stopped and gives its prompt back.
            let (shell, took) = try await Self.pressControlZ(tmux, pid: pid)
            print("Ctrl-Z with no forward: the shell's prompt after \(took)")
            #expect(!shell.contains("Port Forwarding"))
            #expect(Self.processState(pid) == "T")
            for guardian in guardians { #expect(Self.processState(guardian.pid).map { $0 != "T" } == true) }
            try await tmux.sendText("fg; echo EXIT=$?")
            try await tmux.waitForScreen("the same screen as before Ctrl-Z", timeout: .seconds(20)) { $0 == before }
            try await tmux.waitForSelection(containing: Kube9Screen.runningPod)
            #expect(Self.processState(pid) != "T")
            // Keys reach kube9 again (the terminal is back in raw mode: no Enter needed).
            try await tmux.sendKeys("k")
            try await tmux.waitForSelection(containing: Kube9Screen.namespace)
            try await screen.quit(confirm: false)
        }
    }

    /// With a forward running, Ctrl-Z stops kube9 like any job and the forward keeps answering: a holder
    /// (`kube9 hold`, in a process group of its own) took its listening socket; `fg` brings the same screen back
    /// with the forward's row, kube9 answers the port itself again, and the holder exits once the connection it
    /// still serves closes. A second Ctrl-Z and `fg`, then quitting while that holder serves a connection, leaves
    /// no kubectl, holder or kube9.
    @Test func controlZWithAForwardRunningSuspendsAndTheForwardKeepsAnswering() async throws {
        try await Kube9Screen.with(width: 100, height: 30) { screen in
            let tmux = screen.tmux
            let local = try await Self.launchWithAForward(screen)
            try await tmux.waitForAbsence(of: "Port forward established")
            let before = try await tmux.screen()
            #expect(Kube9Screen.showsForwardRow(before, local: local))
            let pid = try #require(kube9ProcessID(kubeconfig: screen.harness.kubeconfigPath))
            let (shell, took) = try await Self.pressControlZ(tmux, pid: pid)
            print("Ctrl-Z with a forward: the shell's prompt after \(took)")
            #expect(!shell.contains("Port Forwarding"))
            #expect(Self.processState(pid) == "T")
            let holders = Self.holders(of: pid)
            #expect(holders.count == 1, "\(ProcessTable.describe(holders))")
            for holder in holders { #expect(Self.processState(holder.pid).map { $0 != "T" } == true) }
            // Answered while kube9 is stopped: the sim's pod's own bytes, twice (two connections), and on a
            // keep-alive connection that stays open across `fg`.
            for _ in 0..<2 {
                let (status, body) = try await httpGet(port: local, timeout: .seconds(20))
                #expect(status == 200)
                #expect(body.contains(Kube9Screen.podBody))
            }
            let kept = try KeepAliveClient(port: local)
            defer { kept.close() }
            #expect(try kept.get().contains(Kube9Screen.podBody))
            #expect(Self.processState(pid) == "T")

            try await tmux.sendText("fg; echo EXIT=$?")
            try await tmux.waitForScreen("the same screen as before Ctrl-Z (the uptime aside)", timeout: .seconds(30)) {
                Self.withoutUptimes($0) == Self.withoutUptimes(before)
            }
            #expect(Self.processState(pid) != "T")
            // kube9 answers new connections itself; the holder still serves the one it accepted, and exits once
            // that one closes.
            let (status, body) = try await httpGet(port: local, timeout: .seconds(20))
            #expect(status == 200)
            #expect(body.contains(Kube9Screen.podBody))
            #expect(Self.holders(of: pid).count == 1)
            #expect(try kept.get().contains(Kube9Screen.podBody))
            kept.close()
            try #require(await pollUntil(timeout: .seconds(20)) { Self.holders(of: pid).isEmpty }, "the holder to exit after fg")
            try await tmux.waitForSelection(containing: Kube9Screen.runningPod)

            // Again, and quit while the new holder still serves a connection: quitting ends it.
            _ = try await Self.pressControlZ(tmux, pid: pid)
            let open = try KeepAliveClient(port: local)
            defer { open.close() }
            #expect(try open.get().contains(Kube9Screen.podBody))
            try await tmux.sendText("fg; echo EXIT=$?")
            try await tmux.waitForSelection(containing: Kube9Screen.runningPod)
            #expect(Self.holders(of: pid).count == 1)
            try await screen.quit(confirm: true)
            let left = ProcessTable.processes(containing: screen.harness.kubeconfigPath) + Self.holders(of: pid)
            #expect(left.isEmpty, "\(ProcessTable.describe(left))")
            #expect(!ProcessTable.isAlive(pid))
        }
    }

    /// SIGKILL of kube9 while it is stopped with a forward held: its holder (and the kubectl) go with it, as
    /// every child does, and the port closes.
    @Test func sigkillOfAStoppedUIEndsItsHolderAndItsKubectl() async throws {
        try await Kube9Screen.with(width: 100, height: 30) { screen in
            let tmux = screen.tmux
            let local = try await Self.launchWithAForward(screen)
            let pid = try #require(kube9ProcessID(kubeconfig: screen.harness.kubeconfigPath))
            _ = try await Self.pressControlZ(tmux, pid: pid)
            #expect(Self.holders(of: pid).count == 1)
            #expect(try await httpGet(port: local, timeout: .seconds(20)).status == 200)
            #expect(kill(pid, SIGKILL) == 0)
            try #require(await pollUntil(timeout: .seconds(2)) {
                Self.holders(of: pid).isEmpty && kubectlProcesses(mentioning: screen.harness.kubeconfigPath).isEmpty
            }, "no holder or kubectl left: \(ProcessTable.describe(Self.holders(of: pid)))")
            try #require(await pollUntil(timeout: .seconds(5)) { portIsFree(local) }, "the port to close")
        }
    }

    /// kube9 launched with one forward started from the Running pod's dialog; its local port.
    static func launchWithAForward(_ screen: Kube9Screen) async throws -> Int {
        try await screen.launch()
        try await screen.expandToPods()
        try await screen.openDialogOnRunningPod()
        return try await screen.startForward()
    }

    /// Ctrl-Z, then the shell's report of the stopped job and its prompt, with kube9 (`pid`) stopped; the screen
    /// then, and how long it took.
    static func pressControlZ(_ tmux: TmuxSession, pid: Int32) async throws -> (screen: String, took: Duration) {
        let pressed = ContinuousClock.now
        try await tmux.sendKeys("C-z")
        let screen = try await tmux.waitForScreen("the shell's prompt after Ctrl-Z", timeout: .seconds(30)) { text in
            let last = text.split(separator: "\n").last.map(String.init) ?? ""
            return text.contains("Stopped") && last.hasPrefix("$") && processState(pid) == "T"
        }
        return (screen, ContinuousClock.now - pressed)
    }

    /// `screen` with every uptime (`12s`, `1m 5s`) as `N`.
    static func withoutUptimes(_ screen: String) -> String {
        screen.replacing(/\d+[dhms]\b/, with: "N")
    }

    /// The forward holders of the kube9 `pid` (`kube9 hold PID`).
    static func holders(of pid: Int32) -> [(pid: Int32, commandLine: String)] {
        ProcessTable.processes(containing: " hold \(pid)").filter { $0.commandLine.contains("kube9") }
    }

    /// Clicks (SGR mouse reports, as xterm sends them) on the confirmation boxes: outside a box is Esc, `No`
    /// keeps the forward, `Yes` stops it.
    @Test func clicksOnAConfirmationsButtonsAndOutsideIt() async throws {
        try await Kube9Screen.with(width: 100, height: 30) { screen in
            let tmux = screen.tmux
            try await screen.launch(environment: "TERM=xterm-256color")
            try await screen.expandToPods()
            try await screen.openDialogOnRunningPod()
            let local = try await screen.startForward()
            // Outside the box: the question closes, kube9 runs on.
            try await tmux.sendKeys("q")
            try await tmux.waitFor("Quit kube9 and stop 1 active port forward?")
            try await tmux.sgrClick(x: 0, y: 26)
            try await tmux.waitForAbsence(of: "Quit kube9 and stop")
            try await tmux.waitFor("Port Forwarding")
            // No: nothing stopped.
            try await tmux.sendKeys("X")
            try await tmux.waitFor("Stop 1 active port forward?")
            let no = try #require(try await tmux.position(of: "[ n/Esc: no ]"))
            try await tmux.sgrClick(x: no.x + 2, y: no.y)
            try await tmux.waitForAbsence(of: "Stop 1 active port forward?")
            #expect((try await tmux.screen()).contains("kube9: 1 forward active"))
            let (status, _) = try await httpGet(port: local, timeout: .seconds(10))
            #expect(status == 200)
            // Yes: the forward stops; quitting no longer asks.
            try await tmux.sendKeys("X")
            try await tmux.waitFor("Stop 1 active port forward?")
            let yes = try #require(try await tmux.position(of: "[ y: yes ]"))
            try await tmux.sgrClick(x: yes.x + 4, y: yes.y)
            try await tmux.waitFor("Stopped 1 port forward")
            try await tmux.waitForAbsence(of: "forward active")
            try await screen.quit(confirm: false)
        }
    }

    /// The 5,000-pod scenario with services in a namespace never opened: the finder finds one through the services
    /// list and Enter opens its namespace and selects it.
    @Test func theFinderSelectsAServiceOfANamespaceNeverOpened() async throws {
        let services = #""services": [{"name": "metrics-api", "selector": {"app": "metrics"}, "ports": [{"name": "http", "port": 8080}]}]"#
        let scenario = LoadEndToEndTests.bigScenario.replacingOccurrences(
            of: #"{"name": "ns-150"}"#, with: #"{"name": "ns-150", \#(services)}"#)
        #expect(scenario.contains("metrics-api"))
        try await Kube9Screen.with(scenarioJSON: scenario) { screen in
            let tmux = screen.tmux
            try await screen.launch()
            try await tmux.sendKeys("C-p")
            try await tmux.waitFor("of 5001", timeout: .seconds(30))
            let elapsed = try await tmux.timeUntil(
                keys: "metricsapi".map(String.init), shows: ["ns-150/svc/metrics-api", "1 of 5001"])
            #expect(elapsed < .seconds(1), "\(elapsed)")
            print("finder on 5,000 pods + a service: 10 keys to the ranked answer in \(elapsed)")
            try await tmux.sendKeys("Enter")
            try await tmux.waitForSelection(containing: "metrics-api")
            let shown = try await tmux.screen()
            #expect(shown.contains("▾ ns-150"))
            #expect(shown.contains("▾ Services"))
            try await screen.quit(confirm: false)
        }
    }

    @Test func theFinderAnswersWithinASecondOfTheListOnFiveThousandPods() async throws {
        try await Kube9Screen.with(scenarioJSON: LoadEndToEndTests.bigScenario) { screen in
            let tmux = screen.tmux
            try await screen.launch()
            try await tmux.sendText(":", enter: false)
            try await tmux.waitFor("of 5000", timeout: .seconds(30))
            let elapsed = try await tmux.timeUntil(
                keys: "pod-04321".map(String.init), shows: ["aaa-big/pod-04321", "1 of 5000"])
            #expect(elapsed < .seconds(1), "\(elapsed)")
            try await tmux.sendKeys("Enter")
            try await tmux.waitForSelection(containing: "pod-04321")
            try await screen.quit(confirm: false)
        }
    }
}

/// One HTTP/1.1 connection to 127.0.0.1 kept open between requests.
private final class KeepAliveClient: Sendable {
    private let socket: LoopbackSocket

    init(port: Int) throws {
        socket = try LoopbackSocket(port: port, timeout: .seconds(90))
    }

    /// `GET /` on this connection; the response's body (read up to its Content-Length).
    func get() throws -> String {
        try socket.send(Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
        let response = String(decoding: try socket.receiveAll { Self.body(String(decoding: $0, as: UTF8.self)) != nil }, as: UTF8.self)
        return Self.body(response) ?? ""
    }

    /// The body of a whole response, nil until all of it (its Content-Length) is there.
    private static func body(_ response: String) -> String? {
        guard let end = response.range(of: "\r\n\r\n"),
            let line = response[..<end.lowerBound].split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-length:") }),
            let length = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)),
            response[end.upperBound...].utf8.count >= length
        else { return nil }
        return String(response[end.upperBound...])
    }

    /// Ends the connection (the descriptor is closed with this object).
    func close() { socket.shutdownBoth() }

    deinit { socket.close() }
}

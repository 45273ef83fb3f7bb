import Foundation
import Kube9Kit
import Kube9TestSupport
import Testing

/// `kube9 status`, `ls`, `stop` and `forward --attach` from outside the kube9 pane, through the control sockets
/// (each test has its own XDG_RUNTIME_DIR).
@Suite(.timeLimit(.minutes(3)))
struct ControlEndToEndTests {
    @Test func theUIIsCountedListedStoppedAndTakesAnAttachedForward() async throws {
        try await Kube9Screen.with { screen in
            let tmux = screen.tmux
            let cli = try ControlCLI(harness: screen.harness)
            try await screen.launch(environment: "XDG_RUNTIME_DIR=\(cli.runtime)")
            try await screen.expandToPods()
            try await screen.openDialogOnRunningPod()
            let first = try await screen.startForward()
            let second = try await screen.startAnotherForwardOnTheSelectedPod(active: 2)

            let status = try await cli.run(["status"])
            #expect(status.status == 0 && status.stdout == "⇄ 2\n", "\(status)")
            let formatted = try await cli.run(["status", "--format", "{connected}/{total} in {instances}"])
            #expect(formatted.stdout == "2/2 in 1\n", "\(formatted)")

            let listing = try await cli.run(["ls", "--json"])
            #expect(listing.status == 0, "\(listing)")
            let forwards = try ControlCLI.forwards(listing.stdout)
            #expect(Set(forwards.compactMap { $0["localPort"] as? Int }) == [first, second], "\(listing.stdout)")
            #expect(forwards.allSatisfy { ($0["instance"] as? [String: Any])?["kind"] as? String == "ui" }, "\(listing.stdout)")
            #expect(forwards.allSatisfy { $0["target"] as? String == "pod/\(Kube9Screen.runningPod)" && $0["state"] as? String == "connected" })
            #expect(forwards.allSatisfy { $0["backendRunning"] as? Bool == true && $0["onDemand"] as? Bool == false }, "\(listing.stdout)")
            let table = try await cli.run(["ls"])
            #expect(table.stdout.contains("localhost:\(first)") && table.stdout.contains("localhost:\(second)"), "\(table)")

            // Stopped from outside: the UI shows it as if stopped there, and the port is free.
            let stop = try await cli.run(["stop", String(first)])
            #expect(stop.status == 0, "\(stop)")
            #expect(stop.stdout.contains("Port forward stopped: localhost:\(first) → \(Kube9Screen.namespace)/\(Kube9Screen.runningPod):80"), "\(stop)")
            try await tmux.waitFor("kube9: 1 forward active")
            try await tmux.waitFor("Port forward stopped: localhost:\(first)")
            try #require(await pollUntil(timeout: .seconds(10)) { portIsFree(first) }, "the stopped local port to close")
            #expect(try await cli.run(["status"]).stdout == "⇄ 1\n")
            let missing = try await cli.run(["stop", String(first)])
            #expect(missing.status == 1 && missing.stderr.contains("no forward on local port \(first)"), "\(missing)")

            // Handed over by `kube9 forward --attach`: the UI holds it, shows it, and can stop it.
            let third = freeTCPPort()
            let attach = try await cli.run([
                "forward", "--attach", "--kubeconfig", screen.harness.kubeconfigPath, "pod/\(Kube9Screen.runningPod)", "\(third):80",
            ])
            #expect(attach.status == 0, "\(attach)")
            #expect(attach.stdout.contains("Attaching to kube9 ui, pid"), "\(attach)")
            #expect(attach.stdout.contains("Port forward established: localhost:\(third)"), "\(attach)")
            try await tmux.waitFor("kube9: 2 forwards active")
            let response = try await httpGet(port: third, timeout: .seconds(10))
            #expect(response.body.trimmingCharacters(in: .whitespacesAndNewlines) == Kube9Screen.podBody)
            try await tmux.waitForScreen("the attached forward's row", timeout: .seconds(10)) { Kube9Screen.showsForwardRow($0, local: third) }
            // Selected by the filter (its first match), and the selection checked before x.
            try await tmux.sendKeys("/")
            try await tmux.sendText("\(third)")
            try await tmux.waitForSelection(containing: "localhost:\(third) ")
            try await tmux.sendKeys("x")
            try await tmux.waitFor("Stop port forward localhost:\(third)")
            try await tmux.sendKeys("y")
            try await tmux.waitFor("kube9: 1 forward active")
            try #require(await pollUntil(timeout: .seconds(10)) { portIsFree(third) }, "the attached local port to close")
            #expect(try await cli.run(["status"]).stdout == "⇄ 1\n")

            try await screen.quit(confirm: true)
            #expect(try await cli.run(["status"]).stdout == "")
            #expect(cli.sockets().isEmpty)
        }
    }

    /// A UI stopped with Ctrl-Z cannot answer until `fg`: `status`, `ls` and `stop` do not wait for it (they
    /// waited the whole timeout and `ls` failed). The status line leaves it out; `ls` and `stop` name it.
    @Test func aSuspendedUIIsNamedAtOnce() async throws {
        try await Kube9Screen.with(width: 100, height: 30) { screen in
            let tmux = screen.tmux
            let cli = try ControlCLI(harness: screen.harness)
            try await screen.launch(environment: "XDG_RUNTIME_DIR=\(cli.runtime)")
            try await screen.expandToPods()
            let socket = try #require(cli.sockets().first)
            let pid = try #require(Int32(URL(fileURLWithPath: socket).deletingPathExtension().lastPathComponent))
            try await tmux.sendKeys("C-z")
            try await tmux.waitForScreen("the shell's prompt after Ctrl-Z", timeout: .seconds(20)) { $0.contains("Stopped") }
            var results: [[String]: ProcessResult] = [:]
            for arguments in [["status"], ["ls", "--json"], ["ls"], ["stop", "--all"], ["stop", "9"]] {
                let started = ContinuousClock.now
                results[arguments] = try await cli.run(arguments)
                let took = ContinuousClock.now - started
                #expect(took < ControlClient.defaultTimeout, "kube9 \(arguments.joined(separator: " ")) took \(took)")
            }
            #expect(results[["status"]]?.stdout == "" && results[["status"]]?.stderr == "" && results[["status"]]?.status == 0)
            let json = try #require(results[["ls", "--json"]])
            #expect(json.status == 0 && json.stderr == "", "\(json)")
            let listing = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(listing?["suspended"] as? [Int] == [Int(pid)], "\(json)")
            #expect(results[["ls"]]?.status == 0)
            #expect(results[["ls"]]?.stderr == "kube9 ls: \(Messages.suspendedNotListed(pid: pid))\n")
            #expect(results[["stop", "--all"]]?.status == 1)
            #expect(results[["stop", "--all"]]?.stderr == "kube9 stop: \(Messages.suspendedNotStopped(pid: pid))\n")
            #expect(results[["stop", "9"]]?.status == 1)
            #expect(
                results[["stop", "9"]]?.stderr
                    == "kube9 stop: no forward on local port 9\nkube9 stop: \(Messages.suspendedNotStopped(pid: pid))\n")
            try await tmux.sendText("fg; echo EXIT=$?")
            try await tmux.waitFor("Port Forwarding")
            try await screen.quit(confirm: false)
        }
    }

    @Test func attachWithoutARunningUIIsAClearError() async throws {
        try await SimHarness.with(scenarioJSON: Kube9Screen.scenarioJSON) { harness in
            let cli = try ControlCLI(harness: harness)
            let local = freeTCPPort()
            let attach = try await cli.run(["forward", "--attach", "--kubeconfig", harness.kubeconfigPath, "pod/\(Kube9Screen.runningPod)", "\(local):80"])
            #expect(attach.status == 1, "\(attach)")
            #expect(attach.stderr.contains("no running kube9 UI or kube9 up to attach to"), "\(attach)")
            let status = try await cli.run(["status"])
            #expect(status.status == 0 && status.stdout.isEmpty, "\(status)")
        }
    }

    @Test func attachGoesToKubeUpWhenNoUIRunsAndUpHoldsIt() async throws {
        try await SimHarness.with(scenarioJSON: Kube9Screen.scenarioJSON) { harness in
            var cli = try ControlCLI(harness: harness)
            let saved = freeTCPPort()
            let config = harness.directory + "/config"
            try SavedForwardStore(environment: ["XDG_CONFIG_HOME": config]).save([
                SavedForward(context: Kube9Screen.context, namespace: Kube9Screen.namespace, name: Kube9Screen.runningPod, localPort: saved, remotePort: 80)
            ])
            cli.environment["XDG_CONFIG_HOME"] = config
            let up = try SpawnedProcess.start(
                argv: [try BuiltExecutables.path(of: "kube9"), "up", "--kubeconfig", harness.kubeconfigPath], env: cli.environment)
            defer { up.kill() }
            _ = try await up.waitForLine(containing: "kube9 up: 1 forward(s) active", timeout: .seconds(30))

            let attached = freeTCPPort()
            let attach = try await cli.run(["forward", "--attach", "--kubeconfig", harness.kubeconfigPath, "pod/\(Kube9Screen.runningPod)", "\(attached):80"])
            #expect(attach.status == 0 && attach.stdout.contains("Attaching to kube9 up, pid \(up.pid)"), "\(attach)")
            #expect(try await cli.run(["status"]).stdout == "⇄ 2\n")
            let response = try await httpGet(port: attached, timeout: .seconds(10))
            #expect(response.body.trimmingCharacters(in: .whitespacesAndNewlines) == Kube9Screen.podBody)

            // The saved one stopped, `kube9 up` holds the attached one; stopping that too ends it, after answering.
            #expect(try await cli.run(["stop", String(saved)]).status == 0)
            #expect(try await cli.run(["status"]).stdout == "⇄ 1\n")
            let last = try await cli.run(["stop", String(attached)])
            #expect(last.status == 0 && last.stdout.contains("localhost:\(attached)"), "\(last)")
            let ended = try await up.waitForExit(timeout: .seconds(20))
            #expect(ended.status == 0 && ended.stdout.contains("kube9 up: every forward was stopped by kube9 stop"), "\(ended)")
            try #require(await pollUntil(timeout: .seconds(10)) { portIsFree(attached) && portIsFree(saved) }, "both local ports to close")
        }
    }

    @Test func anotherUserCanNeitherListNorStop() async throws {
        try await SimHarness.with(scenarioJSON: Kube9Screen.scenarioJSON) { harness in
            let cli = try ControlCLI(harness: harness)
            let (holder, local) = try await cli.startForward()
            defer { holder.kill() }
            // Only the peer-credential check stands in the way: the directory and the socket are opened up.
            let socket = try #require(cli.sockets().first)
            #expect(chmod(cli.directory, 0o755) == 0 && chmod(socket, 0o666) == 0)

            let stranger = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/env", "HOME=/tmp",
                            "KUBE9_CONTROL_DIR=\(cli.directory)", try BuiltExecutables.path(of: "kube9")]
            let list = try await runProcess(stranger + ["ls", "--json"], environment: cli.environment, timeout: .seconds(20))
            #expect(list.status == 1 && list.stderr.contains("permission denied: this kube9 belongs to another user"), "\(list)")
            #expect(try ControlCLI.forwards(list.stdout).isEmpty, "\(list)")
            let stop = try await runProcess(stranger + ["stop", String(local)], environment: cli.environment, timeout: .seconds(20))
            #expect(stop.status == 1 && stop.stderr.contains("permission denied: this kube9 belongs to another user"), "\(stop)")
            let status = try await runProcess(stranger + ["status"], environment: cli.environment, timeout: .seconds(20))
            #expect(status.stdout.isEmpty, "\(status)")

            // The owner still sees it, and it still carries.
            #expect(try await cli.run(["status"]).stdout == "⇄ 1\n")
            let response = try await httpGet(port: local, timeout: .seconds(10))
            #expect(response.body.trimmingCharacters(in: .whitespacesAndNewlines) == Kube9Screen.podBody)
            #expect(FileManager.default.fileExists(atPath: socket))
            holder.interrupt()
            #expect(try await holder.waitForExit(timeout: .seconds(20)).status == 0)
        }
    }

    @Test func aKilledInstancesSocketIsSkippedAndRemoved() async throws {
        try await SimHarness.with(scenarioJSON: Kube9Screen.scenarioJSON) { harness in
            let cli = try ControlCLI(harness: harness)
            let (killed, _) = try await cli.startForward()
            let (alive, local) = try await cli.startForward()
            defer { alive.kill() }
            #expect(try await cli.run(["status"]).stdout == "⇄ 2\n")
            let stale = cli.directory + "/\(killed.pid).sock"
            killed.kill()
            _ = try await killed.waitForExit(timeout: .seconds(20))
            #expect(FileManager.default.fileExists(atPath: stale))

            let status = try await cli.run(["status"])
            #expect(status.status == 0 && status.stdout == "⇄ 1\n", "\(status)")
            #expect(!FileManager.default.fileExists(atPath: stale))
            let listing = try await cli.run(["ls", "--json"])
            #expect(listing.status == 0, "\(listing)")
            #expect(try ControlCLI.forwards(listing.stdout).compactMap { $0["localPort"] as? Int } == [local])

            // `kube9 stop` ends a `kube9 forward` with 0 and its line.
            let stop = try await cli.run(["stop", "--all"])
            #expect(stop.status == 0 && stop.stdout.contains("localhost:\(local)"), "\(stop)")
            let ended = try await alive.waitForExit(timeout: .seconds(20))
            #expect(ended.status == 0 && ended.stdout.contains("Port forward stopped: localhost:\(local)"), "\(ended)")
            #expect(cli.sockets().isEmpty)
        }
    }

    @Test func garbageOnTheSocketNeverDisturbsTheUI() async throws {
        try await Kube9Screen.with { screen in
            let cli = try ControlCLI(harness: screen.harness)
            try await screen.launch(environment: "XDG_RUNTIME_DIR=\(cli.runtime)")
            try #require(await pollUntil(timeout: .seconds(10)) { !cli.sockets().isEmpty }, "the UI's control socket")
            let socket = try #require(cli.sockets().first)

            // A half-open connection that never sends, random bytes without a newline, a 10 MB line, a bad line.
            let silent = try UnixStream(path: socket)
            let noise = try UnixStream(path: socket)
            var generator = SystemRandomNumberGenerator()
            noise.sendAll((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }.filter { $0 != 10 })
            let flood = try UnixStream(path: socket)
            let sent = flood.sendAll([UInt8](repeating: UInt8(ascii: "x"), count: 10 * 1024 * 1024))
            #expect(sent < 10 * 1024 * 1024, "the 10 MB line was read to the end")
            #expect(flood.receiveAll().contains("request longer than"))
            let bad = try UnixStream(path: socket)
            bad.sendAll(Array("{\"v\":1,\"op\":\"explode\"}\n".utf8))
            #expect(bad.receiveAll().contains("not a kube9 control request"))

            // The UI still answers keys and its socket still answers, while the silent connection is held.
            try await screen.expandToPods()
            let status = try await cli.run(["status", "--format", "{instances}"])
            #expect(status.status == 0 && status.stdout.isEmpty, "\(status)")
            let listing = try await cli.run(["ls", "--json"])
            #expect(listing.status == 0 && listing.stdout.contains("\"kind\" : \"ui\""), "\(listing)")
            // The silent connection is closed by the server after its 5 s deadline, without an answer.
            let waited = ContinuousClock.now
            #expect(silent.receiveAll().isEmpty)
            #expect(ContinuousClock.now - waited < .seconds(9))
            silent.close()
            noise.close()
            flood.close()
            bad.close()
            try await screen.quit(confirm: false)
        }
    }
}

/// `kube9 ls` tells an idle on-demand forward (no kubectl) from one whose kubectl runs.
@Suite(.timeLimit(.minutes(2)))
struct OnDemandListingEndToEndTests {
    @Test func lsSaysWhetherAnOnDemandForwardsKubectlRuns() async throws {
        try await SimHarness.with(scenarioJSON: Kube9Screen.scenarioJSON) { harness in
            let cli = try ControlCLI(harness: harness)
            let local = freeTCPPort()
            let process = try SpawnedProcess.start(
                argv: [try BuiltExecutables.path(of: "kube9"), "forward", "--on-demand", "--kubeconfig", harness.kubeconfigPath,
                       "pod/\(Kube9Screen.runningPod)", "\(local):80"],
                env: cli.environment)
            defer { process.kill() }
            _ = try await process.waitForLine(containing: "Port forward established: localhost:\(local)", timeout: .seconds(30))
            try #require(await pollUntil(timeout: .seconds(10)) { !cli.sockets().isEmpty }, "its control socket")
            let idle = try await cli.run(["ls"])
            #expect(idle.stdout.split(separator: "\n").last?.contains("  idle  ") == true, "\(idle)")
            let json = try ControlCLI.forwards(try await cli.run(["ls", "--json"]).stdout)
            #expect(json.first?["backendRunning"] as? Bool == false && json.first?["onDemand"] as? Bool == true, "\(json)")
            let response = try await httpGet(port: local, timeout: .seconds(15))
            #expect(response.status == 200)
            let running = try await cli.run(["ls"])
            #expect(running.stdout.split(separator: "\n").last?.contains("  running  ") == true, "\(running)")
            kill(process.pid, SIGINT)
            _ = try await process.waitForExit(timeout: .seconds(10))
        }
    }
}

/// The kube9 CLI of a test: its own XDG_RUNTIME_DIR (so its control directory), the harness's HOME.
struct ControlCLI: Sendable {
    let runtime: String
    var environment: [String: String]
    let harness: SimHarness

    init(harness: SimHarness) throws {
        self.harness = harness
        runtime = harness.directory + "/run"
        try FileManager.default.createDirectory(atPath: runtime, withIntermediateDirectories: true)
        environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": harness.home,
            "XDG_RUNTIME_DIR": runtime, "LANG": "C.UTF-8",
        ]
    }

    var directory: String { runtime + "/kube9" }

    func run(_ arguments: [String]) async throws -> ProcessResult {
        try await runProcess([try BuiltExecutables.path(of: "kube9")] + arguments, environment: environment, timeout: .seconds(40))
    }

    /// The sockets in the control directory.
    func sockets() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".sock") }.map { directory + "/" + $0 }
    }

    /// A `kube9 forward` of the running pod on a free port, once established.
    func startForward() async throws -> (SpawnedProcess, Int) {
        let local = freeTCPPort()
        let process = try SpawnedProcess.start(
            argv: [try BuiltExecutables.path(of: "kube9"), "forward", "--kubeconfig", harness.kubeconfigPath,
                   "pod/\(Kube9Screen.runningPod)", "\(local):80"],
            env: environment)
        do {
            _ = try await process.waitForLine(containing: "Port forward established: localhost:\(local)", timeout: .seconds(30))
            try #require(await pollUntil(timeout: .seconds(10)) {
                FileManager.default.fileExists(atPath: directory + "/\(process.pid).sock")
            }, "its control socket")
        } catch {
            process.kill()
            throw error
        }
        return (process, local)
    }

    /// The `forwards` of `kube9 ls --json`.
    static func forwards(_ json: String) throws -> [[String: Any]] {
        guard !json.isEmpty else { return [] }
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return object?["forwards"] as? [[String: Any]] ?? []
    }
}

/// A raw connection to a control socket, for sending it what no kube9 client would.
final class UnixStream: Sendable {
    let fd: Int32

    init(path: String) throws {
        fd = try ControlClient.connectedSocket(path: path, timeout: .seconds(10))
    }

    /// Sends until everything is sent or the peer stops reading; returns how much was sent.
    @discardableResult
    func sendAll(_ bytes: [UInt8]) -> Int {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, min(65536, bytes.count - sent), Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { break }
            sent += count
        }
        return sent
    }

    /// What arrives until the peer closes (or 10 s pass).
    func receiveAll() -> String {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            received += chunk[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    func close() { Glibc.close(fd) }
}

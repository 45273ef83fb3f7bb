import Foundation
import Kube9TestSupport

/// One tmux server of its own (`tmux -L <socket>`), one window with a plain shell, for driving the real kube9
/// binary the way a person would and reading back what the screen shows.
final class TmuxSession: Sendable {
    static let tmuxPath = "/usr/bin/tmux"

    let socket: String
    let environment: [String: String]

    private init(socket: String, environment: [String: String]) {
        self.socket = socket
        self.environment = environment
    }

    /// Runs `body` with a fresh session and kills its tmux server afterwards, whether `body` throws or not.
    static func with<T: Sendable>(
        width: Int = 120, height: Int = 40, _ body: (TmuxSession) async throws -> T
    ) async throws -> T {
        let session = try await start(width: width, height: height)
        do {
            let result = try await body(session)
            await session.kill()
            return result
        } catch {
            await session.kill()
            throw error
        }
    }

    /// Starts a detached session running `bash --norc` with a UTF-8 locale and a minimal environment.
    static func start(width: Int, height: Int) async throws -> TmuxSession {
        let socket = "kube9-e2e-\(UUID().uuidString.prefix(8))"
        let parent = ProcessInfo.processInfo.environment
        let environment = [
            "PATH": parent["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "HOME": NSTemporaryDirectory(),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TERM": "xterm-256color",
        ]
        let session = TmuxSession(socket: socket, environment: environment)
        do {
            try await session.tmux([
                "-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", "\(width)", "-y", "\(height)",
                "/bin/bash --norc --noprofile",
            ])
            try await session.tmux(["set-option", "-g", "status", "off"])
            try await session.tmux(["set-option", "-g", "default-terminal", "tmux-256color"])
            try await session.sendText("PS1='$ '; clear")
            try await session.waitForScreen("the shell prompt", timeout: .seconds(10)) { $0.hasPrefix("$") }
            return session
        } catch {
            await session.kill()
            throw error
        }
    }

    @discardableResult
    func tmux(_ args: [String]) async throws -> String {
        let result = try await runProcess([Self.tmuxPath, "-L", socket] + args, environment: environment, timeout: .seconds(10))
        guard result.status == 0 else {
            throw TmuxError("tmux \(args.joined(separator: " ")) failed: \(result.stderr)")
        }
        return result.stdout
    }

    /// Types `text` literally, then Enter unless told otherwise.
    func sendText(_ text: String, enter: Bool = true) async throws {
        try await tmux(["send-keys", "-t", "main", "-l", text])
        if enter { try await tmux(["send-keys", "-t", "main", "Enter"]) }
    }

    /// Sends tmux key names: `Down`, `Enter`, `Escape`, `Tab`, `C-u`, or single characters.
    func sendKeys(_ keys: String...) async throws {
        try await tmux(["send-keys", "-t", "main"] + keys)
    }

    /// The visible screen as text lines.
    func screen() async throws -> String {
        try await tmux(["capture-pane", "-p", "-t", "main"])
    }

    /// Sends `key` and returns how long until the screen (with attributes) differs from before; throws at 5 s.
    /// The clock and the polling run in one bash process, so the figure does not depend on how busy this test
    /// process's concurrency pool is (other tests' CPU-bound bodies can hold its threads for seconds).
    func responseTime(to key: String) async throws -> Duration {
        let tmux = "\(Self.tmuxPath) -L \(socket)"
        let script = """
            before=$(\(tmux) capture-pane -p -e -t main)
            t0=$(date +%s%N); end=$((t0 + 5000000000))
            \(tmux) send-keys -t main '\(key)'
            while :; do
              now=$(\(tmux) capture-pane -p -e -t main); t=$(date +%s%N)
              if [ "$now" != "$before" ]; then echo $(( (t - t0) / 1000 )); exit 0; fi
              if [ "$t" -gt "$end" ]; then echo "$before"; exit 1; fi
            done
            """
        let result = try await runProcess(["/bin/bash", "-c", script], environment: environment, timeout: .seconds(20))
        guard result.status == 0, let microseconds = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TmuxError("the screen did not change within 5 s of the key \(key):\n\(result.stdout)\(result.stderr)")
        }
        return .microseconds(microseconds)
    }

    /// Sends `keys` and returns how long until the screen shows every text of `shows` and none of `hides`;
    /// measured in one bash process like ``responseTime(to:)``; throws after `timeout`.
    func timeUntil(
        keys: [String], shows: [String], hides: [String] = [], timeout: Duration = .seconds(30)
    ) async throws -> Duration {
        let tmux = "\(Self.tmuxPath) -L \(socket)"
        func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let conditions = shows.map { "[[ \"$now\" == *\(quoted($0))* ]]" } + hides.map { "[[ \"$now\" != *\(quoted($0))* ]]" }
        let script = """
            t0=$(date +%s%N); end=$((t0 + \(timeout.components.seconds) * 1000000000))
            \(tmux) send-keys -t main \(keys.map(quoted).joined(separator: " "))
            while :; do
              now=$(\(tmux) capture-pane -p -t main); t=$(date +%s%N)
              if \(conditions.joined(separator: " && ")); then echo $(( (t - t0) / 1000 )); exit 0; fi
              if [ "$t" -gt "$end" ]; then echo "$now"; exit 1; fi
            done
            """
        let result = try await runProcess(
            ["/bin/bash", "-c", script], environment: environment, timeout: timeout + .seconds(10))
        guard result.status == 0, let microseconds = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TmuxError("timed out after \(timeout) waiting for \(shows) without \(hides); the screen was:\n\(result.stdout)\(result.stderr)")
        }
        return .microseconds(microseconds)
    }

    /// Waits until the screen contains `text`; throws with the last screen at the deadline.
    @discardableResult
    func waitFor(_ text: String, timeout: Duration = .seconds(20)) async throws -> String {
        try await waitForScreen("the screen to show \(text)", timeout: timeout) { $0.contains(text) }
    }

    /// Waits until the screen no longer contains `text`.
    @discardableResult
    func waitForAbsence(of text: String, timeout: Duration = .seconds(20)) async throws -> String {
        try await waitForScreen("the screen to stop showing \(text)", timeout: timeout) { !$0.contains(text) }
    }

    @discardableResult
    func waitForScreen(
        _ what: String, timeout: Duration, _ matches: @Sendable (String) -> Bool
    ) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            last = try await screen()
            if matches(last) { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        // One last look: a busy machine may have kept this task from looking until after the deadline.
        last = try await screen()
        if matches(last) { return last }
        throw TmuxError("timed out after \(timeout) waiting for \(what); the screen was:\n\(last)")
    }

    func resize(width: Int, height: Int) async throws {
        try await tmux(["resize-window", "-t", "main", "-x", "\(width)", "-y", "\(height)"])
    }

    /// Kills the tmux server (and removes its socket file) and with it the shell and whatever still runs in the pane (SIGHUP).
    func kill() async {
        _ = try? await runProcess([Self.tmuxPath, "-L", socket, "kill-server"], environment: environment, timeout: .seconds(10))
        try? FileManager.default.removeItem(atPath: "/tmp/tmux-\(getuid())/\(socket)")
    }
}

struct TmuxError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

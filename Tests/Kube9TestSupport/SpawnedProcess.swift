import Foundation
import Synchronization

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's Glibc module does not expose.
private let closeFromAction: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
    guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
    return unsafeBitCast(
        symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
}()

/// Serializes pipe creation and spawning within the test process.
private let spawnLock = Mutex(())

/// A child process whose stdout and stderr are collected line by line as they arrive, for long-running commands
/// such as `kubectl port-forward`. Every wait has a deadline; the process is killed when this object goes away.
public final class SpawnedProcess: Sendable {
    public enum OutputStream: Sendable { case stdout, stderr, either }

    private struct State {
        var stdout = ""
        var stderr = ""
        var stdoutClosed = false
        var stderrClosed = false
        var exitStatus: Int32?
        var version = 0
        var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    }

    public let pid: Int32
    public let argv: [String]
    private let state: Mutex<State>

    private init(pid: Int32, argv: [String]) {
        self.pid = pid
        self.argv = argv
        self.state = Mutex(State())
    }

    deinit {
        if state.withLock({ $0.exitStatus == nil }) { Glibc.kill(pid, SIGKILL) }
    }

    /// Starts `argv[0]` (an absolute path) with `argv[1...]`, stdin from /dev/null, stdout and stderr captured.
    /// The child starts with no blocked signals and default signal actions (the test runner's threads block
    /// most signals, and a child would inherit that mask), so SIGINT/SIGTERM/SIGHUP reach it as in a shell.
    public static func start(argv: [String], env: [String: String]? = nil) throws -> SpawnedProcess {
        guard let executable = argv.first else { throw TestSupportError("empty argv") }
        // Pipes are close-on-exec so that no other child inherits them (which would hold off end-of-file).
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        try spawnLock.withLock { _ in
            guard pipe(&outPipe) == 0 else { throw TestSupportError("pipe failed: \(String(cString: strerror(errno)))") }
            guard pipe(&errPipe) == 0 else {
                close(outPipe[0])
                close(outPipe[1])
                throw TestSupportError("pipe failed: \(String(cString: strerror(errno)))")
            }
            for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        // Close every other descriptor in the child: sockets the test process (NIO, other tests) opened without
        // close-on-exec would otherwise keep connections alive inside unrelated children.
        if let closeFrom = closeFromAction { _ = closeFrom(&actions, 3) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in 1..<32 where number != SIGKILL && number != SIGSTOP { sigaddset(&defaults, Int32(number)) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let environment = env ?? ProcessInfo.processInfo.environment
        let argvPointers = argv.map { strdup($0) } + [nil]
        let envPointers = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argvPointers { free(pointer) }
            for pointer in envPointers { free(pointer) }
        }
        var pid: pid_t = 0
        let code = spawnLock.withLock { _ in posix_spawn(&pid, executable, &actions, &attributes, argvPointers, envPointers) }
        close(outPipe[1])
        close(errPipe[1])
        guard code == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw TestSupportError("cannot start \(argv.joined(separator: " ")): \(String(cString: strerror(code)))")
        }
        let spawned = SpawnedProcess(pid: pid, argv: argv)
        spawned.readContinuously(outPipe[0], into: .stdout)
        spawned.readContinuously(errPipe[0], into: .stderr)
        spawned.reapWhenExited()
        return spawned
    }

    // MARK: Output

    public var stdout: String { state.withLock { $0.stdout } }
    public var stderr: String { state.withLock { $0.stderr } }
    public var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
    public var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    public var isRunning: Bool { state.withLock { $0.exitStatus == nil } }

    /// The first complete line containing `text`; throws with everything seen so far at the deadline or when the
    /// process exits without printing it.
    @discardableResult
    public func waitForLine(containing text: String, in stream: OutputStream = .either, timeout: Duration) async throws -> String {
        let found: String?? = await waitUntil(timeout: timeout) { state in
            let sources: [String] =
                switch stream {
                case .stdout: [state.stdout]
                case .stderr: [state.stderr]
                case .either: [state.stdout, state.stderr]
                }
            let ended = state.exitStatus != nil
            for source in sources {
                // Only complete lines: the last one may still be growing unless the process ended.
                var lines = source.split(separator: "\n", omittingEmptySubsequences: true)
                if !source.hasSuffix("\n") && !ended && !lines.isEmpty { lines.removeLast() }
                if let line = lines.first(where: { $0.contains(text) }) { return .some(String(line)) }
            }
            if state.exitStatus != nil && state.stdoutClosed && state.stderrClosed { return .some(nil) }
            return nil
        }
        if let line = found ?? nil { return line }
        let why = found == nil ? "within \(timeout)" : "before exiting"
        throw TestSupportError(
            "\(argv.joined(separator: " ")) did not print a line containing \"\(text)\" \(why)\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)")
    }

    // MARK: Signals and exit

    public func terminate() { signal(SIGTERM) }
    public func interrupt() { signal(SIGINT) }
    public func kill() { signal(SIGKILL) }

    public func signal(_ number: Int32) {
        if isRunning { Glibc.kill(pid, number) }
    }

    /// Waits for the exit and the end of both output streams; throws at the deadline (the process keeps running).
    @discardableResult
    public func waitForExit(timeout: Duration) async throws -> ProcessResult {
        let done: Bool? = await waitUntil(timeout: timeout) { state in
            state.exitStatus != nil && state.stdoutClosed && state.stderrClosed ? true : nil
        }
        guard done != nil else {
            throw TestSupportError("\(argv.joined(separator: " ")) still running after \(timeout)\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)")
        }
        return state.withLock { ProcessResult(status: $0.exitStatus ?? -1, stdout: $0.stdout, stderr: $0.stderr) }
    }

    /// SIGTERM, then SIGKILL if still running after `grace`; waits for the exit.
    @discardableResult
    public func stop(grace: Duration = .seconds(2)) async -> ProcessResult? {
        terminate()
        if let result = try? await waitForExit(timeout: grace) { return result }
        kill()
        return try? await waitForExit(timeout: .seconds(5))
    }

    // MARK: Internals

    /// Waits for the child on a thread of its own and records how it ended (128 + signal when signalled).
    private func reapWhenExited() {
        let thread = Thread { [self] in
            var status: Int32 = 0
            var result: pid_t
            repeat { result = waitpid(pid, &status, 0) } while result < 0 && errno == EINTR
            let code: Int32
            if result < 0 {
                code = -1
            } else if status & 0x7f == 0 {
                code = (status >> 8) & 0xff
            } else {
                code = 128 + (status & 0x7f)
            }
            update { $0.exitStatus = code }
        }
        thread.start()
    }

    private func readContinuously(_ fd: Int32, into stream: OutputStream) {
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            var carry: [UInt8] = []  // the start of a UTF-8 character split across reads
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                carry.append(contentsOf: buffer[0..<n])
                let complete = Self.completeUTF8Prefix(carry)
                let text = String(decoding: carry[0..<complete], as: UTF8.self)
                carry.removeFirst(complete)
                update { state in
                    if stream == .stdout { state.stdout += text } else { state.stderr += text }
                }
            }
            close(fd)
            let rest = String(decoding: carry, as: UTF8.self)
            update { state in
                if stream == .stdout {
                    state.stdout += rest
                    state.stdoutClosed = true
                } else {
                    state.stderr += rest
                    state.stderrClosed = true
                }
            }
        }
        thread.start()
    }

    /// How many leading bytes end on a UTF-8 character boundary (a trailing incomplete character is held back).
    static func completeUTF8Prefix(_ bytes: [UInt8]) -> Int {
        var index = bytes.count
        var continuation = 0
        while index > 0 && continuation < 3 && bytes[index - 1] & 0xC0 == 0x80 {
            index -= 1
            continuation += 1
        }
        guard index > 0 else { return bytes.count }
        let lead = bytes[index - 1]
        let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        return continuation + 1 >= length ? bytes.count : index - 1
    }

    private func update(_ change: (inout State) -> Void) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            change(&state)
            state.version += 1
            let waiters = Array(state.waiters.values)
            state.waiters = [:]
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private func wake(_ id: UUID) {
        let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
        waiter?.resume()
    }

    /// Re-evaluates `check` on every change until it returns a value or the deadline passes (nil).
    private func waitUntil<T>(timeout: Duration, _ check: (borrowing State) -> T?) async -> T? {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (value, version) = state.withLock { (check($0), $0.version) }
            if let value { return value }
            if ContinuousClock.now >= deadline { return nil }
            let id = UUID()
            let timer = Task { [weak self] in
                try? await Task.sleep(until: deadline, clock: .continuous)
                self?.wake(id)
            }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.version != version { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
            timer.cancel()
        }
    }
}

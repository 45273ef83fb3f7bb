import Foundation
import Kube9Kit
import Synchronization

/// A process the bench started (kubectl, kube9, a holder), with its stdout read on a thread of its own and
/// searchable for a line; killed by `stop()`.
final class ChildProcess: Sendable {
    let process: Process
    private let output = Mutex<String>("")
    /// Everything it printed so far (stdout and stderr), for a failure's message.
    var printed: String { output.withLock { $0 } }
    private let lineArrived = DispatchSemaphore(value: 0)

    init(argv: [String], environment: [String: String], stdin: FileHandle? = nil, stdout: FileHandle? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: argv[0])
        process.arguments = Array(argv.dropFirst())
        process.environment = environment
        process.standardError = FileHandle.nullDevice
        if let stdin { process.standardInput = stdin } else { process.standardInput = FileHandle.nullDevice }
        self.process = process
        if let stdout {
            process.standardOutput = stdout
            try process.run()
        } else {
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let reader = pipe.fileHandleForReading
            Thread.detachNewThread { [self] in
                while true {
                    let data = reader.availableData
                    if data.isEmpty { break }
                    output.withLock { $0 += String(decoding: data, as: UTF8.self) }
                    lineArrived.signal()
                }
                lineArrived.signal()
            }
        }
    }

    var pid: Int32 { process.processIdentifier }

    /// Blocks until stdout contains `needle` (true) or the deadline passes / the process ends (false).
    func waitFor(_ needle: String, timeout: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if output.withLock({ $0.contains(needle) }) { return true }
            if !process.isRunning && output.withLock({ !$0.contains(needle) }) {
                _ = lineArrived.wait(timeout: .now() + 0.05)
                return output.withLock { $0.contains(needle) }
            }
            if Date() > deadline { return false }
            _ = lineArrived.wait(timeout: .now() + 0.2)
        }
    }

    /// SIGTERM, then SIGKILL after 3 s; waits for the exit.
    func stop(signal: Int32 = SIGTERM) {
        guard process.isRunning else { return }
        kill(pid, signal)
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }

    /// Runs argv to completion (stdio on /dev/null); returns the wall time in seconds, from the spawn to the exit
    /// as `waitpid` reports it. Not Foundation's `Process.waitUntilExit`, which on Linux looks every 50 ms: a
    /// run of 12 ms timed 51, one of 60 timed 101.
    static func timedRun(_ argv: [String], environment: [String: String]) throws -> Double {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = argv.map { strdup($0) } + [nil]
        let variables = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (arguments + variables).forEach { free($0) } }
        var pid: pid_t = 0
        let start = ContinuousClock.now
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, arguments, variables)
        guard spawned == 0 else { throw BenchError("\(argv[0]) not started: \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let elapsed = seconds(since: start)
        let exit = ProcessExit(waitStatus: status)
        guard exit.isSuccess else { throw BenchError("\(argv.joined(separator: " ")) ended with \(exit)") }
        return elapsed
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

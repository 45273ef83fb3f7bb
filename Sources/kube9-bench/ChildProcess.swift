import Foundation
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

    /// Runs argv to completion; returns the wall time in seconds.
    static func timedRun(_ argv: [String], environment: [String: String]) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: argv[0])
        process.arguments = Array(argv.dropFirst())
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let start = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        let elapsed = seconds(since: start)
        guard process.terminationStatus == 0 else {
            throw BenchError("\(argv.joined(separator: " ")) exited \(process.terminationStatus)")
        }
        return elapsed
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

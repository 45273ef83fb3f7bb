import Foundation
import Glibc
import Kube9TestSupport
import Testing

@testable import Kube9Kit

/// The runner on ordinary system programs (not kubectl stand-ins): deadlines, termination, spawn errors.
@Suite struct ProcessRunnerTests {
    let runner = ProcessRunner()

    static func isAlive(_ pid: Int32) -> Bool { ProcessTable.isAlive(pid) }

    @Test func collectsOutputAndExitStatus() async throws {
        let result = try await runner.collect(executable: "sh", arguments: ["-c", "echo out; echo err >&2; exit 3"], timeout: .seconds(10))
        #expect(String(decoding: result.standardOutput, as: UTF8.self) == "out\n")
        #expect(result.standardError == "err\n")
        #expect(result.exit == .exited(3))
    }

    @Test func aMissingExecutableIsNotFound() async {
        await #expect(throws: ProcessRunError.executableNotFound("/nonexistent/kubectl", .noSuchFile)) {
            try await runner.collect(executable: "/nonexistent/kubectl", arguments: [], timeout: .seconds(5))
        }
        await #expect(throws: ProcessRunError.executableNotFound("kubectl-does-not-exist-here", .notOnPath)) {
            try await runner.launch(executable: "kubectl-does-not-exist-here", arguments: [])
        }
    }

    /// What is wrong with a `--kubectl` path, as the file system tells it: a directory, a file without the
    /// execute bit, a shim whose `#!` interpreter is gone (exec's ENOENT on a file that exists).
    @Test func anExecutableThatCannotRunSaysWhy() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kube9-exec-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let plain = directory + "/plain"
        try "echo hi\n".write(toFile: plain, atomically: true, encoding: .utf8)
        let shim = directory + "/shim"
        try "#!/nonexistent/python3 -u\nprint('hi')\n".write(toFile: shim, atomically: true, encoding: .utf8)
        chmod(shim, 0o755)
        await #expect(throws: ProcessRunError.executableNotFound(directory, .directory)) {
            try await runner.collect(executable: directory, arguments: [], timeout: .seconds(5))
        }
        await #expect(throws: ProcessRunError.executableNotFound(plain, .notExecutable)) {
            try await runner.collect(executable: plain, arguments: [], timeout: .seconds(5))
        }
        await #expect(throws: ProcessRunError.executableNotFound(shim, .interpreterMissing("/nonexistent/python3"))) {
            try await runner.collect(executable: shim, arguments: [], timeout: .seconds(5))
        }
        // Saved with Windows line ends: exec looks for `/bin/sh\r`.
        let crlf = directory + "/crlf"
        try "#!/bin/sh\r\necho hi\r\n".write(toFile: crlf, atomically: true, encoding: .utf8)
        chmod(crlf, 0o755)
        await #expect(throws: ProcessRunError.executableNotFound(crlf, .windowsLineEnds)) {
            try await runner.collect(executable: crlf, arguments: [], timeout: .seconds(5))
        }
        // On PATH, but without the execute bit: named, not "not on PATH".
        await #expect(throws: ProcessRunError.executableNotFound("plain", .notExecutableOnPath(plain))) {
            try await ProcessRunner(environment: ["PATH": directory]).launch(executable: "plain", arguments: [])
        }
        #expect(
            Messages.kubectlNotFound("plain", missing: .notExecutableOnPath(plain))
                == "kubectl not found. Please install kubectl to use port forwarding. \(plain) on PATH is not executable.")
        // Found on PATH by name, refused at exec: the file found is named.
        await #expect(throws: ProcessRunError.executableNotFound(shim, .interpreterMissing("/nonexistent/python3"))) {
            try await ProcessRunner(environment: ["PATH": directory]).launch(executable: "shim", arguments: [])
        }
        #expect(
            Messages.kubectlNotFound(shim, missing: .interpreterMissing("/nonexistent/python3"))
                == "kubectl not found. Please install kubectl to use port forwarding. \(shim) runs /nonexistent/python3, which does not exist.")
        #expect(
            Messages.kubectlNotFound(directory, missing: .directory)
                == "kubectl not found. Please install kubectl to use port forwarding. \(directory) is a directory.")
        #expect(
            Messages.kubectlNotFound(plain, missing: .notExecutable)
                == "kubectl not found. Please install kubectl to use port forwarding. \(plain) is not executable.")
    }

    @Test func theDeadlineStopsTheProcessAndReportsTimedOut() async throws {
        let marker = "\(Int.random(in: 100_000...999_999))"
        let started = ContinuousClock.now
        await #expect(throws: ProcessRunError.timedOut) {
            try await runner.collect(executable: "sleep", arguments: ["30.\(marker)"], timeout: .milliseconds(300))
        }
        // Well before sleep's own end (30 s), even on a loaded machine.
        #expect(ContinuousClock.now - started < .seconds(25))
        let left = try await runner.collect(executable: "pgrep", arguments: ["-f", "sleep 30.\(marker)"], timeout: .seconds(5))
        #expect(left.exit == .exited(1), "sleep still running: \(String(decoding: left.standardOutput, as: UTF8.self))")
    }

    @Test func cancellingTheCallerStopsTheProcess() async throws {
        let marker = "\(Int.random(in: 100_000...999_999))"
        let runner = runner
        let call = Task { try await runner.collect(executable: "sleep", arguments: ["40.\(marker)"], timeout: .seconds(60)) }
        #expect(await pollUntil { !ProcessTable.processes(containing: "sleep 40.\(marker)").isEmpty })
        call.cancel()
        let result = await call.result
        #expect(throws: ProcessRunError.cancelled) { try result.get() }
        #expect(ProcessTable.processes(containing: "sleep 40.\(marker)").isEmpty)
    }

    @Test func terminateEndsTheChildAndReturnsAfterItIsGone() async throws {
        let process = try await runner.launch(executable: "sleep", arguments: ["30"])
        #expect(Self.isAlive(process.processID))
        let exit = await process.terminate()
        #expect(exit == .signaled(SIGTERM))
        #expect(!Self.isAlive(process.processID))
        // Twice is harmless.
        #expect(await process.terminate() == .signaled(SIGTERM))
    }

    @Test func outputStreamsArriveAsWritten() async throws {
        let process = try await runner.launch(executable: "sh", arguments: ["-c", "echo first; sleep 0.2; echo second >&2"])
        let (stdout, stderr) = await process.output.joined()
        #expect(stdout == "first\n")
        #expect(stderr == "second\n")
        #expect(await process.waitForExit() == .exited(0))
    }

    /// A descriptor given to `launch` is the child's stdin, and kube9's copy is closed: once
    /// the child has exited, the pipe has no reader left.
    @Test func launchGivesTheChildTheStandardInputAskedForAndClosesIt() async throws {
        signal(SIGPIPE, SIG_IGN)
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        defer { close(ends[1]) }
        let process = try await runner.launch(executable: "head", arguments: ["-c", "6"], standardInput: ends[0])
        _ = "typed\n".withCString { write(ends[1], $0, 6) }
        #expect(await process.output.joined().standardOutput == "typed\n")
        #expect(await process.waitForExit() == .exited(0))
        #expect(write(ends[1], "x", 1) == -1 && errno == EPIPE)
    }

    /// The pid we hold is the program's own (no wrapper execs it), leading its own group, with the parent-death
    /// signal SIGKILL set before exec (`setpriv --dump` reads it back in the child); none when not asked for.
    @Test func childrenAreTheProgramItselfWithTheParentDeathSignal() async throws {
        let process = try await runner.launch(executable: "sleep", arguments: ["30"])
        let stat = try String(contentsOfFile: "/proc/\(process.processID)/stat", encoding: .utf8)
        let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
        // fields[0] = state, [1] = ppid, [2] = pgrp
        #expect(Int32(fields[2]) == process.processID)
        #expect(Int32(fields[1]) == getpid())
        // The spawn returns once the child has exec'd: it is sleep already, no wrapper in between.
        #expect(try String(contentsOfFile: "/proc/\(process.processID)/comm", encoding: .utf8) == "sleep\n")
        await process.terminate()

        let dump = try await runner.collect(executable: "setpriv", arguments: ["--dump"], timeout: .seconds(10))
        #expect(String(decoding: dump.standardOutput, as: UTF8.self).contains("Parent death signal: KILL\n"))
        let without = ProcessRunner(useDeathSignal: false)
        let plain = try await without.collect(executable: "setpriv", arguments: ["--dump"], timeout: .seconds(10))
        #expect(String(decoding: plain.standardOutput, as: UTF8.self).contains("Parent death signal: [none]\n"))
    }

    /// A child that forks (`sh -c 'sleep 30 & wait'`): the deadline stops the whole group, and `collect` returns
    /// only once nothing of it is left.
    @Test func theDeadlineStopsTheChildsWholeProcessGroup() async throws {
        let marker = "\(Int.random(in: 100_000...999_999))"
        await #expect(throws: ProcessRunError.timedOut) {
            try await runner.collect(executable: "sh", arguments: ["-c", "sleep 30.\(marker) & wait"], timeout: .milliseconds(300))
        }
        #expect(ProcessTable.processes(containing: marker).isEmpty, "\(ProcessTable.describe(ProcessTable.processes(containing: marker)))")
    }

    /// The leader dies on SIGTERM at once but leaves a grandchild that ignores it (a shim's kubectl, an exec
    /// plugin): SIGKILL reaches the grandchild 1 s later, and `terminate` returns after that.
    @Test func terminateStopsWhatTheLeaderLeavesInItsGroup() async throws {
        let marker = "\(Int.random(in: 100_000...999_999))"
        let process = try await runner.launch(
            executable: "sh", arguments: ["-c", "sh -c \"trap '' TERM; sleep 41.\(marker)\" & wait"])
        #expect(await pollUntil { ProcessTable.processes(containing: marker).contains { $0.commandLine.hasPrefix("sleep") } })
        let started = ContinuousClock.now
        #expect(await process.terminate() == .signaled(SIGTERM))
        let took = ContinuousClock.now - started
        #expect(ProcessTable.processes(containing: marker).isEmpty, "\(ProcessTable.describe(ProcessTable.processes(containing: marker)))")
        // SIGKILL waited for the grace period, and came well before sleep's own end (41 s), even on a loaded machine.
        #expect(took >= .milliseconds(900) && took < .seconds(25), "\(took)")
    }

    /// A child that exits on its own leaving a process in its group: that process is stopped too.
    @Test func whatAChildLeavesBehindWhenItExitsIsStopped() async throws {
        let marker = "\(Int.random(in: 100_000...999_999))"
        let process = try await runner.launch(executable: "sh", arguments: ["-c", "sleep 42.\(marker) & exit 0"])
        #expect(await process.waitForExit() == .exited(0))
        #expect(ProcessTable.processes(containing: marker).isEmpty, "\(ProcessTable.describe(ProcessTable.processes(containing: marker)))")
        #expect(!runner.guardian.registeredGroups.contains(process.processID))
    }
}

import Foundation
import Glibc
import Kube9TestSupport
import Testing

@testable import Kube9Kit

/// The spawner on ordinary system programs: what every child starts with, and how its output and exit reach
/// kube9.
@Suite struct ChildSpawnerTests {
    static func marker() -> String { "\(Int.random(in: 100_000...999_999))" }

    static func request(
        _ executable: String, _ arguments: [String], standardInput: Int32? = nil, deathSignal: Bool = false
    ) -> ChildSpawner.Request {
        ChildSpawner.Request(
            executable: executable, arguments: arguments, environment: ProcessInfo.processInfo.environment,
            standardInput: standardInput, deathSignal: deathSignal)
    }

    static func spawn(
        _ executable: String, _ arguments: [String], standardInput: Int32? = nil, deathSignal: Bool = false
    ) async throws -> SpawnedChild {
        try await ChildSpawner.shared.spawn(
            request(executable, arguments, standardInput: standardInput, deathSignal: deathSignal))
    }

    /// Waits until the child runs `name` (the dynamic loader has done its work).
    static func runs(_ name: String, _ pid: Int32) async -> Bool {
        await pollUntil { (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) == "\(name)\n" }
    }

    /// Many children at once, all followed by the one event loop: every one's two streams arrive whole and apart,
    /// every exit is reaped, and every pipe and pidfd is closed afterwards. (Concurrent libdispatch read sources
    /// crashed the test process here; ChildEventLoop has no such churn.)
    @Test func twoHundredChildrenAtOnceDeliverTheirOutputAndLeaveNoDescriptor() async throws {
        func openDescriptors() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1 }
        let before = openDescriptors()
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let child = try await Self.spawn("/bin/sh", ["-c", "echo out\(index); echo err\(index) >&2; exit \(index % 7)"])
                    let (standardOutput, standardError) = await child.output.joined()
                    let exit = await child.exit()
                    return standardOutput == "out\(index)\n" && standardError == "err\(index)\n" && exit == .exited(Int32(index % 7))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 200 && results.allSatisfy { $0 })
        // Other suites open descriptors meanwhile: what matters is that these 600 are not left open.
        #expect(await pollUntil(timeout: .seconds(10)) { openDescriptors() < before + 100 }, "\(before) -> \(openDescriptors())")
    }

    /// The parent-death signal is set in the child before exec when asked for, and only then (`setpriv --dump`
    /// reads the child's own).
    @Test func theParentDeathSignalIsSetWhenAskedFor() async throws {
        let asked = try await Self.spawn("/usr/bin/setpriv", ["--dump"], deathSignal: true)
        #expect(await asked.output.joined().standardOutput.contains("Parent death signal: KILL\n"))
        #expect(await asked.exit() == .exited(0))
        let plain = try await Self.spawn("/usr/bin/setpriv", ["--dump"])
        #expect(await plain.output.joined().standardOutput.contains("Parent death signal: [none]\n"))
    }

    /// The spawn returns once the child runs the program (not a copy of kube9 on its way there), and a program
    /// that cannot be exec'd (not executable) fails the spawn itself.
    @Test func theSpawnReturnsOnceTheChildHasExeced() async throws {
        let child = try await Self.spawn("/bin/sleep", ["30"])
        #expect(try String(contentsOfFile: "/proc/\(child.processID)/comm", encoding: .utf8) == "sleep\n")
        kill(child.processID, SIGKILL)
        #expect(await child.exit() == .signaled(SIGKILL))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spawn-\(Self.marker())").path
        try "#!/bin/sh\n".write(toFile: directory, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        await #expect(throws: ProcessRunError.self) { try await Self.spawn(directory, []) }
    }

    @Test func anExitCodeAndAKillingSignalAreReported() async throws {
        let exits = try await Self.spawn("/bin/sh", ["-c", "exit 7"])
        #expect(await exits.exit() == .exited(7))
        let killed = try await Self.spawn("/bin/sh", ["-c", "kill -USR1 $$; sleep 30"])
        #expect(await killed.exit() == .signaled(SIGUSR1))
        // A second wait gets the same answer.
        #expect(await killed.exit() == .signaled(SIGUSR1))
    }

    @Test func bothStreamsArriveInOrderAndEndAtEndOfFile() async throws {
        let script = "for i in 1 2 3 4 5; do echo out$i; echo err$i >&2; sleep 0.01; done; head -c 300000 /dev/zero | tr '\\0' x"
        let child = try await Self.spawn("/bin/sh", ["-c", script])
        let (standardOutput, standardError) = await child.output.joined()
        #expect(standardOutput == "out1\nout2\nout3\nout4\nout5\n" + String(repeating: "x", count: 300_000))
        #expect(standardError == "err1\nerr2\nerr3\nerr4\nerr5\n")
        #expect(await child.exit() == .exited(0))
    }

    @Test func theChildLeadsAProcessGroupOfItsOwn() async throws {
        let child = try await Self.spawn("/bin/sleep", ["30"])
        #expect(getpgid(child.processID) == child.processID)
        #expect(getpgid(child.processID) != getpgrp())
        kill(child.processID, SIGTERM)
        #expect(await child.exit() == .signaled(SIGTERM))
    }

    /// A niceness asked for is the child's from its start: `nice` (which prints its own) says kube9's plus 10.
    @Test func aNicenessAskedForIsTheChildsFromItsStart() async throws {
        var request = Self.request("/usr/bin/nice", [])
        request.niceness = 10
        let child = try await ChildSpawner.shared.spawn(request)
        let base = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(getpid()))
        #expect(await child.output.joined().standardOutput == "\(min(base + 10, 19))\n")
        #expect(await child.exit() == .exited(0))
    }

    /// kube9 ignores SIGPIPE (a closed socket must not kill it); its children must not inherit that, nor a
    /// blocked signal of the spawning thread.
    @Test func everySignalIsAtItsDefaultAndNoneIsBlocked() async throws {
        signal(SIGPIPE, SIG_IGN)
        let child = try await Self.spawn("/bin/sleep", ["30"])
        #expect(await Self.runs("sleep", child.processID))
        let status = try String(contentsOfFile: "/proc/\(child.processID)/status", encoding: .utf8)
        let masks = status.split(separator: "\n").filter { $0.hasPrefix("SigIgn:") || $0.hasPrefix("SigBlk:") }
        #expect(masks.count == 2)
        for line in masks { #expect(line.hasSuffix("0000000000000000"), "\(line)") }
        kill(child.processID, SIGTERM)
        #expect(await child.exit() == .signaled(SIGTERM))
    }

    /// Linux children inherit the nice value of the thread that spawns them, and libdispatch gives its worker
    /// threads QoS nice values: the child runs at the nice of kube9's main thread, whichever thread asked.
    @Test func theChildRunsAtTheNiceOfKube9sMainThread() async throws {
        let child = try await Task.detached(priority: .background) { try await Self.spawn("/bin/sleep", ["30"]) }.value
        let stat = try String(contentsOfFile: "/proc/\(child.processID)/stat", encoding: .utf8)
        let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
        // After `)`: [0] state ... [16] nice (field 19 of the whole line).
        #expect(Int32(fields[16]) == getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(getpid())))
        kill(child.processID, SIGTERM)
        #expect(await child.exit() == .signaled(SIGTERM))
    }

    /// A descriptor kube9 has open without close-on-exec is not inherited either: the child holds 0, 1 and 2.
    @Test func theChildHoldsOnlyItsThreeStandardDescriptors() async throws {
        let leaked = open("/dev/null", O_RDONLY)
        defer { close(leaked) }
        #expect(leaked > 2)
        let child = try await Self.spawn("/bin/sleep", ["30"])
        let path = "/proc/\(child.processID)/fd"
        let settled = await pollUntil(timeout: .seconds(5)) {
            Set((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []) == ["0", "1", "2"]
        }
        #expect(settled, "\((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])")
        kill(child.processID, SIGTERM)
        #expect(await child.exit() == .signaled(SIGTERM))
    }

    @Test func aGivenDescriptorBecomesStandardInputElseDevNull() async throws {
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        let given = try await Self.spawn("/bin/cat", [], standardInput: ends[0])
        close(ends[0])
        _ = "hello\n".withCString { write(ends[1], $0, 6) }
        close(ends[1])
        #expect(await given.output.joined().standardOutput == "hello\n")
        #expect(await given.exit() == .exited(0))

        let none = try await Self.spawn("/bin/sh", ["-c", "readlink /proc/self/fd/0; cat"])
        #expect(await none.output.joined().standardOutput == "/dev/null\n")
        #expect(await none.exit() == .exited(0))
    }

    @Test func aMissingExecutableIsNotFound() async {
        await #expect(throws: ProcessRunError.executableNotFound("/nonexistent/kubectl", .noSuchFile)) {
            try await Self.spawn("/nonexistent/kubectl", [])
        }
    }

    /// A signal to the child's group reaches what the child started (how `terminate` stops a shim's kubectl).
    @Test func aSignalToTheGroupReachesAGrandchild() async throws {
        let mark = Self.marker()
        let child = try await Self.spawn("/bin/sh", ["-c", "sleep 43.\(mark) & wait"])
        #expect(await pollUntil { ProcessTable.processes(containing: "sleep 43.\(mark)").contains { $0.commandLine.hasPrefix("sleep") } })
        kill(-child.processID, SIGTERM)
        #expect(await child.exit() == .signaled(SIGTERM))
        #expect(await pollUntil { ProcessTable.processes(containing: "sleep 43.\(mark)").isEmpty })
    }

    /// Something that left the child's group (`setsid`) and still holds its stdout cannot keep the output from
    /// ending once the run closes it; what was written before is delivered.
    @Test func closingTheOutputEndsItThoughAnEscapedProcessHoldsThePipe() async throws {
        let mark = Self.marker()
        let child = try await Self.spawn("/bin/sh", ["-c", "echo before; setsid sleep 44.\(mark) & exit 0"])
        #expect(await child.exit() == .exited(0))
        let escaped = try #require(
            await pollUntil { !ProcessTable.processes(containing: "sleep 44.\(mark)").isEmpty }
                ? ProcessTable.processes(containing: "sleep 44.\(mark)").first?.pid : nil)
        defer { kill(escaped, SIGKILL) }
        await child.closeOutput()
        #expect(await child.output.joined().standardOutput == "before\n")
    }

    @Test func aWaitStatusReadsAsAnExitOrASignal() {
        #expect(ProcessExit(waitStatus: 0) == .exited(0))
        #expect(ProcessExit(waitStatus: 3 << 8) == .exited(3))
        #expect(ProcessExit(waitStatus: SIGKILL) == .signaled(SIGKILL))
        #expect(ProcessExit(waitStatus: SIGSEGV | 0x80) == .signaled(SIGSEGV))
    }
}

import Foundation
import Glibc
import Kube9TestSupport
import Testing

@testable import Kube9Kit

/// The guardian on real processes: a guardian of the test's own (closing its socket is what kube9's death does
/// to it) and the process-wide one the runner starts.
@Suite struct ProcessGuardianTests {
    static func marker() -> String { "\(Int.random(in: 100_000...999_999))" }

    /// A runner whose children are registered with a guardian of this test only.
    static func runner(_ guardian: ProcessGuardian) -> ProcessRunner {
        var runner = ProcessRunner()
        runner.guardian = guardian
        return runner
    }

    static func guardian() -> ProcessGuardian { ProcessGuardian(label: "kube9-guardian-test-\(marker())") }

    @Test func whenKube9sEndClosesItStopsEveryGroupWithItsGrandchildrenAndExits() async throws {
        let guardian = Self.guardian()
        let runner = Self.runner(guardian)
        let mark = Self.marker()
        // A shell with two grandchildren, one of which ignores SIGTERM (only the SIGKILL stage ends it).
        let first = try await runner.launch(
            executable: "sh", arguments: ["-c", "sleep 51.\(mark) & sh -c \"trap '' TERM; sleep 52.\(mark)\" & wait"])
        let second = try await runner.launch(executable: "sleep", arguments: ["53.\(mark)"])
        #expect(await pollUntil { [51, 52, 53].allSatisfy { number in
            ProcessTable.processes(containing: "sleep \(number).\(mark)").contains { $0.commandLine.split(separator: " ").first?.hasSuffix("sleep") == true }
        } })
        let guardianID = try #require(guardian.processID)
        #expect(guardian.registeredGroups == [first.processID, second.processID])

        let closed = ContinuousClock.now
        guardian.close()
        #expect(
            await pollUntil(timeout: .seconds(1)) { ProcessTable.processes(containing: ".\(mark)").isEmpty },
            "left: \(ProcessTable.describe(ProcessTable.processes(containing: ".\(mark)")))")
        #expect(await pollUntil(timeout: .seconds(1)) { !ProcessTable.isAlive(guardianID) })
        print("guardian closed: its groups and itself gone after \(ContinuousClock.now - closed)")
        #expect(await first.waitForExit() == .signaled(SIGTERM))
        #expect(await second.waitForExit() == .signaled(SIGTERM))
    }

    @Test func anUnregisteredGroupIsLeftAlone() async throws {
        let guardian = Self.guardian()
        let runner = Self.runner(guardian)
        let mark = Self.marker()
        let processes = try await [54, 55, 56].asyncMap { try await runner.launch(executable: "sleep", arguments: ["\($0).\(mark)"]) }
        guardian.unregister(processes[1].processID)
        guardian.close()
        #expect(await processes[0].waitForExit() == .signaled(SIGTERM))
        #expect(await processes[2].waitForExit() == .signaled(SIGTERM))
        #expect(ProcessTable.isAlive(processes[1].processID))
        await processes[1].terminate()
    }

    @Test func itIgnoresTerminalSignalsAndRunsInItsOwnGroup() async throws {
        let guardian = Self.guardian()
        let process = try await Self.runner(guardian).launch(executable: "sleep", arguments: ["30"])
        let id = try #require(guardian.processID)
        // The shell sets its traps once it runs (the spawn returns before that); a signal ignored then stays so.
        for signal in [SIGINT, SIGHUP, SIGTERM, SIGQUIT] {
            #expect(await pollUntil(timeout: .seconds(5)) { ProcessTable.ignoresOrBlocks(signal, pid: id) }, "signal \(signal)")
        }
        #expect(getpgid(id) == id)
        #expect(getpgid(id) != getpgrp())
        kill(id, SIGINT)
        kill(id, SIGHUP)
        kill(id, SIGTERM)
        #expect(ProcessTable.isAlive(id))
        guardian.close()
        #expect(await process.waitForExit() == .signaled(SIGTERM))
    }

    @Test func aKilledGuardianIsReplacedAndGetsTheLiveGroupsAgain() async throws {
        let guardian = Self.guardian()
        let runner = Self.runner(guardian)
        let mark = Self.marker()
        let before = try await runner.launch(executable: "sleep", arguments: ["57.\(mark)"])
        let killed = try #require(guardian.processID)
        kill(killed, SIGKILL)
        // Noticed through the guardian's pidfd (the deadline is for a loaded machine).
        #expect(await pollUntil(timeout: .seconds(60)) { guardian.processID == nil })
        let after = try await runner.launch(executable: "sleep", arguments: ["58.\(mark)"])
        let replacement = try #require(guardian.processID)
        #expect(replacement != killed)
        guardian.close()
        #expect(await before.waitForExit() == .signaled(SIGTERM))
        #expect(await after.waitForExit() == .signaled(SIGTERM))
    }

    /// The process-wide guardian: one per process, a child of it, and kube9's end of the socket is in no child
    /// (a child holding it would keep the guardian from seeing kube9's death).
    @Test func oneGuardianPerProcessAndNoChildHoldsItsSocket() async throws {
        let runner = ProcessRunner()
        let processes = try await [1, 2, 3].asyncMap { _ in try await runner.launch(executable: "sleep", arguments: ["30"]) }
        let guardians = ProcessTable.processes(containing: "kube9-guardian \(getpid())")
        #expect(guardians.count == 1, "\(ProcessTable.describe(guardians))")
        #expect(guardians.first?.pid == ProcessGuardian.shared.processID)
        let stat = try String(contentsOfFile: "/proc/\(try #require(ProcessGuardian.shared.processID))/stat", encoding: .utf8)
        let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
        #expect(Int32(fields[1]) == getpid(), "the guardian is this process's child")
        // Once started (the dynamic loader opens files for an instant on its way to running sleep), a
        // child holds only 0, 1 and 2: a descriptor kube9 leaked to it (the guardian's socket) would stay.
        for process in processes {
            let path = "/proc/\(process.processID)/fd"
            let settled = await pollUntil(timeout: .seconds(5)) {
                Set((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []) == ["0", "1", "2"]
            }
            #expect(settled, "\((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])")
            await process.terminate()
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}

import Foundation
import Kube9TestSupport
import Testing

/// The test support every other test target relies on: deadlines hold, and nothing is left running.
@Suite struct TestSupportTests {
    @Test func harnessShutdownKillsWhatItSpawned() async throws {
        let sim = try await SimHarness.start()
        let (forward, _) = try await sim.startPortForward("pod/web-0", remotePort: 80, namespace: "default")
        let pid = forward.pid
        #expect(kill(pid, 0) == 0)
        await sim.shutdown()
        #expect(!forward.isRunning)
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
        #expect(!FileManager.default.fileExists(atPath: sim.directory))
    }

    @Test func runProcessKillsAtTheDeadline() async throws {
        let start = ContinuousClock.now
        await #expect(throws: TestSupportError.self) {
            try await runProcess(["/bin/sleep", "30"], timeout: .milliseconds(300))
        }
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test func runProcessReportsStatusAndOutput() async throws {
        let result = try await runProcess(["/bin/sh", "-c", "echo out; echo err >&2; exit 3"], timeout: .seconds(10))
        #expect(result.status == 3)
        #expect(result.stdout == "out\n")
        #expect(result.stderr == "err\n")
    }

    @Test func signalledProcessReportsTheSignal() async throws {
        let process = try SpawnedProcess.start(argv: ["/bin/sleep", "30"])
        // The child must not inherit the test runner's blocked signals.
        try #require(await pollUntil(timeout: .seconds(5)) {
            ((try? String(contentsOfFile: "/proc/\(process.pid)/cmdline", encoding: .utf8)) ?? "").hasPrefix("/bin/sleep")
        }, "sleep running")
        let status = try String(contentsOfFile: "/proc/\(process.pid)/status", encoding: .utf8)
        #expect(status.split(separator: "\n").contains("SigBlk:\t0000000000000000"))
        process.terminate()
        let result = try await process.waitForExit(timeout: .seconds(10))
        #expect(result.status == 128 + SIGTERM)
    }

    @Test func waitForLineSeesLinesAsTheyArriveAndFailsWhenTheProcessEnds() async throws {
        let process = try SpawnedProcess.start(argv: ["/bin/sh", "-c", "echo first; sleep 0.2; echo second >&2; sleep 0.2"])
        let line = try await process.waitForLine(containing: "second", in: .stderr, timeout: .seconds(10))
        #expect(line == "second")
        await #expect(throws: TestSupportError.self) {
            try await process.waitForLine(containing: "never", timeout: .seconds(10))
        }
        #expect(process.stdoutLines == ["first"])
    }

    @Test func childrenInheritOnlyTheirStandardDescriptors() async throws {
        let leaky = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)  // deliberately without close-on-exec
        defer { close(leaky) }
        let result = try await runProcess(["/bin/ls", "/proc/self/fd"], timeout: .seconds(10))
        let fds = result.stdout.split(separator: "\n").compactMap { Int($0) }.filter { $0 > 2 }
        // ls itself opens one descriptor to read the directory.
        #expect(fds.count <= 1, "inherited descriptors: \(fds)")
    }

    @Test func utf8SplitAcrossWritesArrivesWhole() async throws {
        // "é" (C3 A9) and "─" (E2 94 80) written byte by byte with pauses in between.
        let script = #"printf '\303'; sleep 0.1; printf '\251 \342'; sleep 0.1; printf '\224'; sleep 0.1; printf '\200\n'"#
        let result = try await runProcess(["/bin/sh", "-c", script], timeout: .seconds(10))
        #expect(result.stdout == "é ─\n")
    }

    @Test func pollUntilChecksUntilTheConditionHoldsOrTheDeadlinePasses() async {
        let started = ContinuousClock.now
        #expect(await pollUntil(timeout: .milliseconds(100)) { false } == false)
        #expect(ContinuousClock.now - started >= .milliseconds(100))
        let counter = Counter()
        #expect(await pollUntil(timeout: .seconds(5)) { counter.increment() >= 3 })
        #expect(counter.increment() == 4, "no check after the condition held")
    }

    @Test func freeTCPPortIsBindable() {
        let port = freeTCPPort()
        #expect(port != 8080)
        #expect((1024...65535).contains(port))
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(bound == 0)
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}

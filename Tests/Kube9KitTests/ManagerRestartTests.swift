import Foundation
import Kube9TestSupport
import Synchronization
import Testing

@testable import Kube9Kit

/// The manager over fake kubectl processes whose end the test controls: what a stop followed at once by a start
/// of the same port does.
@Suite struct ManagerRestartTests {
    @Test func aStartOnAPortWhoseForwardIsStillStoppingWaitsForThePortInsteadOfCallingItBusy() async throws {
        let launcher = ControlledLauncher()
        let manager = PortForwardManager(
            configuration: KubectlConfiguration(kubectlPath: "/nonexistent/kubectl"), logger: ProcessRunner.silentLogger,
            connectTimeout: .seconds(10), launcher: launcher, clock: SystemForwardClock())
        let port = freeTCPPort()
        let request = ForwardRequest(context: "c", namespace: "n", name: "p", localPort: port, remotePort: 80)
        let first = try await manager.startForward(request)
        #expect(first.status == .connected)

        // Stop: kubectl is told to end and has not exited yet, so the forward is stopping (its record stays).
        let stopping = Task { try await manager.stopForward(id: first.id) }
        #expect(await pollUntil { launcher.terminateRequests == 1 })
        #expect(await manager.forwards().map(\.status) == [.stopped])

        // A start of the same port now waits for that stop instead of answering "already in use".
        let restart = Task { try await manager.startForward(request) }
        #expect(await pollUntil { await manager.forwards().count == 1 && launcher.launches == 1 }, "nothing new spawned yet")
        launcher.exitAll()
        try await stopping.value
        let second = try await restart.value
        #expect(second.status == .connected)
        #expect(launcher.launches == 2)
        #expect(await manager.forwards().map(\.status) == [.connected])

        let ending = Task { try await manager.stopForward(id: second.id) }
        #expect(await pollUntil { launcher.terminateRequests == 2 })
        launcher.exitAll()
        try await ending.value
        #expect(await manager.forwards().isEmpty)
    }
}

/// Launches fake kubectl processes that print `Forwarding from 127.0.0.1:N -> R` at once and exit only when the
/// test says so (`exitAll`), however often they are asked to terminate.
private final class ControlledLauncher: ForwardBackendLauncher {
    private let state = Mutex<(launches: Int, terminateRequests: Int, running: [ControlledProcess])>((0, 0, []))

    var launches: Int { state.withLock { $0.launches } }
    var terminateRequests: Int { state.withLock { $0.terminateRequests } }

    func launch(arguments: [String]) async throws(KubeError) -> any ForwardBackendProcess {
        let remote = arguments.first { $0.hasPrefix(":") }.map { String($0.dropFirst()) } ?? "80"
        let process = ControlledProcess(processID: Int32(900_000 + launches)) { [weak self] in
            self?.state.withLock { $0.terminateRequests += 1 }
        }
        process.print("Forwarding from 127.0.0.1:\(freeTCPPort()) -> \(remote)\n")
        state.withLock {
            $0.launches += 1
            $0.running.append(process)
        }
        return process
    }

    func exitAll() {
        let running = state.withLock { state in
            defer { state.running = [] }
            return state.running
        }
        for process in running { process.exit() }
    }
}

private final class ControlledProcess: ForwardBackendProcess {
    let processID: Int32
    let output: AsyncStream<RunningProcess.Output>
    private let sink: AsyncStream<RunningProcess.Output>.Continuation
    /// nil once exited; else whoever waits for the exit.
    private let waiters = Mutex<[CheckedContinuation<Void, Never>]?>([])
    private let onTerminate: @Sendable () -> Void

    init(processID: Int32, onTerminate: @escaping @Sendable () -> Void) {
        self.processID = processID
        self.onTerminate = onTerminate
        (output, sink) = AsyncStream.makeStream()
    }

    func print(_ line: String) { sink.yield(.standardOutput(Array(line.utf8))) }

    func exit() {
        sink.finish()
        let waiting = waiters.withLock { waiters in
            defer { waiters = nil }
            return waiters ?? []
        }
        for waiter in waiting { waiter.resume() }
    }

    func waitForExit() async -> ProcessExit {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = waiters.withLock { waiters in
                guard waiters != nil else { return true }
                waiters?.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
        return .signaled(SIGTERM)
    }

    func terminate() async -> ProcessExit {
        onTerminate()
        return await waitForExit()
    }
}

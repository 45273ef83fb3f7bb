/// A forward's kubectl as the manager sees it: its id, its output, its end. ``RunningProcess`` in production,
/// fakes in tests.
protocol ForwardBackendProcess: Sendable {
    var processID: Int32 { get }
    /// Chunks of stdout/stderr in order; finishes once both are closed. Single consumer.
    var output: AsyncStream<RunningProcess.Output> { get }
    func waitForExit() async -> ProcessExit
    @discardableResult func terminate() async -> ProcessExit
}

extension RunningProcess: ForwardBackendProcess {}

/// Starts a forward's kubectl from its argv (after the executable).
protocol ForwardBackendLauncher: Sendable {
    func launch(arguments: [String]) async throws(KubeError) -> any ForwardBackendProcess
}

/// The production launcher: kubectl through the ``ProcessRunner``.
struct KubectlBackendLauncher: ForwardBackendLauncher {
    var runner: ProcessRunner
    var kubectlPath: String
    var connectTimeout: Duration

    func launch(arguments: [String]) async throws(KubeError) -> any ForwardBackendProcess {
        do {
            return try await runner.launch(executable: kubectlPath, arguments: arguments)
        } catch {
            throw KubectlClient.kubeError(error, timeout: connectTimeout)
        }
    }
}

/// The clock the manager's timers run on: the continuous clock in production, a fake in tests.
protocol ForwardClock: Sendable {
    var now: ContinuousClock.Instant { get }
    func sleep(for duration: Duration) async throws
}

struct SystemForwardClock: ForwardClock {
    var now: ContinuousClock.Instant { ContinuousClock.now }
    func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

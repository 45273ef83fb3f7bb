/// A child process that runs until it exits or is terminated; its output arrives as chunks, in order.
public final class RunningProcess: Sendable {
    public enum Output: Sendable, Equatable {
        case standardOutput([UInt8])
        case standardError([UInt8])
    }

    public let processID: Int32
    /// Chunks of stdout/stderr as the child writes them; finishes once both streams are closed.
    /// Single consumer.
    public let output: AsyncStream<Output>
    private let run: Task<ProcessExit, Never>

    init(processID: Int32, output: AsyncStream<Output>, run: Task<ProcessExit, Never>) {
        self.processID = processID
        self.output = output
        self.run = run
    }

    /// Waits for the child to exit on its own (and be reaped).
    public func waitForExit() async -> ProcessExit {
        await run.value
    }

    /// SIGTERM, then SIGKILL if the child has not exited 1 s later; returns once the child has really exited
    /// and been reaped. Safe to call more than once and concurrently.
    @discardableResult
    public func terminate() async -> ProcessExit {
        run.cancel()
        return await run.value
    }
}

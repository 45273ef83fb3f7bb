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
    /// Ends once the child has exited, has been reaped and nothing is left alive in its process group.
    private let run: Task<ProcessExit, Never>
    private let group: ProcessGroup

    init(processID: Int32, output: AsyncStream<Output>, run: Task<ProcessExit, Never>, group: ProcessGroup) {
        self.processID = processID
        self.output = output
        self.run = run
        self.group = group
    }

    /// Waits for the child to exit on its own (and be reaped), and for whatever it left in its process group to
    /// be stopped.
    public func waitForExit() async -> ProcessExit {
        await run.value
    }

    /// SIGTERM to the child's process group, then SIGKILL to the group if anything in it is alive 1 s later;
    /// returns once the child has exited and been reaped and nothing in its group is alive. Safe to call more
    /// than once and concurrently.
    @discardableResult
    public func terminate() async -> ProcessExit {
        group.stop()
        return await run.value
    }
}

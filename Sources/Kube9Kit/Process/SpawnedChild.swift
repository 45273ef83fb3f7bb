import Glibc
import Synchronization

/// A child ``ChildSpawner`` started, followed without polling: its exit through its pidfd (readable once it has
/// exited, then `waitpid` for that one pid, never -1, so other code's children stay theirs to reap), its output
/// through non-blocking pipes. All three are watched by ``ChildEventLoop``, so nothing runs while the child is
/// quiet, and the chunks of both streams are delivered in the order they are read.
///
/// Unchecked Sendable: `pipes` and `exitDescriptor` are set in `init` and touched on the loop's thread only from
/// then on; the exit is behind a lock.
final class SpawnedChild: @unchecked Sendable {
    let processID: pid_t
    /// stdout and stderr chunks as they come; finishes when both pipes are at end of file, or at
    /// ``closeOutput()``. Single consumer.
    let output: AsyncStream<RunningProcess.Output>

    private struct Exit {
        var status: ProcessExit?
        var waiters: [CheckedContinuation<ProcessExit, Never>] = []
    }

    private let loop = ChildEventLoop.shared
    private let exitState = Mutex(Exit())
    private let sink: AsyncStream<RunningProcess.Output>.Continuation
    /// On the loop's thread: the open pipes (whether each is stdout). The loop's handlers hold this object until
    /// they are unwatched.
    private var pipes: [Int32: Bool] = [:]
    /// On the loop's thread: the pidfd, until the child is reaped.
    private var exitDescriptor: Int32?

    init(_ spawned: ChildSpawner.Spawned) {
        processID = spawned.processID
        (output, sink) = AsyncStream.makeStream(of: RunningProcess.Output.self)
        let streams: [(Int32?, Bool)] = [(spawned.standardOutput, true), (spawned.standardError, false)]
        for case (let descriptor?, let isStandardOutput) in streams { pipes[descriptor] = isStandardOutput }
        if pipes.isEmpty { sink.finish() }
        exitDescriptor = spawned.processDescriptor
        // Watched once this object is whole (the handlers read its state on the loop's thread).
        for (descriptor, isStandardOutput) in pipes {
            loop.watch(descriptor) { self.read(descriptor, isStandardOutput: isStandardOutput) }
        }
        loop.watch(spawned.processDescriptor) { self.reap() }
    }

    /// Returns once the child has exited and been reaped.
    func exit() async -> ProcessExit {
        await withCheckedContinuation { continuation in
            let known: ProcessExit? = exitState.withLock { state in
                if let status = state.status { return status }
                state.waiters.append(continuation)
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
    }

    /// Reads what is left in the pipes and ends ``output``, even if something outside the child's group still
    /// holds a pipe open. For the end of a run, once nothing in the child's group is alive.
    func closeOutput() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            loop.execute {
                for (descriptor, isStandardOutput) in self.pipes.sorted(by: { $0.key < $1.key }) {
                    self.read(descriptor, isStandardOutput: isStandardOutput, toEnd: true)
                }
                continuation.resume()
            }
        }
    }

    /// On the loop's thread: everything the pipe holds now, in chunks; at end of file (or at `toEnd`) the stream
    /// is closed.
    private func read(_ descriptor: Int32, isStandardOutput: Bool, toEnd: Bool = false) {
        guard pipes[descriptor] != nil else { return }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                let chunk = Array(buffer[..<count])
                sink.yield(isStandardOutput ? .standardOutput(chunk) : .standardError(chunk))
                continue
            }
            if count < 0, errno == EINTR { continue }
            if count < 0, errno == EAGAIN, !toEnd { return }
            break
        }
        pipes.removeValue(forKey: descriptor)
        loop.unwatchAndClose(descriptor)
        if pipes.isEmpty { sink.finish() }
    }

    /// On the loop's thread, when the pidfd is readable: the child has exited.
    private func reap() {
        guard let descriptor = exitDescriptor else { return }
        var status: Int32 = 0
        let reaped = waitpid(processID, &status, WNOHANG)
        if reaped == 0 { return }
        if reaped < 0, errno == EINTR { return }
        let exit: ProcessExit = reaped == processID ? ProcessExit(waitStatus: status) : .unknown
        exitDescriptor = nil
        loop.unwatchAndClose(descriptor)
        let waiters = exitState.withLock { state in
            state.status = exit
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: exit) }
    }
}

import Dispatch
import Glibc
import Synchronization

/// A child ``ChildSpawner`` started, followed without polling: its exit through its pidfd (readable once it has
/// exited, then `waitpid` for that one pid, never -1, so other code's children stay theirs to reap), its output
/// through non-blocking pipes. All three are dispatch read sources on one serial queue, so nothing runs while the
/// child is quiet, and the chunks of both streams are delivered in the order they are read.
///
/// Unchecked Sendable: the sources are created in `init` and touched on `queue` only from then on; the exit is
/// behind a lock.
final class SpawnedChild: @unchecked Sendable {
    let processID: pid_t
    /// stdout and stderr chunks as they come; finishes when both pipes are at end of file, or at
    /// ``closeOutput()``. Single consumer.
    let output: AsyncStream<RunningProcess.Output>

    private struct Exit {
        var status: ProcessExit?
        var waiters: [CheckedContinuation<ProcessExit, Never>] = []
    }

    private let queue: DispatchQueue
    private let exitState = Mutex(Exit())
    private let sink: AsyncStream<RunningProcess.Output>.Continuation
    /// On `queue`: the open pipes' sources. Their handlers hold this object until they are cancelled.
    private var pipes: [Int32: (source: any DispatchSourceRead, isStandardOutput: Bool)] = [:]
    /// On `queue`: the pidfd's source until it has fired.
    private var exitSource: (any DispatchSourceRead)?

    init(_ spawned: ChildSpawner.Spawned) {
        processID = spawned.processID
        queue = DispatchQueue(label: "kube9.child.\(spawned.processID)")
        (output, sink) = AsyncStream.makeStream(of: RunningProcess.Output.self)
        let streams: [(Int32?, Bool)] = [(spawned.standardOutput, true), (spawned.standardError, false)]
        for case (let descriptor?, let isStandardOutput) in streams {
            let source = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: queue)
            source.setEventHandler { self.read(descriptor, isStandardOutput: isStandardOutput) }
            source.setCancelHandler { close(descriptor) }
            pipes[descriptor] = (source, isStandardOutput)
        }
        if pipes.isEmpty { sink.finish() }
        let processDescriptor = spawned.processDescriptor
        let source = DispatchSource.makeReadSource(fileDescriptor: processDescriptor, queue: queue)
        source.setEventHandler { self.reap() }
        source.setCancelHandler { close(processDescriptor) }
        exitSource = source
        queue.async {
            for pipe in self.pipes.values { pipe.source.activate() }
            self.exitSource?.activate()
        }
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
            queue.async {
                for (descriptor, pipe) in self.pipes.sorted(by: { $0.key < $1.key }) {
                    self.read(descriptor, isStandardOutput: pipe.isStandardOutput, toEnd: true)
                }
                continuation.resume()
            }
        }
    }

    /// On `queue`: everything the pipe holds now, in chunks; at end of file (or at `toEnd`) the stream is closed.
    private func read(_ descriptor: Int32, isStandardOutput: Bool, toEnd: Bool = false) {
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
        guard let pipe = pipes.removeValue(forKey: descriptor) else { return }
        pipe.source.cancel()
        if pipes.isEmpty { sink.finish() }
    }

    /// On `queue`, when the pidfd is readable: the child has exited.
    private func reap() {
        var status: Int32 = 0
        let reaped = waitpid(processID, &status, WNOHANG)
        if reaped == 0 { return }
        if reaped < 0, errno == EINTR { return }
        let exit: ProcessExit = reaped == processID ? ProcessExit(waitStatus: status) : .unknown
        exitSource?.cancel()
        exitSource = nil
        let waiters = exitState.withLock { state in
            state.status = exit
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: exit) }
    }
}

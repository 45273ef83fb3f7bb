import Foundation
import Glibc
import Logging
import Synchronization

/// kube9's side of Ctrl-Z with forwards running: before kube9 stops, ``hold(_:)`` starts a forward holder
/// (`kube9 hold`, ``ForwardHolder``) through the ``ProcessRunner`` (its own process group, so the shell sees only
/// kube9 stopped; registered with the guardian, so it dies with kube9 however kube9 dies), hands it duplicates of
/// the listening sockets of the connected forwards with their backends' ports, and returns once it accepts on them.
/// kube9's own listeners on those ports must not accept meanwhile (the caller pauses them first: two acceptors on
/// one socket are each woken for connections the other takes). Once kube9 is continued, ``release()`` returns when
/// the holder no longer accepts, with the ports kube9 may accept on again; the holder exits when its last
/// connection closes. ``endAll()`` (quit, stop all, a signal) ends every holder at once.
public final class ForwardHandover: Sendable {
    /// A forward to hand over: its local port (every address it listens on) and its backend kubectl's port.
    public struct Target: Sendable, Equatable {
        public var localPort: Int
        public var backendPort: Int

        public init(localPort: Int, backendPort: Int) {
            self.localPort = localPort
            self.backendPort = backendPort
        }
    }

    /// How long the holder may take to start and accept.
    public static let readyTimeout: Duration = .seconds(10)

    private struct Holder: Sendable {
        let process: RunningProcess
        /// kube9's end of the socket pair, open until the holder has exited (closing it ends the holder).
        let socket: Int32
        var released = false
    }

    private let runner: ProcessRunner
    private let executable: String
    private let logger: Logger
    private let holders = Mutex<[Int32: Holder]>([:])
    /// The ports of the last ``hold(_:)`` not yet released.
    private let heldPorts = Mutex<Set<Int>>([])

    /// `executable`: the kube9 binary (its `hold` subcommand is the holder).
    public init(runner: ProcessRunner, executable: String, logger: Logger) {
        self.runner = runner
        self.executable = executable
        self.logger = logger
    }

    /// This process's own executable (what `/proc/self/exe` names).
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The pids of the holders still running.
    public var processIDs: [Int32] { holders.withLock { Array($0.keys) } }

    /// `targets` but for a port two forwards share (on other addresses) with other backends: sockets are found by
    /// port, so those are left to wait for kube9, not relayed to the wrong backend.
    public static func unambiguous(_ targets: [Target]) -> [Target] {
        Dictionary(grouping: targets, by: \.localPort).values.compactMap { sharing in
            Set(sharing.map(\.backendPort)).count == 1 ? sharing[0] : nil
        }
    }

    /// Hands the ``unambiguous(_:)`` `targets` over to a new holder; returns once it accepts on every socket (at
    /// once when there is none). Their ports are what ``release()`` returns.
    public func hold(_ targets: [Target]) async throws(KubeError) {
        let backends = Dictionary(uniqueKeysWithValues: Self.unambiguous(targets).map { ($0.localPort, $0.backendPort) })
        heldPorts.withLock { $0.formUnion(backends.keys) }
        let sockets = ListeningSockets.duplicates(onPorts: Set(backends.keys))
        defer { for socket in sockets { close(socket.descriptor) } }
        guard !sockets.isEmpty else { return }
        guard let pair = HolderSocket.pair() else { throw KubeError(.other, Messages.holderSocketPairFailed(errno: errno)) }
        let process: RunningProcess
        do {
            process = try await runner.launch(executable: executable, arguments: ["hold", "\(getpid())"], standardInput: pair.holder)
        } catch {
            close(pair.kube9)
            throw KubeError(.other, Messages.holderNotStarted("\(error)"))
        }
        let holder = Holder(process: process, socket: pair.kube9)
        holders.withLock { $0[process.processID] = holder }
        Task {
            _ = await process.waitForExit()
            // Closed under the lock: whoever finds the holder registered (under the lock) uses an open socket.
            self.holders.withLock { holders in
                holders.removeValue(forKey: process.processID)
                close(pair.kube9)
            }
        }
        let watched = holders.withLock { holders -> Int32 in
            guard holders[process.processID] != nil else { return -1 }
            for socket in sockets {
                HolderSocket.send("\(HolderSocket.listen) \(backends[socket.port] ?? 0)", descriptor: socket.descriptor, on: pair.kube9)
            }
            HolderSocket.send(HolderSocket.serve, on: pair.kube9)
            return fcntl(pair.kube9, F_DUPFD_CLOEXEC, 0)
        }
        let reply = await Self.reply(onCopy: watched, within: Self.readyTimeout)
        guard reply == HolderSocket.ready else {
            await process.terminate()
            throw KubeError(.other, Messages.holderDidNotAnswer(reply))
        }
        logger.info("forwards handed over", metadata: ["holder": "\(process.processID)", "sockets": "\(sockets.count)"])
    }

    /// The holders stop accepting; returns once they have (or have gone, or ``releaseTimeout`` passed), with the
    /// ports kube9 may accept on again. Each holder exits once its last connection has closed.
    public func release() async -> Set<Int> {
        let releasing = holders.withLock { holders in
            var releasing: [Int32] = []
            for (pid, holder) in holders where !holder.released {
                HolderSocket.send(HolderSocket.release, on: holder.socket)
                holders[pid]?.released = true
                releasing.append(fcntl(holder.socket, F_DUPFD_CLOEXEC, 0))
            }
            return releasing
        }
        for copy in releasing { _ = await Self.reply(onCopy: copy, within: Self.releaseTimeout) }
        return heldPorts.withLock { ports in
            defer { ports = [] }
            return ports
        }
    }

    /// How long a holder may take to stop accepting.
    public static let releaseTimeout: Duration = .seconds(5)

    /// Ends every holder now (their connections close); returns once they have exited.
    public func endAll() async {
        let running = holders.withLock { Array($0.values) }
        for holder in running { await holder.process.terminate() }
    }

    /// The holder's answer, or nil when it has gone or not answered within `timeout`.
    ///
    /// `watched` is a copy of the holder's socket, made while the holder was registered (its socket open), and
    /// owned from here: the child event loop watches it and closes it, once, on its own thread (after the answer, or
    /// at the deadline). The socket itself is closed when the holder exits, which can come first; a copy is never
    /// closed or reused under the watch.
    private static func reply(onCopy watched: Int32, within timeout: Duration) async -> String? {
        guard watched >= 0 else { return nil }
        let loop = ChildEventLoop.shared
        let (replies, sink) = AsyncStream.makeStream(of: String?.self)
        // On the loop's thread, by whichever comes first, the answer or the deadline; the other does nothing.
        let done = Once()
        let finish: @Sendable (String?) -> Void = { answer in
            guard done.first() else { return }
            loop.unwatchAndClose(watched)
            sink.yield(answer)
            sink.finish()
        }
        loop.watch(watched) {
            // Readable: a message, or the end of file of a holder that has gone (nil). A wake-up with nothing to read
            // (the loop allows them) keeps watching. One message only: a later one is the next reply's.
            var byte: UInt8 = 0
            let peeked = recv(watched, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
            if peeked < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return }
            // A message is there (peeked): the read does not block.
            finish(peeked > 0 ? HolderSocket.receive(on: watched)?.text : nil)
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            loop.execute { finish(nil) }
        }
        var answer: String?
        for await reply in replies {
            answer = reply
            break
        }
        timer.cancel()
        return answer
    }
}

/// True the first time ``first()`` is called, false after.
private final class Once: Sendable {
    private let called = Mutex(false)

    func first() -> Bool {
        called.withLock { called in
            defer { called = true }
            return !called
        }
    }
}

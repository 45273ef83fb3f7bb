import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// This process's control socket: `<pid>.sock` in the user's ``ControlDirectory``, served on a NIO event loop
/// (never the UI thread). Every connection: the peer's uid is checked (SO_PEERCRED), one request line of at most
/// ``ControlProtocol/maxRequestBytes`` must arrive within ``requestTimeout``, one response line goes back, and the
/// connection is closed. At most ``maxConnections`` are served at once; more are closed at once.
public final class ControlServer: Sendable {
    public static let requestTimeout: TimeAmount = .seconds(5)
    public static let maxConnections = 32

    public let socketPath: String
    public let instance: ControlInstance
    private let channel: any Channel
    private let open: OpenConnections

    private init(socketPath: String, instance: ControlInstance, channel: any Channel, open: OpenConnections) {
        self.socketPath = socketPath
        self.instance = instance
        self.channel = channel
        self.open = open
    }

    /// Binds the socket (0600) after removing the stale sockets of dead processes.
    public static func start(
        kind: ControlInstanceKind, actions: ControlActions, directory: ControlDirectory = ControlDirectory(),
        logger: Logger
    ) async throws(ControlError) -> ControlServer {
        do {
            return try await bind(kind: kind, actions: actions, directory: directory, logger: logger)
        } catch {
            logger.warning("no control socket", metadata: ["error": "\(error.message)"])
            throw error
        }
    }

    private static func bind(
        kind: ControlInstanceKind, actions: ControlActions, directory: ControlDirectory, logger: Logger
    ) async throws(ControlError) -> ControlServer {
        try directory.prepare()
        directory.removeStaleSockets()
        let pid = getpid()
        let path = directory.socketPath(pid: pid)
        unlink(path)
        let instance = ControlInstance(pid: pid, kind: kind, startedAt: Date())
        let owner = geteuid()
        let open = OpenConnections()
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .childChannelInitializer { channel in
                guard open.enter() else { return channel.close() }
                channel.closeFuture.whenComplete { _ in open.leave() }
                return Self.peerUID(of: channel).flatMapThrowing { uid in
                    let handler = ControlConnectionHandler(
                        authorized: uid == owner, actions: actions, instance: instance, logger: logger)
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(unixDomainSocketPath: path).get()
        } catch {
            throw ControlError("cannot listen on \(path): \(error)")
        }
        chmod(path, 0o600)
        logger.info("control socket", metadata: ["path": "\(path)"])
        return ControlServer(socketPath: path, instance: instance, channel: channel, open: open)
    }

    /// Stops listening and removes the socket.
    public func stop() {
        channel.close(promise: nil)
        unlink(socketPath)
    }

    /// Stops listening, lets the connections being served finish (the answer to the `kube9 stop` that ended this
    /// process) for at most `deadline`, and removes the socket.
    public func stopAfterAnswering(deadline: Duration = .seconds(2)) async {
        channel.close(promise: nil)
        await open.idle(timeout: deadline)
        unlink(socketPath)
    }

    /// The connecting process's uid (SO_PEERCRED); nil when it cannot be read.
    private static func peerUID(of channel: any Channel) -> EventLoopFuture<uid_t?> {
        guard let provider = channel as? any SocketOptionProvider else { return channel.eventLoop.makeSucceededFuture(nil) }
        let credentials: EventLoopFuture<PeerCredentials> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(PeerCredentials.option))
        return credentials.map { Optional($0.uid) }.recover { _ in nil }
    }
}

/// `struct ucred` of Linux (SO_PEERCRED).
struct PeerCredentials: Sendable {
    static let option: Int32 = 17
    var pid: Int32 = 0
    var uid: uid_t = 0
    var gid: gid_t = 0
}

/// How many connections are being served, and who waits for none.
private final class OpenConnections: Sendable {
    private struct State {
        var count = 0
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    func enter() -> Bool {
        state.withLock { state in
            guard state.count < ControlServer.maxConnections else { return false }
            state.count += 1
            return true
        }
    }

    func leave() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.count -= 1
            guard state.count == 0 else { return [] }
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once no connection is being served, or after `timeout`.
    func idle(timeout: Duration) async {
        await withCheckedContinuation { continuation in
            let id = state.withLock { state -> Int? in
                if state.count == 0 { return nil }
                state.nextWaiter += 1
                state.waiters[state.nextWaiter] = continuation
                return state.nextWaiter
            }
            guard let id else { return continuation.resume() }
            Task {
                try? await Task.sleep(for: timeout)
                self.state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
            }
        }
    }
}

extension ControlServer {
    /// ``start(kind:actions:directory:logger:)`` for the headless commands: when the socket cannot be served the
    /// process goes on without it, and says so on stderr.
    public static func serve(kind: ControlInstanceKind, actions: ControlActions, logger: Logger) async -> ControlServer? {
        do {
            return try await start(kind: kind, actions: actions, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("kube9: no control socket (kube9 status/ls/stop will not see this process): \(error.message)\n".utf8))
            return nil
        }
    }
}

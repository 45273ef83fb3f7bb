import CSpawn
import Foundation
import Glibc
import NIOCore
import NIOPosix
import Synchronization

/// kube9's own listener on a forward's local address and port, and the relays behind it.
///
/// While the manager has published a backend for the fast path (``publishBackend(_:fastPath:)``: the forward is
/// connected) and its kubectl runs, an accepted connection is relayed to it at once, on its event loop (no hop to
/// the manager before the first byte). Otherwise it is not read (held) and handed to the manager, whose lifecycle
/// decides. Nothing is relayed to the port of a published backend whose kubectl has exited, even before the manager
/// has heard: that port may be anyone's by then. Either way the manager
/// hears of it: what happens to connections is queued here as ``Event``s, in order, and `wake` asks the manager
/// to take them (once per batch). Closing the listener closes every connection and frees the port.
final class ForwardListener: Sendable {
    /// What happened to a connection, in the order it happened.
    enum Event: Sendable {
        /// Accepted with no backend published: not read, for the lifecycle to relay or hold.
        case accepted(ConnectionID, any Channel)
        /// Accepted and relayed at once to the published backend.
        case relayed(ConnectionID)
        /// The backend refused it, or ended it before answering (its kubectl is probably going away): open, no
        /// longer read, for the lifecycle to hold.
        case refused(ConnectionID, any Channel)
        /// The local connection has closed.
        case closed(ConnectionID)
    }

    private struct Connections {
        /// Accepted connections still open (held or relayed).
        var open: [ObjectIdentifier: any Channel] = [:]
        var nextID: UInt64 = 0
        var events: [Event] = []
        /// `wake` was called and the manager has not taken the events since.
        var woken = false
        var closed = false
    }

    /// The backend kubectl connections are relayed to on the fast path.
    private struct PublishedBackend {
        var port: Int
        var pid: Int32
        /// New connections are relayed to it at once.
        var fastPath: Bool
        /// A pidfd of that kubectl, readable once it has exited (-1: it was gone when published). Once it has, its
        /// port may be anyone's, whatever the manager has heard so far.
        var exitDescriptor: Int32
    }

    private let servers: Mutex<[any Channel]>
    private let connections = Mutex(Connections())
    private let backend = Mutex<PublishedBackend?>(nil)
    private let activity: RelayActivity
    private let wake: @Sendable () -> Void

    /// Why a bind failed, for the person's message.
    enum BindFailure: Error {
        case inUse
        case needsPrivilege
        case other(String)
    }

    private init(activity: RelayActivity, wake: @escaping @Sendable () -> Void) {
        self.servers = Mutex([])
        self.activity = activity
        self.wake = wake
    }

    /// Binds every host of `address` (`localhost`: 127.0.0.1 and ::1 when this machine has IPv6) on `port` with
    /// SO_REUSEADDR, as kubectl did. Relayed bytes are counted in `activity`; `wake` runs when events wait to be
    /// taken (``takeEvents()``).
    static func bind(
        address: String, port: Int, activity: RelayActivity, wake: @escaping @Sendable () -> Void
    ) async throws(BindFailure) -> ForwardListener {
        let listener = ForwardListener(activity: activity, wake: wake)
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .forwardConnectionOptions()
            .childChannelInitializer { [weak listener] channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let listener else { throw ChannelError.ioOnClosedChannel }
                    try channel.pipeline.syncOperations.addHandler(WhenActive { listener.accepted($0) })
                }
            }
        var servers: [any Channel] = []
        for host in ForwardAddress.hosts(of: address) {
            do {
                // By address: `bind(host:)` would resolve the literal through getaddrinfo (and NSS) first.
                servers.append(try await bootstrap.bind(to: try SocketAddress(ipAddress: host.name, port: port)).get())
            } catch {
                if host.optional, Self.isUnavailableAddress(error) { continue }
                for server in servers { try? await server.close() }
                throw Self.failure(error)
            }
        }
        listener.servers.withLock { $0 = servers }
        return listener
    }

    // MARK: The manager's side

    /// The forward's backend is kubectl `pid` (a child of this process, not reaped yet) on 127.0.0.1:`port` (nil:
    /// none is ready); with `fastPath`, new connections are relayed straight to it while that kubectl runs, else
    /// they are handed to the manager. Publishing the same backend again does nothing.
    func publishBackend(_ published: (port: Int, pid: Int32)?, fastPath: Bool = true) {
        backend.withLock { current in
            if current?.port == published?.port, current?.pid == published?.pid {
                current?.fastPath = fastPath
                return
            }
            if let descriptor = current?.exitDescriptor, descriptor >= 0 { Glibc.close(descriptor) }
            current = published.map {
                PublishedBackend(
                    port: $0.port, pid: $0.pid, fastPath: fastPath, exitDescriptor: kube9_pidfd_open($0.pid))
            }
        }
    }

    /// The published backend's port for the fast path, while its kubectl runs.
    private func fastPathPort() -> Int? {
        backend.withLock { current in
            guard let current, current.fastPath, Self.runs(current) else { return nil }
            return current.port
        }
    }

    /// `port` is that of the published backend, whose kubectl has exited.
    private func isExitedBackend(port: Int) -> Bool {
        backend.withLock { current in
            guard let current, current.port == port else { return false }
            return !Self.runs(current)
        }
    }

    private static func runs(_ backend: PublishedBackend) -> Bool {
        guard backend.exitDescriptor >= 0 else { return false }
        var exit = pollfd(fd: backend.exitDescriptor, events: Int16(POLLIN), revents: 0)
        return poll(&exit, 1, 0) == 0
    }

    /// Stops (false) or resumes (true) accepting; connections wait in the listen backlog meanwhile. Returns once it
    /// holds: while another process accepts on the same sockets (a forward holder), this one must not, or each would
    /// be woken for connections the other took.
    func setAccepting(_ accepting: Bool) async {
        for server in servers.withLock({ $0 }) { try? await server.setOption(.autoRead, value: accepting).get() }
    }

    /// The events queued since the last call, in order; the next event wakes the manager again.
    func takeEvents() -> [Event] {
        connections.withLock { state in
            state.woken = false
            defer { state.events = [] }
            return state.events
        }
    }

    /// Relays a connection the lifecycle decided on (held, or refused by an earlier backend) to 127.0.0.1:`port`;
    /// refused at once when that is the port of a backend whose kubectl has exited.
    func relay(_ channel: any Channel, connection: ConnectionID, toPort port: Int) {
        guard !isExitedBackend(port: port) else {
            // Still unread (held or refused before): the lifecycle holds it for the next backend.
            queue(.refused(connection, channel))
            return
        }
        ForwardRelay.start(channel, toPort: port, activity: activity) { [weak self] in
            self?.queue(.refused(connection, channel))
        }
    }

    /// Ends a connection the lifecycle gave up on (held with no backend, or given back by one), as a server that
    /// closes would: the client reads the end of the stream, and the connection closes once the client has.
    func endUnserved(_ channel: any Channel) {
        channel.eventLoop.execute {
            guard let glue = try? channel.pipeline.syncOperations.handler(type: RelayGlueHandler.self) else {
                channel.close(promise: nil)
                return
            }
            glue.endUnserved()
        }
    }

    /// Closes the listening sockets and every connection accepted through them; returns once the port is free.
    func close() async {
        let servers = self.servers.withLock { $0 }
        for server in servers { try? await server.close() }
        let open = connections.withLock { state in
            state.closed = true
            return Array(state.open.values)
        }
        for channel in open { try? await channel.close() }
        publishBackend(nil)
    }

    deinit {
        publishBackend(nil)
    }

    /// The local port actually bound (the first server's).
    var port: Int? { servers.withLock { $0.first?.localAddress?.port } }

    // MARK: The event loop's side

    /// A new connection, on its event loop: tracked (closed with the listener), then relayed at once when a backend
    /// is published, else handed to the manager unread.
    fileprivate func accepted(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        let connection: ConnectionID? = connections.withLock { state in
            guard !state.closed else { return nil }
            state.nextID += 1
            state.open[key] = channel
            return ConnectionID(value: state.nextID)
        }
        guard let connection else {
            channel.close(promise: nil)
            return
        }
        // The accepted side of its relay from the start: what a held connection's client sends before ending its
        // input (which NIO reads at once) waits there for the backend.
        let activity = self.activity
        do {
            try channel.pipeline.syncOperations.addHandler(RelayGlueHandler.accepted(countIn: { activity.carriedIn($0) }))
        } catch {
            channel.close(promise: nil)
        }
        channel.closeFuture.whenComplete { [weak self] _ in
            guard let self else { return }
            _ = self.connections.withLock { $0.open.removeValue(forKey: key) }
            self.queue(.closed(connection))
        }
        if let port = fastPathPort() {
            queue(.relayed(connection))
            relay(channel, connection: connection, toPort: port)
        } else {
            queue(.accepted(connection, channel))
        }
    }

    /// Queues an event; the first one since the manager last took them wakes it.
    private func queue(_ event: Event) {
        let wakeNow = connections.withLock { state in
            state.events.append(event)
            defer { state.woken = true }
            return !state.woken
        }
        if wakeNow { wake() }
    }

    // MARK: Binding

    private static func errnoCode(_ error: any Error) -> Int32? {
        (error as? IOError)?.errnoCode
    }

    private static func isUnavailableAddress(_ error: any Error) -> Bool {
        guard let code = errnoCode(error) else { return false }
        return code == EADDRNOTAVAIL || code == EAFNOSUPPORT
    }

    private static func failure(_ error: any Error) -> BindFailure {
        switch errnoCode(error) {
        case EADDRINUSE: .inUse
        case EACCES, EPERM: .needsPrivilege
        default: .other("\(error)")
        }
    }
}

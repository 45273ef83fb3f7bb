import Foundation
import Glibc
import NIOCore
import NIOPosix
import Synchronization

/// kube9's own listener on a forward's local address and port. Accepted connections are not read (held) until
/// the manager relays them to a backend; closing the listener closes them all and frees the port.
final class ForwardListener: Sendable {
    private let servers: [any Channel]
    /// Accepted connections still open (held or relayed).
    private let accepted: Mutex<[ObjectIdentifier: any Channel]>

    private init(servers: [any Channel]) {
        self.servers = servers
        self.accepted = Mutex([:])
    }

    /// Why a bind failed, for the person's message.
    enum BindFailure: Error {
        case inUse
        case needsPrivilege
        case other(String)
    }

    /// Binds every host of `address` (`localhost`: 127.0.0.1 and ::1 when this machine has IPv6) on `port` with
    /// SO_REUSEADDR, as kubectl did; `onAccept` gets each accepted connection on its event loop.
    static func bind(
        address: String, port: Int, onAccept: @escaping @Sendable (any Channel) -> Void
    ) async throws(BindFailure) -> ForwardListener {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.autoRead, value: false)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AnnounceWhenActive(onActive: onAccept))
                }
            }
        var servers: [any Channel] = []
        for host in hosts(of: address) {
            do {
                servers.append(try await bootstrap.bind(host: host.name, port: port).get())
            } catch {
                if host.optional, Self.isUnavailableAddress(error) { continue }
                for server in servers { try? await server.close() }
                throw Self.failure(error)
            }
        }
        return ForwardListener(servers: servers)
    }

    /// Keeps `channel` to close with the listener (forgotten once it closes itself).
    func track(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        accepted.withLock { $0[key] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.accepted.withLock { $0.removeValue(forKey: key) }
        }
    }

    /// Closes the listening sockets and every connection accepted through them; returns once the port is free.
    func close() async {
        for server in servers { try? await server.close() }
        let open = accepted.withLock { Array($0.values) }
        for channel in open { try? await channel.close() }
    }

    /// The local port actually bound (the first server's).
    var port: Int? { servers.first?.localAddress?.port }

    private static func hosts(of address: String) -> [(name: String, optional: Bool)] {
        var hosts: [(String, Bool)] = []
        for part in address.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if part == "localhost" {
                hosts.append(("127.0.0.1", false))
                hosts.append(("::1", true))
            } else {
                hosts.append((part, false))
            }
        }
        return hosts
    }

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

/// Hands a connection to the manager once it is active (registered on its event loop), then steps aside.
private final class AnnounceWhenActive: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    private let onActive: @Sendable (any Channel) -> Void

    init(onActive: @escaping @Sendable (any Channel) -> Void) {
        self.onActive = onActive
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        onActive(context.channel)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}

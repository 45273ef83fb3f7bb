import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The API listener of one simulated cluster: binds 127.0.0.1, tracks every connection so the API can be
/// taken down (listener and connections closed) and brought back on the same port.
final class ContextServer: @unchecked Sendable {
    let cluster: SimCluster
    /// nil: plain http.
    let tls: NIOSSLContext?
    private let group: any EventLoopGroup
    private let lock = NIOLock()
    private var serverChannel: (any Channel)?
    private var connections: [ObjectIdentifier: any Channel] = [:]
    private var boundPort = 0

    init(cluster: SimCluster, tls: NIOSSLContext?, group: any EventLoopGroup) {
        self.cluster = cluster
        self.tls = tls
        self.group = group
    }

    var port: Int { lock.withLock { boundPort } }
    var isListening: Bool { lock.withLock { serverChannel != nil } }

    /// Starts listening: on an ephemeral port the first time, on the same port afterwards.
    func listen() async throws {
        let requested = lock.withLock { boundPort }
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                track(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try configure(channel)
                }
            }
            .bind(host: "127.0.0.1", port: requested)
            .get()
        lock.withLock {
            serverChannel = channel
            boundPort = channel.localAddress?.port ?? requested
        }
    }

    /// Closes the listener and every connection (API down).
    func stop() async {
        let (server, open): ((any Channel)?, [any Channel]) = lock.withLock {
            let result = (serverChannel, Array(connections.values))
            serverChannel = nil
            connections = [:]
            return result
        }
        try? await server?.close()
        for channel in open {
            try? await channel.close()
        }
    }

    private func track(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        let accepted = lock.withLock {
            guard serverChannel != nil else { return false }
            connections[id] = channel
            return true
        }
        if !accepted {
            channel.close(promise: nil)
            return
        }
        channel.closeFuture.whenComplete { [self] _ in
            lock.withLock { _ = connections.removeValue(forKey: id) }
        }
    }

    private func configure(_ channel: any Channel) throws {
        let port = lock.withLock { boundPort }
        if let tls {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
        }
        var upgraders: [any HTTPServerProtocolUpgrader] = []
        if cluster.portForwardProtocols.contains(.websocket) {
            upgraders.append(WebSocketPortForwardUpgrader.make(cluster: cluster))
        }
        if cluster.portForwardProtocols.contains(.spdy) {
            upgraders.append(SPDYPortForwardUpgrader(cluster: cluster))
        }
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(
            withServerUpgrade: (
                upgraders: upgraders,
                completionHandler: { context in
                    context.pipeline.syncOperations.removeHandler(name: APIHandler.handlerName, promise: nil)
                }
            ))
        try channel.pipeline.syncOperations.addHandler(APIHandler(cluster: cluster, apiPort: port), name: APIHandler.handlerName)
    }
}

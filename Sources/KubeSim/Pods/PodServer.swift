import NIOCore
import NIOPosix

/// A loopback TCP server playing one container port of one pod: answers HTTP with the pod's banner and echoes
/// any other bytes.
final class PodServer: Sendable {
    enum Failure: Error { case podGone }

    let channel: any Channel
    let port: Int

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.port = port
    }

    static func start(group: any EventLoopGroup, body: String) -> EventLoopFuture<PodServer> {
        ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ContainerPlayHandler(body: body))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .flatMapThrowing { channel in
                guard let port = channel.localAddress?.port else { throw Failure.podGone }
                return PodServer(channel: channel, port: port)
            }
    }

    func close() {
        channel.close(promise: nil)
    }
}

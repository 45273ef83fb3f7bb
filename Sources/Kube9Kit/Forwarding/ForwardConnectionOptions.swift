import NIOCore
import NIOPosix

extension ServerBootstrap {
    /// How every accepted forward connection is set up, by kube9's listener and by the holder that answers for it
    /// while kube9 is stopped: not read until its relay is in place, half-close allowed (each direction ends on its
    /// own), TCP keepalive, no Nagle delay.
    func forwardConnectionOptions() -> ServerBootstrap {
        childChannelOption(.autoRead, value: false)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
    }
}

/// Runs `action` on an accepted connection once it is active (registered on its event loop), then steps aside:
/// kube9's listener hands the connection to its lifecycle, the holder relays it.
final class WhenActive: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    private let action: (any Channel) -> Void

    init(_ action: @escaping (any Channel) -> Void) {
        self.action = action
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        action(context.channel)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}

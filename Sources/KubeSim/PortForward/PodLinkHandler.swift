import NIOCore

/// The sim's end of one connection to a pod server, carrying one forwarded connection of a port-forward session.
/// Lives on the session's event loop and reports everything to it.
final class PodLinkHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let session: PortForwardSession
    private let requestID: String

    init(session: PortForwardSession, requestID: String) {
        self.session = session
        self.requestID = requestID
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        session.forwardFromPod(requestID: requestID, unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        session.flushToClient()
    }

    func channelInactive(context: ChannelHandlerContext) {
        session.podLinkClosed(requestID: requestID)
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        session.podLinkWritabilityChanged(context.channel)
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

import Foundation
import Logging
import NIOCore

/// One control connection: reads one bounded request line before a deadline, answers with one line (a refusal
/// when the peer is another user) and closes.
final class ControlConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let authorized: Bool
    private let actions: ControlActions
    private let instance: ControlInstance
    private let logger: Logger
    private var buffer: ByteBuffer?
    private var deadline: Scheduled<Void>?
    private var answered = false

    init(authorized: Bool, actions: ControlActions, instance: ControlInstance, logger: Logger) {
        self.authorized = authorized
        self.actions = actions
        self.instance = instance
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { begin(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        begin(context)
        context.fireChannelActive()
    }

    private func begin(_ context: ChannelHandlerContext) {
        guard deadline == nil, !answered else { return }
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: ControlServer.requestTimeout) { channel.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }
        var incoming = unwrapInboundIn(data)
        if buffer == nil {
            buffer = incoming
        } else {
            buffer!.writeBuffer(&incoming)
        }
        guard let view = buffer?.readableBytesView else { return }
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
            if view.count > ControlProtocol.maxRequestBytes {
                answer(.failure("request longer than \(ControlProtocol.maxRequestBytes) bytes"), context)
            }
            return
        }
        // Another user's request is read (so that the answer is not lost in a reset), never parsed.
        guard authorized else {
            logger.warning("control connection of another user refused")
            answer(.failure("permission denied: this kube9 belongs to another user"), context)
            return
        }
        let line = Data(view[view.startIndex..<newline])
        guard line.count <= ControlProtocol.maxRequestBytes,
            let request = try? JSONDecoder.control.decode(ControlRequest.self, from: line)
        else {
            answer(.failure("not a kube9 control request"), context)
            return
        }
        answered = true
        buffer = nil
        deadline?.cancel()
        let actions = actions
        let instance = instance
        let channel = context.channel
        let promise = context.eventLoop.makePromise(of: ControlResponse.self)
        promise.completeWithTask { await actions.respond(to: request, as: instance) }
        promise.futureResult.whenSuccess { response in Self.write(response, to: channel) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        buffer = nil
        context.fireChannelInactive()
    }

    private func answer(_ response: ControlResponse, _ context: ChannelHandlerContext) {
        answered = true
        buffer = nil
        deadline?.cancel()
        var response = response
        response.instance = response.instance ?? (authorized ? instance : nil)
        Self.write(response, to: context.channel)
    }

    private static func write(_ response: ControlResponse, to channel: any Channel) {
        var line = (try? JSONEncoder.control.encode(response)) ?? Data(#"{"ok":false,"v":1}"#.utf8)
        line.append(UInt8(ascii: "\n"))
        channel.writeAndFlush(ByteBuffer(bytes: line)).whenComplete { _ in channel.close(promise: nil) }
    }
}

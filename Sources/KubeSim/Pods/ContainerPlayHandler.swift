import Foundation
import NIOCore

/// One connection to a pod server. If the first bytes look like an HTTP request, every request gets
/// `200` with the pod's banner (keep-alive unless `Connection: close`); otherwise every byte is echoed back.
/// Reading stops while the peer does not keep up (backpressure), and the connection closes once the peer has
/// closed its side and everything is written.
final class ContainerPlayHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Mode { case undecided, http, echo }

    private static let methods: [[UInt8]] = ["GET ", "HEAD ", "POST ", "PUT ", "DELETE ", "OPTIONS ", "PATCH "].map { Array($0.utf8) }

    private let body: String
    private var mode = Mode.undecided
    private var pending = ByteBuffer()

    init(body: String) {
        self.body = body
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if mode == .undecided {
            pending.writeBuffer(&buffer)
            decide()
            if mode == .undecided { return }
            buffer = pending
            pending = ByteBuffer()
        }
        switch mode {
        case .echo:
            context.write(wrapOutboundOut(buffer), promise: nil)
        case .http:
            pending.writeBuffer(&buffer)
            answerRequests(context: context)
        case .undecided:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
        if !context.channel.isWritable {
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            if mode == .undecided, pending.readableBytes > 0 {
                context.write(wrapOutboundOut(pending), promise: nil)
                pending = ByteBuffer()
            }
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(ByteBuffer())).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func decide() {
        let bytes = pending.readableBytesView
        for method in Self.methods {
            let n = min(bytes.count, method.count)
            if bytes.prefix(n).elementsEqual(method.prefix(n)) {
                if bytes.count >= method.count { mode = .http }
                return  // still a possible HTTP prefix
            }
        }
        mode = .echo
    }

    private func answerRequests(context: ChannelHandlerContext) {
        let terminator: [UInt8] = [13, 10, 13, 10]
        while true {
            let view = pending.readableBytesView
            guard let end = view.firstRange(of: terminator) else { return }
            let headLength = end.upperBound - view.startIndex
            let head = pending.readString(length: headLength) ?? ""
            let lines = head.split(separator: "\r\n")
            var contentLength = 0
            var close = false
            for line in lines.dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2 else { continue }
                let name = parts[0].lowercased()
                let value = parts[1].trimmingCharacters(in: .whitespaces)
                if name == "content-length" { contentLength = Int(value) ?? 0 }
                if name == "connection", value.lowercased() == "close" { close = true }
            }
            if lines.first?.hasSuffix("HTTP/1.0") == true { close = true }
            guard pending.readableBytes >= contentLength else {
                // Wait for the body: put the head back.
                var restored = ByteBuffer(string: head)
                restored.writeBuffer(&pending)
                pending = restored
                return
            }
            pending.moveReaderIndex(forwardBy: contentLength)
            let isHead = lines.first?.hasPrefix("HEAD ") == true
            var response = ByteBuffer()
            response.writeString(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\n"
                    + (close ? "Connection: close\r\n" : "") + "\r\n" + (isHead ? "" : body))
            if close {
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(response)).whenComplete { _ in channel.close(promise: nil) }
                return
            }
            context.write(wrapOutboundOut(response), promise: nil)
        }
    }
}

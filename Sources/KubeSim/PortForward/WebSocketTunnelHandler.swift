import NIOCore
import NIOWebSocket

/// The tunnel of KEP-4006: turns the client's binary WebSocket messages (masked, possibly fragmented) back
/// into the SPDY byte stream, and sends what the session writes between two flushes as one binary message.
/// Pings are answered; a close frame is echoed and ends the connection; a text message is a protocol error.
final class WebSocketTunnelHandler: ChannelDuplexHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = WebSocketFrame

    private var pending: ByteBuffer?
    private var pendingPromises: [EventLoopPromise<Void>] = []
    private var closeSent = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .binary, .continuation:
            let payload = Self.unmasked(frame)
            if payload.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(payload)) }
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, data: Self.unmasked(frame))
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            sendClose(context: context, code: .normalClosure)
        case .text:
            sendClose(context: context, code: .unacceptableData)
        default:
            break
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var bytes = unwrapOutboundIn(data)
        if pending == nil {
            pending = bytes
        } else {
            pending?.writeBuffer(&bytes)
        }
        if let promise { pendingPromises.append(promise) }
    }

    func flush(context: ChannelHandlerContext) {
        if let message = pending {
            pending = nil
            let promises = pendingPromises
            pendingPromises = []
            let written: EventLoopPromise<Void>? = promises.isEmpty ? nil : context.eventLoop.makePromise()
            if let written {
                written.futureResult.whenComplete { result in
                    for promise in promises { promise.completeWith(result) }
                }
            }
            context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .binary, data: message)), promise: written)
        }
        context.flush()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        for promise in pendingPromises { promise.fail(ChannelError.ioOnClosedChannel) }
        pendingPromises = []
        pending = nil
    }

    /// The frame's payload unmasked eight bytes at a time (NIO's `unmaskedData` goes byte by byte, which in a
    /// debug build held the tunnel to a few MiB/s).
    static func unmasked(_ frame: WebSocketFrame) -> ByteBuffer {
        var data = frame.data
        guard let key = frame.maskKey else { return data }
        let keyBytes = [key[0], key[1], key[2], key[3]]
        let word = UInt64(truncatingIfNeeded: UInt32(littleEndianBytes: keyBytes)) * 0x1_0000_0001
        data.withUnsafeMutableReadableBytes { bytes in
            let count = bytes.count
            let words = count / 8
            for index in 0..<words {
                let offset = index * 8
                bytes.storeBytes(of: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self) ^ word, toByteOffset: offset, as: UInt64.self)
            }
            for offset in words * 8..<count {
                bytes[offset] ^= keyBytes[offset % 4]
            }
        }
        return data
    }

    private func sendClose(context: ChannelHandlerContext, code: WebSocketErrorCode) {
        guard !closeSent else { return }
        closeSent = true
        var data = context.channel.allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: code)
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, data: data)
        context.writeAndFlush(wrapOutboundOut(frame)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}

extension UInt32 {
    /// Four bytes in memory order on a little-endian machine (the mask applied to a loaded word).
    fileprivate init(littleEndianBytes bytes: [UInt8]) {
        self = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
    }
}

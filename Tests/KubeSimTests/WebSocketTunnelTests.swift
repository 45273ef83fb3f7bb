import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

@testable import KubeSim

/// The KEP-4006 tunnel on its own: masked binary messages in, one binary message per flush out.
@Suite struct WebSocketTunnelTests {
    static func channel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(WebSocketTunnelHandler())
        return channel
    }

    static func masked(_ bytes: [UInt8], opcode: WebSocketOpcode = .binary, fin: Bool = true) -> WebSocketFrame {
        let key: WebSocketMaskingKey = [0x12, 0x34, 0x56, 0x78]
        var data = ByteBuffer(bytes: bytes)
        data.webSocketMask(key)
        return WebSocketFrame(fin: fin, opcode: opcode, maskKey: key, data: data)
    }

    @Test func maskedBinaryAndContinuationFramesBecomeTheByteStream() throws {
        let channel = try Self.channel()
        try channel.writeInbound(Self.masked([0x80, 0x03, 0x00, 0x06], fin: false))
        try channel.writeInbound(Self.masked([0x00, 0x00, 0x00, 0x04], opcode: .continuation))
        var stream: [UInt8] = []
        while let buffer = try channel.readInbound(as: ByteBuffer.self) { stream += Array(buffer.readableBytesView) }
        #expect(stream == [0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04])
        #expect(try channel.finish().isClean)
    }

    @Test func writesBetweenFlushesLeaveAsOneUnmaskedBinaryMessage() throws {
        let channel = try Self.channel()
        channel.write(ByteBuffer(bytes: [0, 0, 0, 1, 0, 0, 0, 3]), promise: nil)
        channel.write(ByteBuffer(string: "abc"), promise: nil)
        #expect(try channel.readOutbound(as: WebSocketFrame.self) == nil)
        channel.flush()
        let frame = try #require(try channel.readOutbound(as: WebSocketFrame.self))
        #expect(frame.opcode == .binary)
        #expect(frame.fin)
        #expect(frame.maskKey == nil)
        #expect(Array(frame.data.readableBytesView) == [0, 0, 0, 1, 0, 0, 0, 3] + Array("abc".utf8))
        #expect(try channel.readOutbound(as: WebSocketFrame.self) == nil)
        _ = try channel.finish()
    }

    @Test func pingIsAnsweredWithPong() throws {
        let channel = try Self.channel()
        try channel.writeInbound(Self.masked([1, 2, 3], opcode: .ping))
        let pong = try #require(try channel.readOutbound(as: WebSocketFrame.self))
        #expect(pong.opcode == .pong)
        #expect(Array(pong.data.readableBytesView) == [1, 2, 3])
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        _ = try channel.finish()
    }

    @Test func closeIsEchoedAndTextIsRefused() throws {
        for (opcode, code) in [(WebSocketOpcode.connectionClose, WebSocketErrorCode.normalClosure), (.text, .unacceptableData)] {
            let channel = try Self.channel()
            try channel.writeInbound(Self.masked([0x03, 0xe8], opcode: opcode))
            let frame = try #require(try channel.readOutbound(as: WebSocketFrame.self))
            #expect(frame.opcode == .connectionClose)
            var data = frame.data
            #expect(data.readWebSocketErrorCode() == code)
            channel.embeddedEventLoop.run()
            #expect(!channel.isActive)
        }
    }
}

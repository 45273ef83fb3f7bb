import NIOCore

/// Splits the byte stream of a SPDY/3.1 connection into frames. Frames arrive split across reads (a first read
/// of just `80 03` happens), so bytes accumulate until a whole frame is there. DATA payloads are slices, not copies.
struct SPDYFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = SPDYFrame

    enum DecodingError: Error, Equatable {
        case unsupportedVersion(UInt16)
        case truncatedControlFrame(type: UInt16, length: Int)
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try Self.decodeFrame(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    /// Reads one frame when the buffer holds it whole; leaves the buffer untouched otherwise.
    static func decodeFrame(from buffer: inout ByteBuffer) throws -> SPDYFrame? {
        guard buffer.readableBytes >= SPDYFrame.headerLength,
            let first = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self),
            let flagsAndLength = buffer.getInteger(at: buffer.readerIndex + 4, as: UInt32.self)
        else { return nil }
        let length = Int(flagsAndLength & 0x00ff_ffff)
        let flags = UInt8(flagsAndLength >> 24)
        guard buffer.readableBytes >= SPDYFrame.headerLength + length else { return nil }
        buffer.moveReaderIndex(forwardBy: SPDYFrame.headerLength)
        var payload = buffer.readSlice(length: length)!
        let fin = flags & SPDYFrame.finFlag != 0

        if first & 0x8000_0000 == 0 {
            return .data(streamID: first, fin: fin, payload: payload)
        }
        let version = UInt16((first >> 16) & 0x7fff)
        guard version == SPDYFrame.version else { throw DecodingError.unsupportedVersion(version) }
        let type = UInt16(first & 0xffff)
        func need(_ bytes: Int) throws {
            if length < bytes { throw DecodingError.truncatedControlFrame(type: type, length: length) }
        }
        switch SPDYFrame.ControlType(rawValue: type) {
        case .synStream:
            try need(10)
            let streamID = payload.readInteger(as: UInt32.self)! & 0x7fff_ffff
            let associated = payload.readInteger(as: UInt32.self)! & 0x7fff_ffff
            payload.moveReaderIndex(forwardBy: 2)
            return .synStream(streamID: streamID, associatedStreamID: associated, fin: fin, headerBlock: payload)
        case .synReply:
            try need(4)
            let streamID = payload.readInteger(as: UInt32.self)! & 0x7fff_ffff
            return .synReply(streamID: streamID, fin: fin, headerBlock: payload)
        case .rstStream:
            try need(8)
            return .rstStream(
                streamID: payload.readInteger(as: UInt32.self)! & 0x7fff_ffff, status: payload.readInteger(as: UInt32.self)!)
        case .ping:
            try need(4)
            return .ping(id: payload.readInteger(as: UInt32.self)!)
        case .goAway:
            try need(4)
            let last = payload.readInteger(as: UInt32.self)! & 0x7fff_ffff
            return .goAway(lastGoodStreamID: last, status: payload.readInteger(as: UInt32.self) ?? 0)
        case .headers:
            try need(4)
            let streamID = payload.readInteger(as: UInt32.self)! & 0x7fff_ffff
            return .headers(streamID: streamID, fin: fin, headerBlock: payload)
        case .settings, .windowUpdate, nil:
            return .otherControl(type: type, flags: flags, payload: payload)
        }
    }
}

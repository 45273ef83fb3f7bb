import NIOCore

/// A SPDY/3.1 frame as kubectl speaks it (big-endian; control frames start with `0x8003`).
enum SPDYFrame: Equatable {
    case data(streamID: UInt32, fin: Bool, payload: ByteBuffer)
    case synStream(streamID: UInt32, associatedStreamID: UInt32, fin: Bool, headerBlock: ByteBuffer)
    case synReply(streamID: UInt32, fin: Bool, headerBlock: ByteBuffer)
    case rstStream(streamID: UInt32, status: UInt32)
    case ping(id: UInt32)
    case goAway(lastGoodStreamID: UInt32, status: UInt32)
    case headers(streamID: UInt32, fin: Bool, headerBlock: ByteBuffer)
    /// SETTINGS, WINDOW_UPDATE and unknown control frames: ignored by the sim.
    case otherControl(type: UInt16, flags: UInt8, payload: ByteBuffer)

    static let version: UInt16 = 3
    static let finFlag: UInt8 = 0x01
    static let headerLength = 8

    enum ControlType: UInt16 {
        case synStream = 1, synReply = 2, rstStream = 3, settings = 4, ping = 6, goAway = 7, headers = 8, windowUpdate = 9
    }

    /// RST_STREAM status codes.
    enum ResetStatus: UInt32 {
        case protocolError = 1, invalidStream = 2, refusedStream = 3, cancel = 5, internalError = 6
    }

    /// Appends the whole frame (header and payload) to `buffer`.
    func write(to buffer: inout ByteBuffer) {
        switch self {
        case .data(let streamID, let fin, var payload):
            Self.writeDataHeader(streamID: streamID, fin: fin, length: payload.readableBytes, to: &buffer)
            buffer.writeBuffer(&payload)
        case .synStream(let streamID, let associated, let fin, var block):
            writeControlHeader(.synStream, flags: fin ? Self.finFlag : 0, length: 10 + block.readableBytes, to: &buffer)
            buffer.writeInteger(streamID & 0x7fff_ffff)
            buffer.writeInteger(associated & 0x7fff_ffff)
            buffer.writeInteger(UInt16(0))  // priority << 13 and slot
            buffer.writeBuffer(&block)
        case .synReply(let streamID, let fin, var block):
            writeControlHeader(.synReply, flags: fin ? Self.finFlag : 0, length: 4 + block.readableBytes, to: &buffer)
            buffer.writeInteger(streamID & 0x7fff_ffff)
            buffer.writeBuffer(&block)
        case .rstStream(let streamID, let status):
            writeControlHeader(.rstStream, flags: 0, length: 8, to: &buffer)
            buffer.writeInteger(streamID & 0x7fff_ffff)
            buffer.writeInteger(status)
        case .ping(let id):
            writeControlHeader(.ping, flags: 0, length: 4, to: &buffer)
            buffer.writeInteger(id)
        case .goAway(let last, let status):
            writeControlHeader(.goAway, flags: 0, length: 8, to: &buffer)
            buffer.writeInteger(last & 0x7fff_ffff)
            buffer.writeInteger(status)
        case .headers(let streamID, let fin, var block):
            writeControlHeader(.headers, flags: fin ? Self.finFlag : 0, length: 4 + block.readableBytes, to: &buffer)
            buffer.writeInteger(streamID & 0x7fff_ffff)
            buffer.writeBuffer(&block)
        case .otherControl(let type, let flags, var payload):
            buffer.writeInteger(UInt16(0x8000) | Self.version)
            buffer.writeInteger(type)
            Self.writeFlagsAndLength(flags, payload.readableBytes, to: &buffer)
            buffer.writeBuffer(&payload)
        }
    }

    /// The 8-byte header of a DATA frame; the payload is written separately so it is never copied.
    static func writeDataHeader(streamID: UInt32, fin: Bool, length: Int, to buffer: inout ByteBuffer) {
        buffer.writeInteger(streamID & 0x7fff_ffff)
        writeFlagsAndLength(fin ? finFlag : 0, length, to: &buffer)
    }

    private func writeControlHeader(_ type: ControlType, flags: UInt8, length: Int, to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt16(0x8000) | Self.version)
        buffer.writeInteger(type.rawValue)
        Self.writeFlagsAndLength(flags, length, to: &buffer)
    }

    private static func writeFlagsAndLength(_ flags: UInt8, _ length: Int, to buffer: inout ByteBuffer) {
        precondition(length < 1 << 24, "SPDY frame too long")
        buffer.writeInteger(UInt32(flags) << 24 | UInt32(length))
    }
}

import NIOCore

/// Produces the header blocks the sim sends: a zlib stream without real compression (a zlib header without the
/// dictionary flag, then stored deflate blocks), every block ending with the sync-flush marker `00 00 00 ff ff`.
/// Any zlib inflater, with or without the SPDY dictionary, reads it.
struct SPDYHeaderDeflater {
    private var startedStream = false

    static let zlibHeader: [UInt8] = [0x78, 0x01]
    static let syncMarker: [UInt8] = [0x00, 0x00, 0x00, 0xff, 0xff]

    mutating func deflate(_ raw: [UInt8]) -> ByteBuffer {
        var out = ByteBuffer()
        out.reserveCapacity(raw.count + 16)
        if !startedStream {
            out.writeBytes(Self.zlibHeader)
            startedStream = true
        }
        var offset = 0
        while offset < raw.count {
            let length = min(65_535, raw.count - offset)
            out.writeInteger(UInt8(0))  // BFINAL 0, BTYPE 00 (stored), then byte-aligned
            out.writeInteger(UInt16(length), endianness: .little)
            out.writeInteger(~UInt16(length), endianness: .little)
            out.writeBytes(raw[offset..<offset + length])
            offset += length
        }
        out.writeBytes(Self.syncMarker)
        return out
    }
}

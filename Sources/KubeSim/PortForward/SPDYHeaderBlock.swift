import NIOCore

/// The uncompressed form of a SPDY/3 header block: `u32 count`, then `u32 length, name, u32 length, value` pairs.
enum SPDYHeaderBlock {
    enum DecodingError: Error, Equatable { case truncated }

    static func encode(_ headers: [(String, String)]) -> [UInt8] {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(headers.count))
        for (name, value) in headers {
            buffer.writeInteger(UInt32(name.utf8.count))
            buffer.writeString(name.lowercased())
            buffer.writeInteger(UInt32(value.utf8.count))
            buffer.writeString(value)
        }
        return Array(buffer.readableBytesView)
    }

    /// Decodes the pairs; names are lowercased, and a value holding several NUL-separated values keeps them joined.
    static func decode(_ bytes: [UInt8]) throws -> [(String, String)] {
        var buffer = ByteBuffer(bytes: bytes)
        guard let count = buffer.readInteger(as: UInt32.self) else { throw DecodingError.truncated }
        var headers: [(String, String)] = []
        for _ in 0..<count {
            guard let nameLength = buffer.readInteger(as: UInt32.self),
                let name = buffer.readString(length: Int(nameLength)),
                let valueLength = buffer.readInteger(as: UInt32.self),
                let value = buffer.readString(length: Int(valueLength))
            else { throw DecodingError.truncated }
            headers.append((name.lowercased(), value))
        }
        return headers
    }
}

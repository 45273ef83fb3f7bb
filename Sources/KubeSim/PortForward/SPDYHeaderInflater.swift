import CZlib
import NIOCore

/// Decompresses the header blocks a SPDY peer sends: one zlib stream per connection direction, primed with the
/// SPDY/3 dictionary when the stream asks for it, each block ending at a sync flush.
final class SPDYHeaderInflater {
    enum Failure: Error, Equatable { case zlib(code: Int32, message: String) }

    private let stream: UnsafeMutablePointer<z_stream>
    private var initialized = false

    init() {
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
    }

    deinit {
        if initialized { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Inflates one compressed header block (the next in this connection's stream).
    func inflate(_ block: ByteBuffer) throws -> [UInt8] {
        if !initialized {
            let code = kube9_inflateInit(stream)
            guard code == Z_OK else { throw Failure.zlib(code: code, message: "inflateInit failed") }
            initialized = true
        }
        var input = Array(block.readableBytesView)
        if input.isEmpty { return [] }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        try input.withUnsafeMutableBufferPointer { inputPointer in
            stream.pointee.next_in = inputPointer.baseAddress
            stream.pointee.avail_in = UInt32(inputPointer.count)
            defer {
                stream.pointee.next_in = nil
                stream.pointee.avail_in = 0
            }
            while true {
                let (code, produced) = chunk.withUnsafeMutableBufferPointer { chunkPointer -> (Int32, Int) in
                    stream.pointee.next_out = chunkPointer.baseAddress
                    stream.pointee.avail_out = UInt32(chunkPointer.count)
                    let code = CZlib.inflate(stream, Z_SYNC_FLUSH)
                    let produced = chunkPointer.count - Int(stream.pointee.avail_out)
                    stream.pointee.next_out = nil
                    return (code, produced)
                }
                output.append(contentsOf: chunk[0..<produced])
                switch code {
                case Z_NEED_DICT:
                    let set = SPDYDictionary.bytes.withUnsafeBufferPointer {
                        inflateSetDictionary(stream, $0.baseAddress, UInt32($0.count))
                    }
                    guard set == Z_OK else { throw Failure.zlib(code: set, message: "inflateSetDictionary failed") }
                case Z_OK:
                    if stream.pointee.avail_in == 0 && produced < chunk.count { return }
                case Z_BUF_ERROR:
                    return  // no progress possible: the block is consumed
                case Z_STREAM_END:
                    return
                default:
                    let message = stream.pointee.msg.map { String(cString: $0) } ?? "inflate failed"
                    throw Failure.zlib(code: code, message: message)
                }
            }
        }
        return output
    }
}

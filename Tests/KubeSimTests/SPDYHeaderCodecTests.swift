import CZlib
import NIOCore
import Testing

@testable import KubeSim

/// Header blocks: the SPDY/3 dictionary, inflating what a real SPDY peer (zlib + dictionary) sends, and the
/// stored-block stream the sim sends back.
@Suite struct SPDYHeaderCodecTests {
    @Test func dictionaryMatchesTheSpec() {
        let bytes = SPDYDictionary.bytes
        #expect(bytes.count == 1423)
        let checksum = bytes.withUnsafeBufferPointer { adler32(1, $0.baseAddress, UInt32($0.count)) }
        #expect(checksum == 0xe3c6_a7c2)
    }

    @Test func headerBlockRoundTrips() throws {
        let headers = [("streamtype", "data"), ("port", "8080"), ("requestid", "0")]
        let decoded = try SPDYHeaderBlock.decode(SPDYHeaderBlock.encode(headers))
        #expect(decoded.map(\.0) == headers.map(\.0))
        #expect(decoded.map(\.1) == headers.map(\.1))
        #expect(SPDYHeaderBlock.encode([]) == [0, 0, 0, 0])
    }

    @Test func truncatedHeaderBlockIsRejected() {
        #expect(throws: SPDYHeaderBlock.DecodingError.truncated) {
            try SPDYHeaderBlock.decode([0, 0, 0, 1, 0, 0, 0, 9, 0x61])
        }
    }

    @Test func inflatesBlocksFromRealZlibWithTheDictionary() throws {
        let blocks = [
            [("streamtype", "error"), ("port", "80"), ("requestid", "0")],
            [("streamtype", "data"), ("port", "80"), ("requestid", "0")],
            [("streamtype", "error"), ("port", "80"), ("requestid", "1")],
        ]
        let compressed = try RealZlibDeflater.compress(blocks.map(SPDYHeaderBlock.encode), dictionary: SPDYDictionary.bytes)
        let inflater = SPDYHeaderInflater()
        for (block, expected) in zip(compressed, blocks) {
            let headers = try SPDYHeaderBlock.decode(inflater.inflate(ByteBuffer(bytes: block)))
            #expect(headers.map(\.0) == expected.map(\.0))
            #expect(headers.map(\.1) == expected.map(\.1))
        }
    }

    @Test func storedBlocksInflateWithRealZlib() throws {
        var deflater = SPDYHeaderDeflater()
        let raws: [[UInt8]] = [SPDYHeaderBlock.encode([]), SPDYHeaderBlock.encode([("a", "b")]), Array(repeating: 7, count: 70_000)]
        let blocks = raws.map { deflater.deflate($0) }
        #expect(Array(blocks[0].readableBytesView.prefix(2)) == [0x78, 0x01])
        for block in blocks {
            #expect(Array(block.readableBytesView.suffix(5)) == [0, 0, 0, 0xff, 0xff])
        }
        let inflated = try RealZlibInflater.inflate(blocks.map { Array($0.readableBytesView) })
        #expect(inflated == raws)
        // And the sim's own inflater (which would add the dictionary only when asked) reads them too.
        let inflater = SPDYHeaderInflater()
        for (block, raw) in zip(blocks, raws) {
            #expect(try inflater.inflate(block) == raw)
        }
    }

    @Test func corruptBlockIsAnError() {
        let inflater = SPDYHeaderInflater()
        #expect(throws: SPDYHeaderInflater.Failure.self) {
            try inflater.inflate(ByteBuffer(bytes: [0x78, 0xbb, 0xff, 0xff, 0xff, 0xff, 0x00]))
        }
    }
}

/// zlib used directly, as a SPDY peer would: one deflate stream with the dictionary, a sync flush per block.
enum RealZlibDeflater {
    static func compress(_ blocks: [[UInt8]], dictionary: [UInt8]) throws -> [[UInt8]] {
        var stream = z_stream()
        guard kube9_deflateInit(&stream, Z_DEFAULT_COMPRESSION) == Z_OK else { throw ZlibTestError.failed("deflateInit") }
        defer { deflateEnd(&stream) }
        var dictionary = dictionary
        guard deflateSetDictionary(&stream, &dictionary, UInt32(dictionary.count)) == Z_OK else {
            throw ZlibTestError.failed("deflateSetDictionary")
        }
        var out: [[UInt8]] = []
        for block in blocks {
            var input = block
            var output = [UInt8](repeating: 0, count: block.count + 1024)
            let produced = input.withUnsafeMutableBufferPointer { inputPointer in
                output.withUnsafeMutableBufferPointer { outputPointer in
                    stream.next_in = inputPointer.baseAddress
                    stream.avail_in = UInt32(inputPointer.count)
                    stream.next_out = outputPointer.baseAddress
                    stream.avail_out = UInt32(outputPointer.count)
                    _ = deflate(&stream, Z_SYNC_FLUSH)
                    return outputPointer.count - Int(stream.avail_out)
                }
            }
            out.append(Array(output[0..<produced]))
        }
        return out
    }
}

/// zlib inflate without a dictionary, over consecutive blocks of one stream.
enum RealZlibInflater {
    static func inflate(_ blocks: [[UInt8]]) throws -> [[UInt8]] {
        var stream = z_stream()
        guard kube9_inflateInit(&stream) == Z_OK else { throw ZlibTestError.failed("inflateInit") }
        defer { inflateEnd(&stream) }
        var out: [[UInt8]] = []
        for block in blocks {
            var input = block
            var output = [UInt8](repeating: 0, count: block.count * 2 + 1024)
            let (code, produced) = input.withUnsafeMutableBufferPointer { inputPointer in
                output.withUnsafeMutableBufferPointer { outputPointer in
                    stream.next_in = inputPointer.baseAddress
                    stream.avail_in = UInt32(inputPointer.count)
                    stream.next_out = outputPointer.baseAddress
                    stream.avail_out = UInt32(outputPointer.count)
                    let code = CZlib.inflate(&stream, Z_SYNC_FLUSH)
                    return (code, outputPointer.count - Int(stream.avail_out))
                }
            }
            guard code == Z_OK else { throw ZlibTestError.failed("inflate returned \(code)") }
            out.append(Array(output[0..<produced]))
        }
        return out
    }
}

enum ZlibTestError: Error { case failed(String) }

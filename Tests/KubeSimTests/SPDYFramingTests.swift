import NIOCore
import Testing

@testable import KubeSim

/// SPDY/3.1 frame layout, as kubectl reads and writes it.
@Suite struct SPDYFramingTests {
    private func encode(_ frame: SPDYFrame) -> ByteBuffer {
        var buffer = ByteBuffer()
        frame.write(to: &buffer)
        return buffer
    }

    @Test func pingHasTheSpecLayout() {
        let bytes = Array(encode(.ping(id: 1)).readableBytesView)
        #expect(bytes == [0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01])
    }

    @Test func dataFrameHeaderCarriesStreamFlagsAndLength() {
        let bytes = Array(encode(.data(streamID: 5, fin: true, payload: ByteBuffer(bytes: [9, 8, 7]))).readableBytesView)
        #expect(bytes == [0x00, 0x00, 0x00, 0x05, 0x01, 0x00, 0x00, 0x03, 9, 8, 7])
    }

    @Test func synReplyHasTheSpecLayout() {
        let bytes = Array(encode(.synReply(streamID: 3, fin: false, headerBlock: ByteBuffer(bytes: [0xaa]))).readableBytesView)
        #expect(bytes == [0x80, 0x03, 0x00, 0x02, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x03, 0xaa])
    }

    @Test(arguments: [
        SPDYFrame.data(streamID: 1, fin: false, payload: ByteBuffer(string: "hello")),
        .data(streamID: 0x7fff_ffff, fin: true, payload: ByteBuffer()),
        .synStream(streamID: 7, associatedStreamID: 0, fin: false, headerBlock: ByteBuffer(bytes: [1, 2, 3])),
        .synReply(streamID: 7, fin: true, headerBlock: ByteBuffer(bytes: [4])),
        .rstStream(streamID: 9, status: 5),
        .ping(id: 0xdead_beef),
        .goAway(lastGoodStreamID: 11, status: 0),
        .headers(streamID: 13, fin: false, headerBlock: ByteBuffer(bytes: [0, 1])),
        .otherControl(type: 9, flags: 0, payload: ByteBuffer(bytes: [0, 0, 0, 1, 0, 0, 0, 2])),
    ])
    func framesRoundTrip(frame: SPDYFrame) throws {
        var buffer = encode(frame)
        let decoded = try SPDYFrameDecoder.decodeFrame(from: &buffer)
        #expect(decoded == frame)
        #expect(buffer.readableBytes == 0)
    }

    @Test func decoderWaitsForWholeFramesAcrossSplitReads() throws {
        var whole = encode(.ping(id: 42))
        var second = encode(.data(streamID: 3, fin: false, payload: ByteBuffer(string: "abc")))
        whole.writeBuffer(&second)
        let bytes = Array(whole.readableBytesView)
        var accumulated = ByteBuffer()
        var frames: [SPDYFrame] = []
        for byte in bytes {
            accumulated.writeInteger(byte)
            let before = accumulated.readableBytes
            if let frame = try SPDYFrameDecoder.decodeFrame(from: &accumulated) {
                frames.append(frame)
            } else {
                #expect(accumulated.readableBytes == before)
            }
        }
        #expect(frames == [.ping(id: 42), .data(streamID: 3, fin: false, payload: ByteBuffer(string: "abc"))])
    }

    @Test func otherVersionsAreRejected() {
        var buffer = ByteBuffer(bytes: [0x80, 0x02, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 1])
        #expect(throws: SPDYFrameDecoder.DecodingError.unsupportedVersion(2)) {
            try SPDYFrameDecoder.decodeFrame(from: &buffer)
        }
    }

    @Test func truncatedControlPayloadIsRejected() {
        var buffer = ByteBuffer(bytes: [0x80, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 1])
        #expect(throws: SPDYFrameDecoder.DecodingError.truncatedControlFrame(type: 3, length: 4)) {
            try SPDYFrameDecoder.decodeFrame(from: &buffer)
        }
    }
}

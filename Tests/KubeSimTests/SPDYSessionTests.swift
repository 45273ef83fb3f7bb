import Foundation
import Kube9TestSupport
import NIOCore
import Testing

@testable import KubeSim

/// The port-forward session spoken frame by frame over a real connection (no kubectl): upgrade, PING echo,
/// SYN_REPLY, data through a pod server, RST_STREAM, a refused port on the error stream, GOAWAY.
@Suite struct SPDYSessionTests {
    @Test func sessionFollowsTheProtocol() async throws {
        try await SimHarness.with(tls: false) { sim in
            let port = try #require(sim.server.apiPort(context: "kind-dev"))
            try await Task.detached {
                let client = try RawSPDYClient(port: port)
                defer { client.close() }
                let head = try client.upgrade(path: "/api/v1/namespaces/default/pods/web-0/portforward")
                #expect(head.hasPrefix("HTTP/1.1 101"))
                #expect(head.lowercased().contains("x-stream-protocol-version: portforward.k8s.io"))

                try client.send(.ping(id: 7))
                #expect(try client.readFrame() == .ping(id: 7))

                let blocks = try RealZlibDeflater.compress(
                    [
                        SPDYHeaderBlock.encode([("streamtype", "error"), ("port", "80"), ("requestid", "0")]),
                        SPDYHeaderBlock.encode([("streamtype", "data"), ("port", "80"), ("requestid", "0")]),
                        SPDYHeaderBlock.encode([("streamtype", "error"), ("port", "81"), ("requestid", "1")]),
                        SPDYHeaderBlock.encode([("streamtype", "data"), ("port", "81"), ("requestid", "1")]),
                    ], dictionary: SPDYDictionary.bytes)
                let inflater = SPDYHeaderInflater()
                func open(_ stream: UInt32, _ block: [UInt8]) throws {
                    try client.send(.synStream(streamID: stream, associatedStreamID: 0, fin: false, headerBlock: ByteBuffer(bytes: block)))
                    guard case .synReply(let id, _, let replyBlock) = try client.readFrame() else {
                        Issue.record("expected SYN_REPLY for stream \(stream)")
                        return
                    }
                    #expect(id == stream)
                    #expect(try SPDYHeaderBlock.decode(inflater.inflate(replyBlock)).isEmpty)
                }
                try open(1, blocks[0])
                try open(3, blocks[1])
                try client.send(.data(streamID: 3, fin: false, payload: ByteBuffer(string: "GET / HTTP/1.1\r\nHost: pod\r\n\r\n")))
                var received = ""
                while !received.contains("kube9-sim kind-dev/default/web-0:80\n") {
                    guard case .data(let id, _, let payload) = try client.readFrame() else { continue }
                    #expect(id == 3)
                    received += String(buffer: payload)
                }
                #expect(received.hasPrefix("HTTP/1.1 200 OK\r\n"))
                try client.send(.rstStream(streamID: 3, status: SPDYFrame.ResetStatus.cancel.rawValue))

                try open(5, blocks[2])
                try open(7, blocks[3])
                var errorText = ""
                var finished: Set<UInt32> = []
                while finished != [5, 7] {
                    guard case .data(let id, let fin, let payload) = try client.readFrame() else { continue }
                    if id == 5 { errorText += String(buffer: payload) }
                    if fin { finished.insert(id) }
                }
                #expect(errorText.hasPrefix("error forwarding port 81 to pod "))
                #expect(errorText.contains("dial tcp4 127.0.0.1:81: connect: connection refused"))

                try client.send(.ping(id: 9))
                #expect(try client.readFrame() == .ping(id: 9))
                try client.send(.goAway(lastGoodStreamID: 7, status: 0))
                #expect(try client.readToEnd().isEmpty)
            }.value
        }
    }

    @Test func refusedUpgradeIsAStatus() async throws {
        try await SimHarness.with(tls: false) { sim in
            let port = try #require(sim.server.apiPort(context: "staging"))
            try await Task.detached {
                let client = try RawSPDYClient(port: port)
                defer { client.close() }
                let head = try client.upgrade(path: "/api/v1/namespaces/vault/pods/vault-0/portforward")
                #expect(head.hasPrefix("HTTP/1.1 403"))
                let length = try #require(
                    head.lowercased().split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                        .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) })
                let body = String(decoding: try client.readBytes(count: length), as: UTF8.self)
                #expect(body.contains(#""kind":"Status""#))
                #expect(body.contains(#"pods \"vault-0\" is forbidden"#))
            }.value
        }
    }
}

/// A blocking SPDY/3.1 client over a plain socket, for protocol tests.
final class RawSPDYClient: @unchecked Sendable {
    private let fd: Int32
    private var buffer = ByteBuffer()

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw TestSupportError("connect failed") }
    }

    /// Sends the upgrade request; returns the response head (body bytes stay buffered).
    func upgrade(path: String) throws -> String {
        let request =
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
            + "X-Stream-Protocol-Version: portforward.k8s.io\r\nContent-Length: 0\r\n\r\n"
        try sendBytes(Array(request.utf8))
        let head = try readUntilContains("\r\n\r\n", consume: true)
        return String(decoding: head, as: UTF8.self)
    }

    func send(_ frame: SPDYFrame) throws {
        var out = ByteBuffer()
        frame.write(to: &out)
        try sendBytes(Array(out.readableBytesView))
    }

    func readFrame() throws -> SPDYFrame {
        while true {
            if let frame = try SPDYFrameDecoder.decodeFrame(from: &buffer) { return frame }
            guard try fill() else { throw TestSupportError("connection closed while reading a frame") }
        }
    }

    /// Bytes up to and including `marker` (consumed when asked), reading more as needed.
    func readUntilContains(_ marker: String, consume: Bool = false) throws -> [UInt8] {
        let needle = Array(marker.utf8)
        while true {
            let view = buffer.readableBytesView
            if let range = view.firstRange(of: needle) {
                let length = range.upperBound - view.startIndex
                if consume { return buffer.readBytes(length: length)! }
                return Array(view.prefix(length))
            }
            guard try fill() else { throw TestSupportError("closed before \(marker.debugDescription)") }
        }
    }

    func readBytes(count: Int) throws -> [UInt8] {
        while buffer.readableBytes < count {
            guard try fill() else { throw TestSupportError("closed after \(buffer.readableBytes) of \(count) bytes") }
        }
        return buffer.readBytes(length: count)!
    }

    /// Everything until the server closes.
    func readToEnd() throws -> [UInt8] {
        while try fill() {}
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    func close() { Glibc.close(fd) }

    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 { throw TestSupportError("recv failed: errno \(errno)") }
        if n == 0 { return false }
        buffer.writeBytes(chunk[0..<n])
        return true
    }

    private func sendBytes(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { throw TestSupportError("send failed: errno \(errno)") }
            offset += n
        }
    }
}

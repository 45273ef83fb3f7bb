import Foundation
import Kube9Kit
import Synchronization

/// A local port for a test to listen on or forward from: free on 127.0.0.1 and ::1 right now, never handed out
/// twice in this test run, never 8080, and below the kernel's ephemeral range (32768+): kubectl's own listeners
/// (`port-forward :R`, behind kube9's) and every outgoing connection take ephemeral ports, so a port picked there
/// can be taken between this check and the bind. The one free-port helper of the tests.
public func freeTCPPort() -> Int {
    for _ in 0..<1000 {
        let port = Int.random(in: 20000..<32000)
        let fresh = handedOutPorts.withLock { $0.insert(port).inserted }
        if fresh, LocalPortProbe().availability(of: port) == .free { return port }
    }
    fatalError("no free port below the ephemeral range after 1000 tries")
}

private let handedOutPorts = Mutex<Set<Int>>([])

/// A plain HTTP/1.1 GET to 127.0.0.1:`port` (`Connection: close`); the body ends at Content-Length or EOF.
public func httpGet(port: Int, path: String = "/", timeout: Duration) async throws -> (status: Int, body: String) {
    let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUser-Agent: kube9-tests\r\nConnection: close\r\n\r\n"
    let response = try await onThread {
        let socket = try LoopbackSocket(port: port, timeout: timeout)
        defer { socket.close() }
        try socket.send(Array(request.utf8))
        return try socket.receiveAll(until: httpResponseIsComplete)
    }
    let text = String(decoding: response, as: UTF8.self)
    guard let headEnd = text.range(of: "\r\n\r\n") else {
        throw TestSupportError("incomplete HTTP response from port \(port): \(text.debugDescription)")
    }
    let statusLine = text[..<headEnd.lowerBound].split(separator: "\r\n").first ?? ""
    let parts = statusLine.split(separator: " ")
    guard parts.count >= 2, let status = Int(parts[1]) else {
        throw TestSupportError("bad HTTP status line from port \(port): \(statusLine)")
    }
    var body = String(text[headEnd.upperBound...])
    let headers = text[..<headEnd.lowerBound].lowercased()
    if let lengthLine = headers.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
        let length = Int(lengthLine.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)),
        body.utf8.count > length
    {
        body = String(decoding: Array(body.utf8.prefix(length)), as: UTF8.self)
    }
    return (status, body)
}

/// Connects to 127.0.0.1:`port`, sends `payload` (then closes the sending side) while reading concurrently, and
/// returns every byte received until the peer closes. For echo servers reached through a port-forward.
public func tcpRoundTrip(port: Int, sending payload: [UInt8], timeout: Duration) async throws -> [UInt8] {
    try await onThread {
        let socket = try LoopbackSocket(port: port, timeout: timeout)
        defer { socket.close() }
        let sendError = LockedBox<(any Error)?>(nil)
        let sent = DispatchSemaphore(value: 0)
        let sender = Thread {
            do {
                try socket.send(payload)
                socket.shutdownWrite()
            } catch {
                sendError.set(error)
            }
            sent.signal()
        }
        sender.start()
        let received: [UInt8]
        do {
            received = try socket.receiveAll()
        } catch {
            socket.shutdownBoth()
            sent.wait()
            throw error
        }
        socket.shutdownBoth()
        sent.wait()  // the sender ends: the socket is shut down both ways
        if let error = sendError.get() { throw error }
        return received
    }
}

/// Connects to 127.0.0.1:`port`, sends `payload` and ends its side: true when the connection is then closed
/// without a byte of answer, whether by an end of stream, a reset, or before the payload could be sent (a server,
/// or kubectl, that closes at once); false when anything arrives.
public func tcpClosedUnanswered(port: Int, sending payload: [UInt8], timeout: Duration) async throws -> Bool {
    try await onThread {
        let socket = try LoopbackSocket(port: port, timeout: timeout)
        defer { socket.close() }
        do { try socket.send(payload) } catch let error as TestSupportError where error.closedByPeer { return true }
        socket.shutdownWrite()
        do { return try socket.receiveAll().isEmpty } catch let error as TestSupportError where error.closedByPeer {
            return true
        }
    }
}

/// True once `bytes` hold a response head and the whole Content-Length body.
private func httpResponseIsComplete(_ bytes: [UInt8]) -> Bool {
    let terminator: [UInt8] = [13, 10, 13, 10]
    guard let end = bytes.firstRange(of: terminator) else { return false }
    let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).lowercased()
    guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
        let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
    else { return false }
    return bytes.count - end.upperBound >= length
}

/// Runs blocking socket work on a thread of its own.
private func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try work() })
        }
        thread.start()
    }
}

private func loopbackAddress(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
}

/// A blocking TCP client socket to 127.0.0.1 with send/receive deadlines (`timeout` from its creation).
public final class LoopbackSocket: Sendable {
    let fd: Int32
    let port: Int
    let deadline: ContinuousClock.Instant

    public init(port: Int, timeout: Duration) throws {
        self.port = port
        deadline = ContinuousClock.now + timeout
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket() failed: errno \(errno)") }
        let seconds = max(1, Int(timeout.components.seconds))
        var value = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        var address = loopbackAddress(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            Glibc.close(fd)
            throw TestSupportError("connect to 127.0.0.1:\(port) failed: \(String(cString: strerror(code)))")
        }
    }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                if (errno == EAGAIN || errno == EWOULDBLOCK) && ContinuousClock.now < deadline { continue }
                throw TestSupportError(
                    "send to 127.0.0.1:\(port) failed after \(offset) bytes: \(String(cString: strerror(errno)))",
                    closedByPeer: errno == EPIPE || errno == ECONNRESET)
            }
            offset += n
        }
    }

    /// What arrives until `complete` says so, or until the peer closes.
    public func receiveAll(until complete: ([UInt8]) -> Bool = { _ in false }) throws -> [UInt8] {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return received }
            if n < 0 {
                if errno == EINTR { continue }
                if (errno == EAGAIN || errno == EWOULDBLOCK) && ContinuousClock.now < deadline { continue }
                throw TestSupportError(
                    "receive from 127.0.0.1:\(port) failed after \(received.count) bytes: \(String(cString: strerror(errno)))",
                    closedByPeer: received.isEmpty && errno == ECONNRESET)
            }
            received.append(contentsOf: chunk[0..<n])
            if complete(received) { return received }
        }
    }

    public func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }
    public func shutdownBoth() { shutdown(fd, Int32(SHUT_RDWR)) }
    public func close() { Glibc.close(fd) }
}

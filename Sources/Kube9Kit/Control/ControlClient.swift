import Foundation

/// The client side, with plain blocking sockets (no event loop to start: `kube9 status` runs every few seconds).
public enum ControlClient {
    /// How long one instance may take to answer a list.
    public static let defaultTimeout: Duration = .seconds(2)
    /// How long one instance may take to answer a stop: its forwards' stop sequences (SIGTERM, SIGKILL 1 s later)
    /// and that of a namespace watch left unused, with room for a loaded machine.
    public static let stopTimeout: Duration = .seconds(10)

    /// One instance's answer, or why there was none.
    public struct Reply: Sendable {
        public enum Outcome: Sendable {
            case answered(ControlResponse)
            case failed(ControlError)
            /// The kube9 is stopped as a job (Ctrl-Z, SIGSTOP): its socket listens, but it cannot answer until it
            /// continues (its forwards answer through its holder meanwhile, but cannot be listed or stopped).
            case suspended
        }

        public var pid: Int32
        public var socketPath: String
        public var outcome: Outcome

        /// The answer, when there was one.
        public var response: ControlResponse? {
            if case .answered(let response) = outcome { return response }
            return nil
        }
    }

    /// Sends `request` to every socket in `directory` and returns the answers in pid order. A socket nobody listens
    /// on whose process is gone is removed and skipped; a stopped kube9 is not waited for (``Reply/Outcome/suspended``).
    public static func broadcast(
        _ request: ControlRequest, directory: ControlDirectory = ControlDirectory(), timeout: Duration = defaultTimeout
    ) -> [Reply] {
        guard directory.isTrusted else { return [] }
        var replies: [Reply] = []
        for socket in directory.sockets() {
            if ControlDirectory.isStopped(socket.pid) {
                // Suspended only if its socket listens (a stale socket's pid may now be another stopped process),
                // which the kernel tells without a connection: one would wait in the stopped kube9's backlog.
                if ControlDirectory.isListening(socket.path) {
                    replies.append(Reply(pid: socket.pid, socketPath: socket.path, outcome: .suspended))
                }
                continue
            }
            do {
                let response = try exchange(request, path: socket.path, timeout: timeout)
                replies.append(Reply(pid: socket.pid, socketPath: socket.path, outcome: .answered(response)))
            } catch is NotListening {
                directory.removeIfStale(pid: socket.pid, path: socket.path)
            } catch {
                let failure = error as? ControlError ?? ControlError("\(socket.path): \(error)")
                replies.append(Reply(pid: socket.pid, socketPath: socket.path, outcome: .failed(failure)))
            }
        }
        return replies
    }

    /// Nobody listens on the socket (connect refused, or it is gone).
    public struct NotListening: Error {}

    /// One request line to one socket, one response line back.
    public static func request(_ request: ControlRequest, socket path: String, timeout: Duration) throws(ControlError) -> ControlResponse {
        do {
            return try exchange(request, path: path, timeout: timeout)
        } catch let error as ControlError {
            throw error
        } catch {
            throw ControlError("\(path): nobody listens")
        }
    }

    /// A stream socket connected to `path`, with `timeout` on every send and receive; the caller closes it.
    /// Throws ``NotListening`` when nobody listens there.
    public static func connectedSocket(path: String, timeout: Duration) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ControlError("socket: \(String(cString: strerror(errno)))") }
        var time = timeval(
            tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))

        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(fd)
            throw ControlError("\(path): path too long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if connected != 0 {
            let failure = errno
            close(fd)
            if failure == ECONNREFUSED || failure == ENOENT { throw NotListening() }
            throw ControlError("\(path): \(String(cString: strerror(failure)))")
        }
        return fd
    }

    private static func exchange(_ request: ControlRequest, path: String, timeout: Duration) throws -> ControlResponse {
        let fd = try connectedSocket(path: path, timeout: timeout)
        defer { close(fd) }

        var line = try JSONEncoder.control.encode(request)
        line.append(UInt8(ascii: "\n"))
        var sent = 0
        while sent < line.count {
            let count = line.withUnsafeBytes { send(fd, $0.baseAddress! + sent, line.count - sent, Int32(MSG_NOSIGNAL)) }
            if count < 0 && errno == EINTR { continue }
            // The server may answer and close before reading all of it (a line too long): read that answer.
            if count < 0 && (errno == EPIPE || errno == ECONNRESET) { break }
            guard count > 0 else { throw ControlError("\(path): \(String(cString: strerror(errno)))") }
            sent += count
        }

        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while !received.contains(UInt8(ascii: "\n")) {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { throw ControlError("\(path): no answer in time") }
            guard count > 0 else { break }
            received.append(contentsOf: chunk[0..<count])
            guard received.count <= ControlProtocol.maxResponseBytes else { throw ControlError("\(path): answer too long") }
        }
        let end = received.firstIndex(of: UInt8(ascii: "\n")) ?? received.endIndex
        guard end > 0 else { throw ControlError("\(path): closed without an answer") }
        do {
            return try JSONDecoder.control.decode(ControlResponse.self, from: Data(received[..<end]))
        } catch {
            throw ControlError("\(path): not a kube9 control answer")
        }
    }
}

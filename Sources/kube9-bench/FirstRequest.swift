import Foundation

/// One HTTP request as a client makes it: connect, `GET /`, read the whole response (the pod closes it).
enum FirstRequest {
    /// Seconds from connect to the last byte of the response.
    static func time(port: Int) throws -> Double {
        let start = ContinuousClock.now
        let fd = try LoopbackConnection.open(port: port)
        defer { close(fd) }
        let request = Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == request.count else {
            throw BenchError("request to \(port) not sent")
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 { throw BenchError("response from \(port) failed: errno \(errno)") }
            if count == 0 { break }
            response += buffer[0..<count]
        }
        guard response.starts(with: Array("HTTP/1.1 200".utf8)) else {
            throw BenchError("no 200 from \(port): \(String(decoding: response.prefix(40), as: UTF8.self))")
        }
        return seconds(since: start)
    }
}

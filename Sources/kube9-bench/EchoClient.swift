import Foundation

/// Pushes bytes through a forward to the sim's echo server and reads them back: MB/s of the round trip.
enum EchoClient {
    /// Sends `megabytes` MiB and reads them back; returns MiB/s (wall time of the whole exchange).
    static func throughput(port: Int, megabytes: Int) throws -> Double {
        let fd = try LoopbackConnection.open(port: port)
        defer { close(fd) }
        let total = megabytes * 1024 * 1024
        let start = ContinuousClock.now
        let writer = Thread {
            var chunk = [UInt8](repeating: 0x5a, count: 64 * 1024)
            chunk[0] = 0x01  // not an HTTP method: the pod server echoes
            var sent = 0
            while sent < total {
                let count = min(chunk.count, total - sent)
                let written = chunk.withUnsafeBytes { write(fd, $0.baseAddress, count) }
                if written <= 0 { return }
                sent += written
            }
        }
        writer.start()
        var received = 0
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while received < total {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { throw BenchError("echo ended after \(received) of \(total) bytes") }
            received += count
        }
        return Double(megabytes) / seconds(since: start)
    }
}

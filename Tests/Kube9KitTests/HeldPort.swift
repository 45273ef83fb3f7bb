import Foundation
import Glibc

@testable import Kube9Kit

/// A listening socket held for a test, on 127.0.0.1 or ::1.
final class HeldPort {
    let port: Int
    private let fd: Int32

    init(ipv6: Bool = false, port requested: Int = 0) throws {
        let fd = socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let result = LocalPortProbe.bindLoopback(fd, port: requested, ipv6: ipv6)
        guard result == 0, listen(fd, 8) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let raw = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port }
        }
        port = Int(UInt16(bigEndian: raw))
        self.fd = fd
    }

    deinit { close(fd) }
}

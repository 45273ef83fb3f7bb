import Foundation
import Glibc
import Kube9Kit
import Synchronization

/// A listening socket a test holds on 127.0.0.1 or ::1 (the port kube9 must then find busy), bound the way
/// kubectl binds. Open until ``close()`` or the end of the object. The one port-holding helper of the tests.
public final class HeldPort: Sendable {
    public let port: Int
    private let descriptor: Mutex<Int32?>

    /// Holds `requested`, or a port the system picks (0).
    public init(ipv6: Bool = false, port requested: Int = 0) throws {
        let fd = socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        let result = LocalPortProbe.bindLoopback(fd, port: requested, ipv6: ipv6)
        guard result == 0, listen(fd, 8) == 0 else {
            Glibc.close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        // sin_port and sin6_port sit at the same offset.
        let raw = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port }
        }
        port = Int(UInt16(bigEndian: raw))
        descriptor = Mutex(fd)
    }

    /// Frees the port (once; later calls do nothing).
    public func close() {
        descriptor.withLock { fd in
            if let open = fd { Glibc.close(open) }
            fd = nil
        }
    }

    deinit { close() }
}

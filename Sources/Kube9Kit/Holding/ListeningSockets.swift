import Foundation
import Glibc

/// This process's listening TCP sockets, found by port among its open descriptors (`/proc/self/fd`): the
/// forwards' listeners, which SwiftNIO opened and does not show. Each one found is duplicated, so it stays open
/// for as long as the caller needs it even if its forward closes meanwhile.
enum ListeningSockets {
    /// A duplicate of a listening socket (close-on-exec; the caller closes it) and the port it listens on.
    struct Found: Sendable, Equatable {
        var descriptor: Int32
        var port: Int
    }

    /// Duplicates of every listening TCP socket (IPv4 or IPv6) on one of `ports`.
    static func duplicates(onPorts ports: Set<Int>) -> [Found] {
        guard !ports.isEmpty, let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return [] }
        // All found before any is duplicated: a duplicate may take the number the directory listing itself had.
        let candidates = names.compactMap { name -> (Int32, Int)? in
            guard let descriptor = Int32(name), let port = listeningPort(descriptor), ports.contains(port) else { return nil }
            return (descriptor, port)
        }
        var found: [Found] = []
        for (descriptor, port) in candidates {
            // Checked again on the duplicate: the number may have been closed and reused since.
            let copy = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
            guard copy >= 0 else { continue }
            if listeningPort(copy) == port {
                found.append(Found(descriptor: copy, port: port))
            } else {
                close(copy)
            }
        }
        return found
    }

    /// The port `descriptor` listens on when it is a listening TCP socket, else nil.
    static func listeningPort(_ descriptor: Int32) -> Int? {
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK else { return nil }
        guard option(SO_ACCEPTCONN, descriptor) == 1, option(SO_TYPE, descriptor) == Int32(SOCK_STREAM.rawValue) else {
            return nil
        }
        return LocalPortProbe.boundPort(descriptor)
    }

    private static func option(_ name: Int32, _ descriptor: Int32) -> Int32? {
        var value: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(descriptor, SOL_SOCKET, name, &value, &size) == 0 ? value : nil
    }
}

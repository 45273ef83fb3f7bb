import Foundation

/// A pty pair sized `width`×`height`; the master side is drained (or searched) by the bench.
final class PseudoTerminal: @unchecked Sendable {
    let master: Int32
    let slave: Int32

    init(width: Int, height: Int) throws {
        // posix_openpt/grantpt/unlockpt by hand (Glibc's module does not export them): /dev/ptmx, then
        // TIOCSPTLCK (unlock) and TIOCGPTN (the slave's number) — Linux ioctl numbers.
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard master >= 0, ioctl(master, UInt(0x4004_5431), &unlock) == 0, ioctl(master, UInt(0x8004_5430), &number) == 0 else {
            throw BenchError("cannot open a pty")
        }
        let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw BenchError("cannot open the pty slave") }
        var size = winsize(ws_row: UInt16(height), ws_col: UInt16(width), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
        self.master = master
        self.slave = slave
    }

    /// Reads the master until `needle` shows up in what was read (or the deadline); returns true if found.
    func waitFor(_ needle: String, timeout: Double) -> Bool {
        let bytes = Array(needle.utf8)
        var seen: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline {
            var pollfd = Kube9Poll.make(master)
            guard poll(&pollfd, 1, 50) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if count <= 0 { return false }
            seen += buffer[0..<count]
            if seen.count >= bytes.count, Self.contains(seen, bytes) { return true }
        }
        return false
    }

    /// Reads and discards everything on the master until `stop` turns true (run on a thread of its own).
    func drain(until stop: @escaping @Sendable () -> Bool) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !stop() {
            var pollfd = Kube9Poll.make(master)
            guard poll(&pollfd, 1, 20) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if count <= 0 { return }
        }
    }

    func closeBoth() {
        close(slave)
        close(master)
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<(start + needle.count)]) == needle { return true }
        }
        return false
    }
}

enum Kube9Poll {
    static func make(_ fd: Int32) -> pollfd { pollfd(fd: fd, events: Int16(POLLIN), revents: 0) }
}

import Foundation
import Synchronization

/// Where async work leaves events for the UI thread: a locked queue plus a pipe whose read end the UI thread
/// polls. Posting writes one zero byte; the signal handlers write the signal's number into the same pipe.
public final class EventInbox: Sendable {
    private let queue = Mutex<[AppEvent]>([])
    public let readFD: Int32
    public let writeFD: Int32

    public init() throws(EventInboxError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw EventInboxError(errno: errno) }
        readFD = fds[0]
        writeFD = fds[1]
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    /// Queues `event` and wakes the UI thread. Safe from any thread.
    public func post(_ event: AppEvent) {
        queue.withLock { $0.append(event) }
        var byte: UInt8 = 0
        _ = write(writeFD, &byte, 1)
    }

    /// Takes every queued event, oldest first.
    public func drain() -> [AppEvent] {
        queue.withLock { events in
            let taken = events
            events.removeAll(keepingCapacity: true)
            return taken
        }
    }

    /// Empties the wake pipe; returns the signal numbers that were written into it.
    public func drainWakeups() -> [Int32] {
        var signals: [Int32] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(readFD, $0.baseAddress, 256) }
            if count <= 0 { break }
            for byte in buffer.prefix(count) where byte != 0 { signals.append(Int32(byte)) }
        }
        return signals
    }
}

public struct EventInboxError: Error, Sendable {
    public var errno: Int32
}

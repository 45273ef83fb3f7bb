import CSpawn
import Foundation
import Glibc
import Synchronization

/// One thread of kube9's own that waits (epoll) on every child's pidfd and output pipes and runs their handlers
/// as those become readable, one at a time. Not libdispatch read sources: registering and cancelling them from
/// many queues at once corrupts libdispatch's epoll bookkeeping on Linux (swift-corelibs-libdispatch #949; the
/// test process crashed in `_dispatch_event_loop_drain` twice). Here a descriptor is unwatched and closed on this
/// thread, in the same step as its last handler; nothing wakes while the children are quiet.
final class ChildEventLoop: Sendable {
    /// The loop of every child of this process.
    static let shared = ChildEventLoop()

    private struct Registry {
        var handlers: [Int32: @Sendable () -> Void] = [:]
        var jobs: [@Sendable () -> Void] = []
    }

    private let epoll: Int32
    private let wakeup: Int32
    private let registry = Mutex(Registry())

    private init() {
        epoll = kube9_epoll_create()
        wakeup = kube9_eventfd()
        precondition(epoll >= 0 && wakeup >= 0, "epoll or eventfd: \(String(cString: strerror(errno)))")
        _ = kube9_epoll_watch(epoll, wakeup)
        let thread = Thread { [self] in run() }
        thread.name = "kube9-children"
        thread.start()
    }

    /// Runs `handler` on the loop's thread whenever `descriptor` (non-blocking) is readable, until
    /// ``unwatchAndClose(_:)``. A handler may also run when nothing is left to read (it reads until EAGAIN).
    func watch(_ descriptor: Int32, handler: @escaping @Sendable () -> Void) {
        registry.withLock { $0.handlers[descriptor] = handler }
        // Failing only for want of kernel memory or of epoll watches (fs.epoll.max_user_watches): a child no one
        // follows would be a kubectl that no one reaps, or a forward that never hears it connect.
        guard kube9_epoll_watch(epoll, descriptor) == 0 else {
            fatalError("epoll_ctl: \(String(cString: strerror(errno)))")
        }
    }

    /// On the loop's thread (in a handler or a job): stops watching `descriptor` and closes it.
    func unwatchAndClose(_ descriptor: Int32) {
        _ = kube9_epoll_unwatch(epoll, descriptor)
        _ = registry.withLock { $0.handlers.removeValue(forKey: descriptor) }
        close(descriptor)
    }

    /// Runs `job` on the loop's thread, after the handlers already running.
    func execute(_ job: @escaping @Sendable () -> Void) {
        registry.withLock { $0.jobs.append(job) }
        var one: UInt64 = 1
        _ = write(wakeup, &one, MemoryLayout<UInt64>.size)
    }

    private func run() {
        var ready = [Int32](repeating: -1, count: 64)
        while true {
            let count = kube9_epoll_wait(epoll, &ready, Int32(ready.count))
            if count < 0 {
                if errno == EINTR { continue }
                fatalError("epoll_wait: \(String(cString: strerror(errno)))")
            }
            for descriptor in ready[..<Int(count)] {
                if descriptor == wakeup {
                    var value: UInt64 = 0
                    _ = read(wakeup, &value, MemoryLayout<UInt64>.size)
                    let jobs = registry.withLock { registry in
                        defer { registry.jobs = [] }
                        return registry.jobs
                    }
                    for job in jobs { job() }
                } else if let handler = registry.withLock({ $0.handlers[descriptor] }) {
                    // A descriptor unwatched earlier in this batch has no handler; one whose number was reused
                    // since gets a call with nothing to read, which its handler tolerates.
                    handler()
                }
            }
        }
    }
}

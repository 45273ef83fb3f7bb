import Synchronization

/// The bytes a forward's relay has carried, counted by the relay itself (on the event loop) and read by the manager.
/// The first change after a read calls `changed` once; later ones wait for the next read: at most one wake-up of
/// the manager per publish, none while idle.
final class RelayActivity: Sendable {
    struct Totals: Sendable, Equatable {
        var bytesIn: Int64 = 0
        var bytesOut: Int64 = 0
    }

    private struct Counters {
        var totals = Totals()
        var notified = false
    }

    private let counters = Mutex(Counters())
    private let changed: @Sendable () -> Void

    init(changed: @escaping @Sendable () -> Void) {
        self.changed = changed
    }

    /// Bytes read from a local client (sent to the pod).
    func carriedIn(_ bytes: Int) {
        update { $0.bytesIn += Int64(bytes) }
    }

    /// Bytes read from the backend (sent to a local client).
    func carriedOut(_ bytes: Int) {
        update { $0.bytesOut += Int64(bytes) }
    }

    /// The totals so far, leaving the wake-up as it is (a reader that is not the publisher: `kube9 ls`).
    func peek() -> Totals {
        counters.withLock { $0.totals }
    }

    /// The totals so far; the next change wakes the manager again.
    func read() -> Totals {
        counters.withLock { counters in
            counters.notified = false
            return counters.totals
        }
    }

    private func update(_ change: (inout Totals) -> Void) {
        let notify = counters.withLock { counters in
            change(&counters.totals)
            defer { counters.notified = true }
            return !counters.notified
        }
        if notify { changed() }
    }
}

extension ForwardRecord {
    /// The bytes a relay has carried, as the record shows them.
    mutating func carried(_ totals: RelayActivity.Totals) {
        bytesIn = totals.bytesIn
        bytesOut = totals.bytesOut
    }
}

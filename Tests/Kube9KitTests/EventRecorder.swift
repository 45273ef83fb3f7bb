import Foundation

@testable import Kube9Kit

/// Records a manager's events for a test and waits (with a deadline) for one to arrive.
actor EventRecorder {
    private(set) var events: [ForwardEvent] = []

    init(_ stream: AsyncStream<ForwardEvent>) {
        Task { await self.read(stream) }
    }

    private func read(_ stream: AsyncStream<ForwardEvent>) async {
        for await event in stream { events.append(event) }
    }

    var notices: [Notice] {
        events.compactMap { if case .notice(let notice) = $0 { notice } else { nil } }
    }

    var removedIDs: [String] {
        events.compactMap { if case .removed(let record) = $0 { record.id } else { nil } }
    }

    /// True once an event satisfying `predicate` has been recorded (false at the deadline).
    func waitFor(timeout: Duration = .seconds(10), _ predicate: @Sendable (ForwardEvent) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if events.contains(where: predicate) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return events.contains(where: predicate)
    }
}

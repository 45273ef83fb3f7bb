import Foundation
import Synchronization

/// Fans events out to any number of readers, each with its own unbounded buffer: a slow reader never blocks
/// the publisher nor the other readers. A reader that stops iterating is forgotten.
final class EventBroadcaster<Event: Sendable>: Sendable {
    private let subscribers = Mutex<[UUID: AsyncStream<Event>.Continuation]>([:])

    func subscribe() -> AsyncStream<Event> {
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
        let id = UUID()
        subscribers.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        return stream
    }

    func publish(_ event: Event) {
        let current = subscribers.withLock { Array($0.values) }
        for continuation in current { continuation.yield(event) }
    }

    func finishAll() {
        let current = subscribers.withLock { state in
            defer { state.removeAll() }
            return Array(state.values)
        }
        for continuation in current { continuation.finish() }
    }

    var subscriberCount: Int { subscribers.withLock { $0.count } }
}

import Foundation
import Synchronization

/// The list reads in flight, by the list they fill, so one can be given up (``Effect/cancelListRead(_:)``):
/// cancelling its task stops its kubectl and everything in kubectl's process group (the credential plugin waiting
/// for a login), and a read given up posts no answer (the update has marked its list cancelled).
final class ListReads: Sendable {
    private let running = Mutex<[ListRead: [UUID: Task<Void, Never>]]>([:])

    /// Runs `read` (several may fill the same list, e.g. `r` pressed twice); its answer is posted unless given up.
    func start(_ read: ListRead, inbox: EventInbox, _ body: @escaping @Sendable () async -> AppEvent) {
        let id = UUID()
        running.withLock { running in
            running[read, default: [:]][id] = Task {
                let answer = await body()
                self.finished(read, id: id)
                if !Task.isCancelled { inbox.post(answer) }
            }
        }
    }

    /// Gives up every read filling `read`'s list.
    func cancel(_ read: ListRead) {
        let tasks = running.withLock { $0.removeValue(forKey: read) } ?? [:]
        for task in tasks.values { task.cancel() }
    }

    private func finished(_ read: ListRead, id: UUID) {
        running.withLock { running in
            running[read]?.removeValue(forKey: id)
            if running[read]?.isEmpty == true { running.removeValue(forKey: read) }
        }
    }
}

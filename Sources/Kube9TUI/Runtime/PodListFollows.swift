import Kube9Kit
import Synchronization

/// The namespace watches the UI follows (one per open pod list): each posts its changes as events; unfollowing
/// ends the reading, which releases the manager's watch (its kubectl ends when no forward needs it).
final class PodListFollows: Sendable {
    private let tasks = Mutex<[NamespaceKey: Task<Void, Never>]>([:])

    func follow(_ key: NamespaceKey, backend: any KubeBackend, inbox: EventInbox) {
        tasks.withLock { tasks in
            guard tasks[key] == nil else { return }
            tasks[key] = Task {
                for await change in await backend.followPods(context: key.context, namespace: key.namespace) {
                    inbox.post(.podListChanged(key, change))
                }
            }
        }
    }

    func unfollow(_ key: NamespaceKey) {
        tasks.withLock { $0.removeValue(forKey: key) }?.cancel()
    }

    /// Ends every reading; returns once they have ended.
    func stopAll() async {
        let all = tasks.withLock { tasks in
            defer { tasks = [:] }
            return Array(tasks.values)
        }
        for task in all { task.cancel() }
        for task in all { await task.value }
    }
}

import Kube9Kit
import Synchronization

/// The namespace watches the UI runs (one per open pod list): each posts its changes as events; stopping one
/// ends its kubectl.
final class PodWatches: Sendable {
    private let tasks = Mutex<[NamespaceKey: Task<Void, Never>]>([:])

    func start(_ key: NamespaceKey, backend: any KubeBackend, inbox: EventInbox) {
        tasks.withLock { tasks in
            guard tasks[key] == nil else { return }
            tasks[key] = Task {
                await backend.watchPods(context: key.context, namespace: key.namespace) { change in
                    inbox.post(.podChanged(context: key.context, namespace: key.namespace, change))
                }
            }
        }
    }

    func stop(_ key: NamespaceKey) async {
        let task = tasks.withLock { $0.removeValue(forKey: key) }
        task?.cancel()
        await task?.value
    }

    func stopAll() async {
        let all = tasks.withLock { tasks in
            defer { tasks = [:] }
            return Array(tasks.values)
        }
        for task in all { task.cancel() }
        for task in all { await task.value }
    }
}

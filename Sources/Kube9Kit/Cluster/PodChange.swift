/// One change of a namespace's pods as a watch reports it (what keeps the UI's open pod lists live).
public enum PodChange: Sendable, Equatable {
    case added(Pod)
    /// A pod changed (its phase, its readiness, a deletion under way).
    case modified(Pod)
    case deleted(Pod)
}

extension KubectlClient {
    /// Reports the changes of `namespace`'s pods to `onChange` until the calling task is cancelled: one
    /// `kubectl get pods --watch-only --output-watch-events -o json` (only what changes after the list the caller
    /// read; started again when it ends, as the forwards' own watch is). Returns once kubectl has ended.
    public func watchPods(
        context: String, namespace: String, onChange: @escaping @Sendable (PodChange) async -> Void
    ) async {
        let watch = PodDeletionWatch(
            context: context, namespace: namespace, runner: runner, kubectlPath: configuration.kubectlPath,
            arguments: watchPodsArguments(context: context, namespace: namespace) + ["--watch-only"], logger: logger
        ) { change in
            switch change {
            case .added(let pod): await onChange(.added(pod))
            case .modified(let pod): await onChange(.modified(pod))
            case .deleted(let pod): await onChange(.deleted(pod))
            }
        }
        // Until cancelled (the sleep ends at once then).
        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
        await watch.stop()
    }
}

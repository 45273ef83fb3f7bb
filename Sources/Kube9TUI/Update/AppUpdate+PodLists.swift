import Kube9Kit

/// Open pod lists follow the cluster: each open namespace (its context open too) has a watch; what it reports
/// replaces the list, and the selection stays on its row (a deleted pod's row gives way to its neighbour).
extension AppUpdate {
    /// A list call's answer. Once the namespace's watch has listed, the watch's list stands (an answer read before
    /// the watch's last change would bring a deleted pod back); a failure is shown (the person asked, the cluster
    /// did not answer).
    static func podsLoaded(_ key: NamespaceKey, _ result: Result<[Pod], KubeError>, _ state: inout AppState) {
        var shown = LoadState(result)
        if case .success = result, let live = state.livePods[key] { shown = .loaded(live) }
        state.updateTree { $0.pods[key] = shown }
    }

    static func podListChanged(_ key: NamespaceKey, _ change: PodListChange, _ state: inout AppState) {
        // A change after the list was closed, or before the watch listed, is not applied.
        guard state.followedPodLists.contains(key) else { return }
        let before = state.livePods[key]
        guard let pods = PodListChanges.apply(change, to: before), pods != before || state.tree.pods[key] != .loaded(pods)
        else { return }
        state.livePods[key] = pods
        state.updateTree { $0.pods[key] = .loaded(pods) }
        state.settleSelection(in: .namespace(context: key.context, name: key.namespace))
    }

    /// Every open namespace of an open context is followed; one closed (or its context) stops its watch.
    static func followOpenPodLists(_ state: inout AppState, _ effects: inout [Effect]) {
        let open = state.tree.openNamespaces
        guard open != state.followedPodLists else { return }
        let byName: (NamespaceKey, NamespaceKey) -> Bool = { ($0.context, $0.namespace) < ($1.context, $1.namespace) }
        for key in state.followedPodLists.subtracting(open).sorted(by: byName) {
            effects.append(.unfollowPods(key))
            state.livePods.removeValue(forKey: key)
        }
        effects += open.subtracting(state.followedPodLists).sorted(by: byName).map(Effect.followPods)
        state.followedPodLists = open
    }
}

/// A pod list changed by one watch report, pure: nil when the change cannot apply (no list yet).
enum PodListChanges {
    static func apply(_ change: PodListChange, to pods: [Pod]?) -> [Pod]? {
        if case .listed(let all) = change { return all.sorted { $0.name < $1.name } }
        guard var pods else { return nil }
        switch change {
        case .listed:
            break
        case .added(let pod), .modified(let pod):
            if let index = pods.firstIndex(where: { $0.name == pod.name }) {
                pods[index] = pod
            } else {
                pods.insert(pod, at: pods.firstIndex { $0.name > pod.name } ?? pods.endIndex)
            }
        case .deleted(let pod):
            pods.removeAll { $0.name == pod.name }
        }
        return pods
    }
}

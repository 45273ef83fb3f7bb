extension Pod {
    /// Labels a controller writes on a pod to tell its revisions apart: a Deployment's rollout changes
    /// `pod-template-hash` (its pods move to a new ReplicaSet), a StatefulSet's or a DaemonSet's changes
    /// `controller-revision-hash`. The same app before and after a rollout differs only in these.
    /// (Argo Rollouts' ReplicaSets carry `rollouts-pod-template-hash`.)
    static let revisionLabels: Set<String> = ["pod-template-hash", "controller-revision-hash", "rollouts-pod-template-hash"]

    /// Controllers whose pods are interchangeable: any Ready one serves as the others did. The pods of any other
    /// controller have each their own part (a StatefulSet's ordinal, a database operator's primary and replicas):
    /// only a pod of the same name stands in for one of them; a DaemonSet's, only its pod on the same node.
    static let interchangeableOwners: Set<String> = ["ReplicaSet", "ReplicationController", "Job"]

    /// Ready to serve: Running with every container ready (kubectl's READY n/n). A pod that has just turned Running
    /// may still be starting its server; a forward that moved to it would be refused.
    public var isReady: Bool { isRunning && containers.allSatisfy(\.ready) }

    /// The owner that manages the pod (`controller: true`), else its first owner.
    var controllerReference: OwnerReference? { ownerReferences.first(where: \.controller) ?? ownerReferences.first }

    /// `self` can stand in for `gone` (deleted, or being deleted) as the pod a forward follows. It is Ready, is not
    /// being deleted, is in the same namespace and is not `gone` itself; and it has `gone`'s name (recreated: a
    /// StatefulSet's `db-0` comes back as `db-0`), or
    /// - for a pod of a ReplicaSet, a ReplicationController or a Job: the same controller, or the same app after a
    ///   rollout (both owned by a ReplicaSet, the same labels apart from the revision labels);
    /// - for a pod of no controller: the same (non-empty) labels;
    /// - for a DaemonSet's pod: its pod on the same node (the replacement gets another name);
    /// - for a pod of any other controller (a StatefulSet: `db-1` is another replica with other data; an operator's
    ///   database primary): nothing else.
    public func canStandIn(for gone: Pod) -> Bool {
        guard namespace == gone.namespace, isReady, deletionTimestamp == nil, !isSamePod(as: gone) else { return false }
        if name == gone.name { return true }
        guard let owner = gone.controllerReference else { return !gone.labels.isEmpty && labels == gone.labels }
        if owner.kind == "DaemonSet" {
            return gone.nodeName != nil && nodeName == gone.nodeName && ownerReferences.contains { $0.uid == owner.uid }
        }
        guard Self.interchangeableOwners.contains(owner.kind) else { return false }
        if !owner.uid.isEmpty, ownerReferences.contains(where: { $0.uid == owner.uid }) { return true }
        guard owner.kind == "ReplicaSet", controllerReference?.kind == "ReplicaSet" else { return false }
        let app = gone.labels.filter { !Self.revisionLabels.contains($0.key) }
        return !app.isEmpty && labels.filter { !Self.revisionLabels.contains($0.key) } == app
    }

    /// The same pod (its uid; by name when either has none, as pods built without one in tests).
    private func isSamePod(as other: Pod) -> Bool {
        uid.isEmpty || other.uid.isEmpty ? name == other.name : uid == other.uid
    }
}

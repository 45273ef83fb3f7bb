import Foundation
import Testing

@testable import Kube9Kit

/// Which pod a forward follows when its pod goes: the way real controllers replace pods.
@Suite struct PodReplacementTests {
    static func pod(
        _ name: String, uid: String, labels: [String: String] = ["app": "web"], owner: OwnerReference? = nil,
        ready: Bool = true, phase: PodPhase = .running, deleting: Bool = false, namespace: String = "shop"
    ) -> Pod {
        Pod(
            name: name, namespace: namespace, uid: uid, phase: phase, labels: labels,
            containers: [Container(name: "app", ready: ready)], ownerReferences: owner.map { [$0] } ?? [],
            deletionTimestamp: deleting ? Date() : nil)
    }

    static func replicaSet(_ hash: String) -> OwnerReference {
        OwnerReference(kind: "ReplicaSet", name: "web-\(hash)", uid: "rs-\(hash)", controller: true)
    }

    static let statefulSet = OwnerReference(kind: "StatefulSet", name: "db", uid: "sts-1", controller: true)

    @Test func aSiblingOfTheSameReplicaSetStandsIn() {
        let gone = Self.pod("web-7d9f8-abcde", uid: "1", labels: ["app": "web", "pod-template-hash": "7d9f8"], owner: Self.replicaSet("7d9f8"))
        let sibling = Self.pod("web-7d9f8-fghij", uid: "2", labels: ["app": "web", "pod-template-hash": "7d9f8"], owner: Self.replicaSet("7d9f8"))
        #expect(sibling.canStandIn(for: gone))
    }

    /// `kubectl rollout restart`, a new image: the pods move to a new ReplicaSet (another uid, another
    /// `pod-template-hash`).
    @Test func aPodOfTheDeploymentsNextReplicaSetStandsIn() {
        let gone = Self.pod("web-7d9f8-abcde", uid: "1", labels: ["app": "web", "pod-template-hash": "7d9f8"], owner: Self.replicaSet("7d9f8"))
        let next = Self.pod("web-5c6b4-klmno", uid: "3", labels: ["app": "web", "pod-template-hash": "5c6b4"], owner: Self.replicaSet("5c6b4"))
        #expect(next.canStandIn(for: gone))
        let otherApp = Self.pod("api-5c6b4-klmno", uid: "4", labels: ["app": "api", "pod-template-hash": "5c6b4"], owner: Self.replicaSet("5c6b4"))
        #expect(!otherApp.canStandIn(for: gone))
        let onlyHash = Self.pod("x-1", uid: "5", labels: ["pod-template-hash": "1"], owner: Self.replicaSet("1"))
        #expect(!onlyHash.canStandIn(for: Self.pod("x-2", uid: "6", labels: ["pod-template-hash": "2"], owner: Self.replicaSet("2"))),
                "no labels but the hash: nothing says it is the same app")
    }

    /// A StatefulSet's pod is its ordinal: `db-0` comes back as `db-0` (another uid); `db-1` holds other data.
    @Test func aStatefulSetsPodIsReplacedOnlyByItsOwnOrdinal() {
        let labels = ["app": "db", "controller-revision-hash": "db-6f7"]
        let gone = Self.pod("db-0", uid: "1", labels: labels, owner: Self.statefulSet)
        #expect(Self.pod("db-0", uid: "2", labels: labels, owner: Self.statefulSet).canStandIn(for: gone))
        #expect(!Self.pod("db-1", uid: "3", labels: labels, owner: Self.statefulSet).canStandIn(for: gone))
        #expect(!Self.pod("db-0", uid: "1", labels: labels, owner: Self.statefulSet).canStandIn(for: gone), "the pod itself")
    }

    /// An operator's pods (a CloudNativePG Cluster, a Strimzi pod set) are each their own: the primary `pg-1` is not
    /// followed to the replica `pg-2`. A DaemonSet's pod is followed to its replacement on the same node only.
    @Test func podsOfOtherControllersAreEachTheirOwn() {
        let daemons = OwnerReference(kind: "DaemonSet", name: "agent", uid: "ds-1", controller: true)
        var gone = Self.pod("agent-abcde", uid: "1", owner: daemons)
        gone.nodeName = "node-a"
        var sameNode = Self.pod("agent-fghij", uid: "2", owner: daemons)
        sameNode.nodeName = "node-a"
        var otherNode = Self.pod("agent-klmno", uid: "3", owner: daemons)
        otherNode.nodeName = "node-b"
        #expect(sameNode.canStandIn(for: gone) && !otherNode.canStandIn(for: gone))
        for kind in ["Cluster", "StrimziPodSet"] {
            let owner = OwnerReference(kind: kind, name: "x", uid: "x-1", controller: true)
            let gone = Self.pod("pg-1", uid: "1", owner: owner)
            #expect(!Self.pod("pg-2", uid: "2", owner: owner).canStandIn(for: gone), "\(kind)")
            #expect(Self.pod("pg-1", uid: "3", owner: owner).canStandIn(for: gone), "\(kind) recreated under its name")
        }
        let job = OwnerReference(kind: "Job", name: "migrate", uid: "job-1", controller: true)
        #expect(Self.pod("migrate-b", uid: "2", owner: job).canStandIn(for: Self.pod("migrate-a", uid: "1", owner: job)))
        // Argo Rollouts: its ReplicaSets' pods differ in rollouts-pod-template-hash.
        let argo = Self.pod("web-6c8-a", uid: "1", labels: ["app": "web", "rollouts-pod-template-hash": "6c8"], owner: Self.replicaSet("6c8"))
        let next = Self.pod("web-9f2-b", uid: "2", labels: ["app": "web", "rollouts-pod-template-hash": "9f2"], owner: Self.replicaSet("9f2"))
        #expect(next.canStandIn(for: argo))
    }

    @Test func onlyAReadyPodThatIsNotBeingDeletedStandsIn() {
        let gone = Self.pod("web-7d9f8-abcde", uid: "1", owner: Self.replicaSet("7d9f8"))
        let owner = Self.replicaSet("7d9f8")
        #expect(!Self.pod("web-7d9f8-b", uid: "2", owner: owner, ready: false).canStandIn(for: gone), "Running, not Ready: still starting")
        #expect(!Self.pod("web-7d9f8-c", uid: "3", owner: owner, phase: .pending).canStandIn(for: gone))
        #expect(!Self.pod("web-7d9f8-d", uid: "4", owner: owner, deleting: true).canStandIn(for: gone), "going too")
        #expect(!Self.pod("web-7d9f8-e", uid: "5", owner: owner, namespace: "other").canStandIn(for: gone))
        #expect(Self.pod("web-7d9f8-f", uid: "6", owner: owner).canStandIn(for: gone))
    }

    @Test func aPodOfNoControllerIsReplacedByTheSameLabelsOrItsName() {
        let gone = Self.pod("debug", uid: "1", labels: ["run": "debug"])
        #expect(Self.pod("debug-2", uid: "2", labels: ["run": "debug"]).canStandIn(for: gone))
        #expect(Self.pod("debug", uid: "3", labels: [:]).canStandIn(for: gone), "recreated under its name")
        #expect(!Self.pod("other", uid: "4", labels: ["run": "other"]).canStandIn(for: gone))
        #expect(!Self.pod("x", uid: "5", labels: [:]).canStandIn(for: Self.pod("y", uid: "6", labels: [:])))
    }
}

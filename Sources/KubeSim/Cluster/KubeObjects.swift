import Foundation

/// The JSON shapes of the Kubernetes objects kube9-sim serves (only the fields kubectl and kube9 read,
/// plus enough of the rest to look real).
enum KubeObjects {
    struct ObjectMeta: Encodable {
        var name: String
        var namespace: String?
        var generateName: String?
        var uid: String
        var resourceVersion: String
        var creationTimestamp: String
        var deletionTimestamp: String?
        var deletionGracePeriodSeconds: Int?
        var labels: [String: String]?
        var ownerReferences: [OwnerRef]?
    }

    struct OwnerRef: Encodable, Sendable {
        var apiVersion = "apps/v1"
        var kind = "ReplicaSet"
        var name: String
        var uid: String
        var controller = true
        var blockOwnerDeletion = true
    }

    struct Pod: Encodable {
        var kind = "Pod"
        var apiVersion = "v1"
        var metadata: ObjectMeta
        var spec: PodSpec
        var status: PodStatus
    }

    struct PodSpec: Encodable {
        var initContainers: [Container]?
        var containers: [Container]
        var restartPolicy = "Always"
        var terminationGracePeriodSeconds: Int
        var dnsPolicy = "ClusterFirst"
        var serviceAccountName = "default"
        var nodeName: String?
        var schedulerName = "default-scheduler"
    }

    struct Container: Encodable {
        var name: String
        var image: String
        var ports: [Port]?
        var resources: [String: String] = [:]
        var imagePullPolicy = "IfNotPresent"
        var restartPolicy: String?
    }

    struct Port: Encodable {
        var name: String?
        var containerPort: Int
        var `protocol`: String
    }

    struct PodStatus: Encodable {
        var phase: String
        var conditions: [Condition]
        var hostIP: String?
        var podIP: String?
        var podIPs: [PodIP]?
        var startTime: String?
        var initContainerStatuses: [ContainerStatus]?
        var containerStatuses: [ContainerStatus]?
        var qosClass = "BestEffort"
    }

    struct Condition: Encodable {
        var type: String
        var status: String
        var lastProbeTime: String? = nil
        var lastTransitionTime: String
    }

    struct PodIP: Encodable { var ip: String }

    struct ContainerStatus: Encodable {
        var name: String
        var state: ContainerState
        var ready: Bool
        var restartCount: Int
        var image: String
        var imageID: String
        var containerID: String?
        var started: Bool
    }

    struct ContainerState: Encodable {
        var running: Running?
        var waiting: Waiting?
        var terminated: Terminated?
    }

    struct Running: Encodable { var startedAt: String }
    struct Waiting: Encodable { var reason: String }
    struct Terminated: Encodable {
        var exitCode: Int
        var reason: String
        var startedAt: String
        var finishedAt: String
        var containerID: String
    }

    struct Namespace: Encodable {
        var kind = "Namespace"
        var apiVersion = "v1"
        var metadata: ObjectMeta
        var spec = NamespaceSpec()
        var status = NamespaceStatus()
    }

    struct NamespaceSpec: Encodable { var finalizers = ["kubernetes"] }
    struct NamespaceStatus: Encodable { var phase = "Active" }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}

extension KubeObjects.Container {
    /// A scenario's container as a pod spec (or a workload's template) shows it.
    init(_ container: ScenarioContainer) {
        self.init(
            name: container.name, image: container.shownImage,
            ports: container.ports.isEmpty
                ? nil : container.ports.map { .init(name: $0.name, containerPort: $0.containerPort, protocol: $0.protocol) },
            restartPolicy: container.restartPolicy)
    }
}

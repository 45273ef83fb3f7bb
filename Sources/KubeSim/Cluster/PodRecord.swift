import Foundation

/// A pod as the sim holds it, with its JSON rendered once per change.
struct PodRecord: Sendable {
    var name: String
    var namespace: String
    var uid: String
    var phase: String
    var labels: [String: String]
    var containers: [ScenarioContainer]
    /// Completed before the app containers started, except native sidecars, which run beside them.
    var initContainers: [ScenarioContainer]
    var replaceOnDelete: Bool
    /// The ReplicaSet-like owner of a pod that is replaced on delete.
    var owner: KubeObjects.OwnerRef?
    var generateName: String?
    var creationTimestamp: Date
    var startTime: Date?
    var podIP: String?
    var hostIP: String
    var nodeName: String
    var resourceVersion: Int
    /// When the pod is removed: set by a graceful delete (now + its grace period), the pod listed meanwhile.
    var deletionTimestamp: Date?
    /// The grace period of a graceful delete in progress.
    var deletionGracePeriodSeconds: Int?
    /// `spec.terminationGracePeriodSeconds`: how long a delete that names no grace period keeps the pod listed.
    var terminationGracePeriodSeconds = 0
    /// The containers' readiness while Running: false while a new pod's server starts (kubectl's READY 0/1).
    var containersReady = true
    /// The pod's JSON object as served (kind Pod, apiVersion v1).
    private(set) var json: [UInt8] = []
    /// The pod's `metadata` alone, for Table rows.
    private(set) var metadataJSON: [UInt8] = []

    var isRunning: Bool { phase == "Running" }

    /// Running with its containers ready: what Ready reads in its conditions and READY in kubectl.
    var isReady: Bool { isRunning && containersReady }

    /// What runs while the pod runs: the app containers and the native sidecars.
    var runningContainers: [ScenarioContainer] { containers + initContainers.filter(\.isSidecar) }

    /// The declared TCP container port `port` of a container that runs, if any.
    func tcpPort(_ port: Int) -> ScenarioPort? {
        for container in runningContainers {
            if let declared = container.ports.first(where: { $0.containerPort == port && $0.protocol == "TCP" }) { return declared }
        }
        return nil
    }

    mutating func render(encoder: JSONEncoder) {
        let created = KubeObjects.timestamp(creationTimestamp)
        let started = startTime.map(KubeObjects.timestamp)
        let transition = started ?? created
        let metadata = KubeObjects.ObjectMeta(
            name: name, namespace: namespace, generateName: generateName, uid: uid,
            resourceVersion: String(resourceVersion), creationTimestamp: created,
            deletionTimestamp: deletionTimestamp.map(KubeObjects.timestamp),
            deletionGracePeriodSeconds: deletionGracePeriodSeconds,
            labels: labels.isEmpty ? nil : labels, ownerReferences: owner.map { [$0] })
        let ready = isReady
        let scheduled = KubeObjects.Condition(type: "PodScheduled", status: "True", lastTransitionTime: created)
        var conditions = [scheduled]
        if phase != "Pending" || podIP != nil {
            let flag = ready ? "True" : "False"
            conditions = [
                .init(type: "PodReadyToStartContainers", status: phase == "Running" ? "True" : "False", lastTransitionTime: transition),
                .init(type: "Initialized", status: "True", lastTransitionTime: transition),
                .init(type: "Ready", status: flag, lastTransitionTime: transition),
                .init(type: "ContainersReady", status: flag, lastTransitionTime: transition),
                scheduled,
            ]
        }
        let statuses = containers.map { containerStatus($0, started: started ?? created) }
        let initStatuses = initContainers.map { containerStatus($0, started: started ?? created, isInit: true) }
        let status = KubeObjects.PodStatus(
            phase: phase, conditions: conditions, hostIP: phase == "Pending" && podIP == nil ? nil : hostIP,
            podIP: podIP, podIPs: podIP.map { [.init(ip: $0)] }, startTime: started,
            initContainerStatuses: initStatuses.isEmpty ? nil : initStatuses,
            containerStatuses: statuses.isEmpty ? nil : statuses)
        let pod = KubeObjects.Pod(
            metadata: metadata,
            spec: .init(
                initContainers: initContainers.isEmpty ? nil : initContainers.map(KubeObjects.Container.init), containers: containers.map(KubeObjects.Container.init),
                terminationGracePeriodSeconds: terminationGracePeriodSeconds,
                nodeName: phase == "Pending" && podIP == nil ? nil : nodeName),
            status: status)
        json = (try? Array(encoder.encode(pod))) ?? []
        metadataJSON = (try? Array(encoder.encode(metadata))) ?? []
    }

    /// An init container that is not a sidecar has completed once the pod runs.
    private func containerStatus(_ container: ScenarioContainer, started: String, isInit: Bool = false) -> KubeObjects.ContainerStatus {
        let containerID = "containerd://" + SimIDs.hex(seed: uid + container.name, length: 64)
        let imageID = "docker.io/library/\(container.name)@sha256:" + SimIDs.hex(seed: container.shownImage, length: 64)
        var state = KubeObjects.ContainerState()
        var id: String? = containerID
        let completed = isInit && !container.isSidecar && phase == "Running"
        switch phase {
        case "Running" where completed:
            state.terminated = .init(exitCode: 0, reason: "Completed", startedAt: started, finishedAt: started, containerID: containerID)
        case "Running":
            state.running = .init(startedAt: started)
        case "Succeeded":
            state.terminated = .init(exitCode: 0, reason: "Completed", startedAt: started, finishedAt: started, containerID: containerID)
        case "Failed":
            state.terminated = .init(exitCode: 1, reason: "Error", startedAt: started, finishedAt: started, containerID: containerID)
        default:
            state.waiting = .init(reason: "ContainerCreating")
            id = nil
        }
        return .init(
            // As the kubelet reports an init container that exited 0: ready, not started.
            name: container.name, state: state, ready: completed || isReady, restartCount: 0,
            image: container.shownImage, imageID: phase == "Pending" ? "" : imageID, containerID: id,
            started: phase == "Running" && !completed)
    }
}

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
    var deletionTimestamp: Date?
    /// The pod's JSON object as served (kind Pod, apiVersion v1).
    private(set) var json: [UInt8] = []
    /// The pod's `metadata` alone, for Table rows.
    private(set) var metadataJSON: [UInt8] = []

    var isRunning: Bool { phase == "Running" }

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
            labels: labels.isEmpty ? nil : labels, ownerReferences: owner.map { [$0] })
        let ready = phase == "Running"
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
            name: container.name, state: state, ready: phase == "Running", restartCount: 0,
            image: container.shownImage, imageID: phase == "Pending" ? "" : imageID, containerID: id,
            started: phase == "Running" && !completed)
    }
}

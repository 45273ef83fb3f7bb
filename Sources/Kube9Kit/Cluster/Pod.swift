import Foundation

/// `status.phase` of a pod. Unknown strings decode as `.unknown`.
public enum PodPhase: String, Sendable, Equatable, Hashable, CaseIterable {
    case pending = "Pending"
    case running = "Running"
    case succeeded = "Succeeded"
    case failed = "Failed"
    case unknown = "Unknown"
}

/// One `ports[]` entry of a container (`spec.containers[]` or a native sidecar's).
public struct ContainerPort: Sendable, Equatable, Hashable {
    public var containerPort: Int
    public var name: String?
    /// `TCP`, `UDP` or `SCTP` (kubectl forwards TCP only).
    public var protocolName: String

    public init(containerPort: Int, name: String? = nil, protocolName: String = "TCP") {
        self.containerPort = containerPort
        self.name = name
        self.protocolName = protocolName
    }
}

public struct Container: Sendable, Equatable, Hashable {
    public var name: String
    public var image: String
    public var ports: [ContainerPort]
    /// From `status.containerStatuses[]` (false when absent).
    public var ready: Bool
    public var restartCount: Int
    /// A native sidecar: an init container with `restartPolicy: Always`, which runs beside the app containers
    /// (its ready state from `status.initContainerStatuses[]`). kubectl counts it in READY; init containers that
    /// run to completion are not containers here.
    public var isSidecar: Bool

    public init(
        name: String, image: String = "", ports: [ContainerPort] = [], ready: Bool = false, restartCount: Int = 0,
        isSidecar: Bool = false
    ) {
        self.name = name
        self.image = image
        self.ports = ports
        self.ready = ready
        self.restartCount = restartCount
        self.isSidecar = isSidecar
    }
}

public struct OwnerReference: Sendable, Equatable, Hashable {
    public var kind: String
    public var name: String
    public var uid: String
    public var controller: Bool

    public init(kind: String, name: String, uid: String = "", controller: Bool = false) {
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
    }
}

/// A pod as kube9 needs it: decoded from `kubectl get pod(s) -o json`.
public struct Pod: Sendable, Equatable, Hashable {
    public var name: String
    public var namespace: String
    public var uid: String
    public var phase: PodPhase
    public var labels: [String: String]
    /// `spec.containers`, then the native sidecars (``Container/isSidecar``): what runs, as kubectl's READY counts.
    public var containers: [Container]
    public var ownerReferences: [OwnerReference]
    public var deletionTimestamp: Date?
    public var podIP: String?
    public var startTime: Date?
    /// `spec.nodeName`: the node that runs it (nil until scheduled).
    public var nodeName: String?

    public init(
        name: String, namespace: String, uid: String = "", phase: PodPhase, labels: [String: String] = [:],
        containers: [Container] = [], ownerReferences: [OwnerReference] = [], deletionTimestamp: Date? = nil,
        podIP: String? = nil, startTime: Date? = nil, nodeName: String? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.phase = phase
        self.labels = labels
        self.containers = containers
        self.ownerReferences = ownerReferences
        self.deletionTimestamp = deletionTimestamp
        self.podIP = podIP
        self.startTime = startTime
        self.nodeName = nodeName
    }

    public var readyCount: Int { containers.filter(\.ready).count }
    public var isRunning: Bool { phase == .running }
}

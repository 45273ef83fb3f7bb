import Foundation

public enum ForwardStatus: String, Sendable, Equatable, Hashable {
    case connecting
    case connected
    case stopped
    case error
}

/// What the user asked to forward.
public struct ForwardRequest: Sendable, Equatable, Hashable {
    public var context: String
    public var namespace: String
    public var podName: String
    public var localPort: Int
    public var remotePort: Int

    public init(context: String, namespace: String, podName: String, localPort: Int, remotePort: Int) {
        self.context = context
        self.namespace = namespace
        self.podName = podName
        self.localPort = localPort
        self.remotePort = remotePort
    }
}

/// One forward the manager tracks: `{id, podName, namespace, context, localPort, remotePort, processId, status, startTime}`.
public struct ForwardRecord: Sendable, Equatable, Hashable, Identifiable {
    public var id: String
    public var podName: String
    public var namespace: String
    public var context: String
    public var localPort: Int
    public var remotePort: Int
    public var processId: Int32?
    public var status: ForwardStatus
    public var startTime: Date

    public init(
        id: String, podName: String, namespace: String, context: String, localPort: Int, remotePort: Int,
        processId: Int32? = nil, status: ForwardStatus, startTime: Date
    ) {
        self.id = id
        self.podName = podName
        self.namespace = namespace
        self.context = context
        self.localPort = localPort
        self.remotePort = remotePort
        self.processId = processId
        self.status = status
        self.startTime = startTime
    }

    /// `localhost:8080 → default/web-0:80`
    public var label: String { "localhost:\(localPort) → \(namespace)/\(podName):\(remotePort)" }
}

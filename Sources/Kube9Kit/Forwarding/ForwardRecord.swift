import Foundation

public enum ForwardStatus: String, Sendable, Equatable, Hashable {
    case connecting
    case connected
    /// kubectl ended unexpectedly and the manager is starting it again (``ForwardRecord/reconnectAttempt``).
    case reconnecting
    case stopped
    case error
    /// The context's credentials fail: no kubectl until they work again (``ForwardRecord/pausedReason``).
    case paused
}

/// What a forward points at: a pod (`pod/NAME`), a service (`svc/NAME`, kubectl resolves the target port) or a
/// workload (`deploy/NAME`, `sts/NAME`, `rs/NAME`, `ds/NAME`): kubectl picks one running pod its selector selects,
/// again at every restart of the forward.
public enum ForwardTargetKind: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    case pod
    case service
    case deployment
    case statefulSet = "statefulset"
    case replicaSet = "replicaset"
    case daemonSet = "daemonset"

    /// kubectl's resource prefix, the first of ``prefixes``: `pod`, `svc`, `deploy`, `sts`, `rs`, `ds`.
    public var resourcePrefix: String { prefixes[0] }

    /// What a person may type before the name (`deploy/`, `deployment/`, `deployments/`), as kubectl takes them;
    /// the first is the one kube9 writes.
    public var prefixes: [String] {
        switch self {
        case .pod: ["pod", "pods", "po"]
        case .service: ["svc", "service", "services"]
        case .deployment: ["deploy", "deployment", "deployments"]
        case .statefulSet: ["sts", "statefulset", "statefulsets"]
        case .replicaSet: ["rs", "replicaset", "replicasets"]
        case .daemonSet: ["ds", "daemonset", "daemonsets"]
        }
    }

    /// The kind as the API names it: `Pod`, `Service`, `Deployment`, `StatefulSet`, …
    public var title: String {
        switch self {
        case .pod: "Pod"
        case .service: "Service"
        case .deployment: "Deployment"
        case .statefulSet: "StatefulSet"
        case .replicaSet: "ReplicaSet"
        case .daemonSet: "DaemonSet"
        }
    }

    /// A Deployment, StatefulSet, ReplicaSet or DaemonSet: kubectl picks one of its pods at every start.
    public var isWorkload: Bool {
        switch self {
        case .pod, .service: false
        case .deployment, .statefulSet, .replicaSet, .daemonSet: true
        }
    }

    /// The API's resource, as its errors name it (`deployments.apps "web" not found`).
    public var apiResource: String {
        switch self {
        case .pod: "pods"
        case .service: "services"
        case .deployment: "deployments.apps"
        case .statefulSet: "statefulsets.apps"
        case .replicaSet: "replicasets.apps"
        case .daemonSet: "daemonsets.apps"
        }
    }

    /// The kind and name of `text` as kubectl takes a port-forward target (`pod/x` or `x`, `svc/x`, `deploy/x`,
    /// `deployments.apps/x`, …); nil for an unknown kind.
    public static func parse(_ text: String) -> (ForwardTargetKind, String)? {
        guard let slash = text.firstIndex(of: "/") else { return (.pod, text) }
        var prefix = text[..<slash].lowercased()
        // A workload's kind may carry its group, as `kubectl get deploy -o name` prints it (`deployment.apps/web`).
        let grouped = prefix.hasSuffix(".apps")
        if grouped { prefix = String(prefix.dropLast(".apps".count)) }
        guard let kind = allCases.first(where: { $0.prefixes.contains(prefix) }), kind.isWorkload || !grouped else { return nil }
        return (kind, String(text[text.index(after: slash)...]))
    }
}

/// What the user asked to forward.
public struct ForwardRequest: Sendable, Equatable, Hashable, TargetedForward {
    public var target: ForwardTarget
    public var localPort: Int
    public var remotePort: Int
    /// kubectl's `--address`: `localhost` (the default, both loopbacks), an IP, or a comma-separated list.
    public var address: String
    /// Restart on unexpected exit and follow a controller's replacement pod (issue 7); on by default.
    public var heals: Bool
    /// The listener opens at once, kubectl starts only when a connection arrives and stops after
    /// ``idleTimeout`` with no open connection.
    public var onDemand: Bool
    public var idleTimeout: Duration

    public init(
        _ target: ForwardTarget, localPort: Int, remotePort: Int, address: String = ForwardRequest.defaultAddress,
        heals: Bool = true, onDemand: Bool = false, idleTimeout: Duration = ForwardRequest.defaultIdleTimeout
    ) {
        self.target = target
        self.localPort = localPort
        self.remotePort = remotePort
        self.address = address
        self.heals = heals
        self.onDemand = onDemand
        self.idleTimeout = idleTimeout
    }

    public static let defaultAddress = "localhost"
    /// How long an on-demand forward keeps its kubectl with no open connection: 10 minutes.
    public static let defaultIdleTimeout: Duration = .seconds(600)

    /// A forward of the pod (or, with `kind`, the service) `name`.
    public init(
        context: String, namespace: String, name: String, localPort: Int, remotePort: Int,
        kind: ForwardTargetKind = .pod, address: String = ForwardRequest.defaultAddress, heals: Bool = true,
        onDemand: Bool = false, idleTimeout: Duration = ForwardRequest.defaultIdleTimeout
    ) {
        self.init(
            ForwardTarget(context: context, namespace: namespace, kind: kind, name: name), localPort: localPort,
            remotePort: remotePort, address: address, heals: heals, onDemand: onDemand, idleTimeout: idleTimeout)
    }

    public var context: String { target.context }
    public var namespace: String { target.namespace }
    public var kind: ForwardTargetKind { target.kind }

    /// True when the address is only loopback (`localhost`, `127.x`, `::1`).
    public var isLoopbackOnly: Bool { ForwardRequest.isLoopback(address: address) }

    public static func isLoopback(address: String) -> Bool { ForwardAddress.isLoopback(address) }
}

/// One forward the manager tracks: `{id, target, localPort, remotePort, processId, status, startTime}`
/// plus what issue 7 adds (kind, address, healing, reconnect attempt, activity) and the relay's byte counts.
public struct ForwardRecord: Sendable, Equatable, Hashable, Identifiable, TargetedForward {
    public var id: String
    /// The pod (after a move, the replacement) or the service.
    public var target: ForwardTarget
    public var localPort: Int
    public var remotePort: Int
    public var processId: Int32?
    public var status: ForwardStatus
    public var startTime: Date
    public var address: String
    public var heals: Bool
    /// While `status == .reconnecting`: the attempt being made (1, 2, …); 0 otherwise.
    public var reconnectAttempt: Int
    /// Connections kube9's listener accepted since the forward started.
    public var connectionCount: Int
    /// When the last of those connections came.
    public var lastConnectionTime: Date?
    /// Bytes the relay carried from local clients to the pod, and from the pod back, since the forward started.
    public var bytesIn: Int64
    public var bytesOut: Int64
    /// An on-demand forward (see ``ForwardRequest/onDemand``), and whether its kubectl runs now.
    public var onDemand: Bool
    public var idleTimeout: Duration
    public var backendRunning: Bool
    /// While `status == .paused`: why (`Authentication failed for context 'dev': …`).
    public var pausedReason: String?
    /// While kubectl starts: what its credential plugin asks the person to do (`Please visit https://… and enter
    /// code …`), as it printed it; kube9 waits up to ``CredentialPrompt/loginWait`` for it.
    public var loginPrompt: String?

    public init(
        id: String, target: ForwardTarget, localPort: Int, remotePort: Int,
        processId: Int32? = nil, status: ForwardStatus, startTime: Date,
        address: String = ForwardRequest.defaultAddress, heals: Bool = true, reconnectAttempt: Int = 0,
        connectionCount: Int = 0, lastConnectionTime: Date? = nil, bytesIn: Int64 = 0, bytesOut: Int64 = 0,
        onDemand: Bool = false, idleTimeout: Duration = ForwardRequest.defaultIdleTimeout, backendRunning: Bool = false
    ) {
        self.id = id
        self.target = target
        self.localPort = localPort
        self.remotePort = remotePort
        self.processId = processId
        self.status = status
        self.startTime = startTime
        self.address = address
        self.heals = heals
        self.reconnectAttempt = reconnectAttempt
        self.connectionCount = connectionCount
        self.lastConnectionTime = lastConnectionTime
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.onDemand = onDemand
        self.idleTimeout = idleTimeout
        self.backendRunning = backendRunning
    }

    public var context: String { target.context }
    public var namespace: String { target.namespace }
    public var kind: ForwardTargetKind { target.kind }

    /// The forward answers connections on its local port: connected, or on demand (idle or active). What the
    /// status line counts as active; the one definition of it.
    public var isAnswering: Bool { status == .connected }

    /// The row's status text for an on-demand forward that answers (`on demand • idle`/`active`), nil otherwise.
    public var onDemandStatus: String? {
        onDemand && isAnswering ? Messages.onDemandStatus(backendRunning: backendRunning) : nil
    }

    /// Its kubectl runs now: an on-demand forward's is kept in ``backendRunning`` (idle or not), an eager one's runs
    /// while it has one.
    public var runsKubectl: Bool { onDemand ? backendRunning : processId != nil }

    /// The request that would start this forward again.
    public var request: ForwardRequest {
        ForwardRequest(
            target, localPort: localPort, remotePort: remotePort, address: address, heals: heals, onDemand: onDemand,
            idleTimeout: idleTimeout)
    }
}

/// One forward's life as data: its phase (with what that phase needs), the record people see, and the
/// connections kube9 holds for it. Changed only by ``ForwardLifecycle/step(_:_:now:)``.
struct ForwardState: Sendable, Equatable {
    var record: ForwardRecord
    var phase: ForwardPhase
    /// The caller of `startForward` has not been answered yet (no healing before the first connect).
    var startPending = true
    /// How long a kubectl may take to print `Forwarding from`, and how long a held connection waits.
    var connectTimeout: Duration
    /// Connections accepted while no backend was ready: not read, waiting for one (or for their deadline).
    var held: Set<ConnectionID> = []
    /// Connections handed to the backend and still open.
    var relaying: Set<ConnectionID> = []
    /// Held connections the connected backend gave back unanswered (it closed or reset them before answering a
    /// byte): its kubectl is most likely ending. Each waits ``ForwardLifecycle/unansweredWait`` for that; once the
    /// kubectl has exited it waits for the next one like any held connection, and it is closed if the kubectl
    /// stays (the pod's server closed it). Always a subset of `held`, empty unless connected.
    var unanswered: Set<ConnectionID> = []
    /// When the current kubectl last said the pod refused a connection.
    var lastRefusal: ContinuousClock.Instant?
    /// The last stderr lines of the current kubectl (classifies its failure).
    var stderrTail: [String] = []
    /// `Nothing listens on port …` has been told (once per forward, not on every connection or retry).
    var nothingListensTold = false
    /// The last kubectl exited on the kubelet's refusal: the next one connecting keeps the attempt count, so a
    /// forward whose every connection is refused backs off instead of restarting at once.
    var lastExitRefused = false

    /// The forwarded pod is being deleted and has a controller: its kubectl serves on (the pod does, through its
    /// grace period) until a pod that can stand in for it is Ready, then the forward moves there. If that kubectl
    /// ends first, the forward waits for the replacement holding connections instead of trying the pod again.
    var terminatingPod: Pod?
    /// A Ready pod standing in for the one being deleted, moved to once the connections the current kubectl serves
    /// have ended (or after ``ForwardLifecycle/drainLimit``); new connections are held meanwhile, not cut. Only
    /// while connected.
    var standIn: Pod?

    /// The kubectl this forward has (running, being spawned, or being ended), if any.
    var process: BackendProcess? { phase.process }

    var isEnded: Bool {
        if case .ended = phase { return true }
        return false
    }

    var isConnected: Bool {
        if case .connected = phase { return true }
        return false
    }

    var isPaused: Bool {
        if case .paused = phase { return true }
        return false
    }

    /// A Ready pod may be what it waits for: it awaits a replacement, or its pod is being deleted.
    var looksForStandIn: Bool {
        if case .awaitingReplacement = phase { return true }
        return terminatingPod != nil
    }

    var isIdle: Bool {
        if case .idle = phase { return true }
        return false
    }

    /// An on-demand forward's first kubectl since it was idle (failures go back to idle, they do not heal).
    var isFirstUse: Bool {
        if record.onDemand, case .starting(0, _, _) = phase { return true }
        return false
    }
}

/// Where a forward is. Every phase carries what it needs; at most one kubectl exists per forward at any time.
enum ForwardPhase: Sendable, Equatable {
    /// A kubectl is being spawned or runs, not yet `Forwarding from`; it must by `deadline`. `attempt` is 0 for
    /// the first start and the reconnect attempt while healing.
    case starting(attempt: Int, process: BackendProcess, deadline: ContinuousClock.Instant)
    /// kubectl listens on `backendPort` (the port of its `Forwarding from` line).
    case connected(pid: Int32, backendPort: Int)
    /// Healing: the old kubectl (if any) is ending; the next starts once it has and the backoff has elapsed.
    case reconnecting(attempt: Int, ending: BackendProcess?, backoffElapsed: Bool)
    /// Healing: the pod was deleted and has a controller; the old kubectl ends and a Running replacement is awaited.
    case awaitingReplacement(gone: Pod, attempt: Int, ending: BackendProcess?)
    /// Ending for `reason`: the listener is closed, the last kubectl is ending.
    case stopping(reason: EndReason, ending: BackendProcess?)
    /// Over: no process, no timer, no held connection.
    case ended(EndReason)
    /// On demand, listening with no kubectl (`ending`: the last one, told to end, has not exited yet); the next
    /// connection starts one.
    case idle(ending: BackendProcess?)
    /// The context's credentials failed (`reason`): no kubectl is started until they are restored (a call in the
    /// context succeeds, or the person asks). The listener stays open, so the port stays this forward's;
    /// connections are closed at once. `ending`: the last kubectl, told to end, has not exited yet.
    case paused(reason: KubeError, ending: BackendProcess?)

    var process: BackendProcess? {
        switch self {
        case .starting(_, let process, _): process
        case .connected(let pid, _): .running(pid)
        case .reconnecting(_, let ending, _), .awaitingReplacement(_, _, let ending), .stopping(_, let ending),
            .idle(let ending), .paused(_, let ending):
            ending
        case .ended: nil
        }
    }

    /// A short name for logs.
    var name: String {
        switch self {
        case .starting: "starting"
        case .connected: "connected"
        case .reconnecting: "reconnecting"
        case .awaitingReplacement: "awaiting replacement"
        case .stopping: "stopping"
        case .ended: "ended"
        case .idle: "idle"
        case .paused: "paused"
        }
    }
}

/// A forward's kubectl: asked for and not spawned yet, or running with its process id.
enum BackendProcess: Sendable, Equatable, Hashable {
    case spawning
    case running(Int32)

    var pid: Int32? {
        if case .running(let pid) = self { return pid }
        return nil
    }
}

/// One connection kube9 accepted on a forward's listener.
struct ConnectionID: Sendable, Equatable, Hashable, Comparable, CustomStringConvertible {
    var value: UInt64
    static func < (a: ConnectionID, b: ConnectionID) -> Bool { a.value < b.value }
    var description: String { "#\(value)" }
}

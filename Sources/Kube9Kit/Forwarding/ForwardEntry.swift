/// The manager's private bookkeeping for one forward.
struct ForwardEntry {
    enum Phase: Equatable {
        case connecting
        case connected
        /// Healing: the old kubectl is gone (or going) and the next one starts after a backoff.
        case reconnecting
        /// Being stopped or ended: its one ending task owns it from here.
        case ending
    }

    var record: ForwardRecord
    /// Tells this forward's current kubectl apart from an earlier one with the same id (new on every reconnect).
    var token: UInt64
    var phase: Phase = .connecting
    var process: RunningProcess?
    /// True once the spawn has succeeded or failed.
    var launched = false
    var launchWaiters: [CheckedContinuation<Void, Never>] = []
    /// The caller of `startForward`, until connected or failed.
    var connectWaiter: CheckedContinuation<Result<ForwardRecord, KubeError>, Never>?
    var deadlineTask: Task<Void, Never>?
    var ending: Task<Void, Never>?
    /// While reconnecting: ends the old kubectl, waits the backoff, starts the next one.
    var reconnectTask: Task<Void, Never>?
    var stdout = LineSplitter()
    var stderr = LineSplitter()
    var stderrTail: [String] = []
    /// When the last activity `.updated` went out, and whether one is scheduled (at most one per 250 ms).
    var lastActivityPublish: ContinuousClock.Instant?
    var activityPublishPending = false

    init(record: ForwardRecord, token: UInt64) {
        self.record = record
        self.token = token
    }

    func matches(_ request: ForwardRequest) -> Bool {
        record.context == request.context && record.namespace == request.namespace
            && record.kind == request.kind && record.podName == request.podName && record.localPort == request.localPort
    }
}

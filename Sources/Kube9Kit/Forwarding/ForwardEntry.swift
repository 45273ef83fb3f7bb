import Foundation
import NIOCore

/// The manager's bookkeeping for one forward around its ``ForwardState``: the processes, timers and waiters that
/// interpret the lifecycle's commands.
struct ForwardEntry {
    var state: ForwardState
    /// kubectl processes spawned for this forward that have not been seen to exit (at most one).
    var processes: [Int32: any ForwardBackendProcess] = [:]
    /// Running timers, each with the serial that tells a cancelled one's late firing apart.
    var timers: [ForwardTimer: (serial: UInt64, task: Task<Void, Never>)] = [:]
    /// The caller of `startForward`, until connected or failed.
    var startWaiter: CheckedContinuation<Result<ForwardRecord, KubeError>, Never>?
    /// Callers of `stopForward`, answered once the forward is gone.
    var endWaiters: [CheckedContinuation<Void, Never>] = []
    /// When the last activity `.updated` went out, and whether one is scheduled (at most one per 250 ms).
    var lastActivityPublish: ContinuousClock.Instant?
    var activityPublishPending = false
    /// kube9's listener on the local port, until the lifecycle closes it; then its closing (the port is free once
    /// it is done).
    var listener: ForwardListener?
    var listenerClosing: Task<Void, Never>?
    /// Accepted connections the lifecycle has neither relayed nor closed yet (held, unread).
    var connections: [ConnectionID: any Channel] = [:]
    /// The bytes the relay carries for this forward.
    var activity: RelayActivity?
    /// The kubectl this forward shares with others to the same pod started together, if any.
    var sharedBackend: UUID?

    init(state: ForwardState) {
        self.state = state
    }

    var record: ForwardRecord { state.record }
}

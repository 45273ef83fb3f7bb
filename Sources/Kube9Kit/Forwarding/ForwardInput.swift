/// What happens to a forward, as its interpreter (the manager) tells the lifecycle.
enum ForwardInput: Sendable, Equatable {
    /// The `spawn` asked for has started a kubectl.
    case spawned(pid: Int32)
    case spawnFailed(KubeError)
    case stdoutLine(pid: Int32, String)
    case stderrLine(pid: Int32, String)
    /// A kubectl exited (its output is read to the end); `cause` is what the manager knows of its pod.
    case exited(pid: Int32, ProcessExit, cause: ExitCause)
    case timerFired(ForwardTimer)
    /// The forwarded pod was deleted; `followable` when it has a controller that will replace it.
    case podDeleted(Pod, followable: Bool)
    /// The forwarded pod is being deleted (it has a `deletionTimestamp`, and serves on through its grace period);
    /// `followable` when it has a controller that will replace it.
    case podTerminating(Pod, followable: Bool)
    /// A pod of the forward's namespace is Ready (a replacement, maybe).
    case podReady(Pod)
    case stop
    case setHealing(Bool)
    /// Switches the forward to on demand (with this idle timeout) or back to a kubectl that always runs.
    case setOnDemand(Bool, idleTimeout: Duration)
    /// The listener accepted a connection.
    case connectionAccepted(ConnectionID)
    /// The listener relayed a connection by itself to the backend it was told of (the forward was connected).
    case connectionRelayed(ConnectionID)
    /// A held connection was closed by its client.
    case connectionClosed(ConnectionID)
    /// The backend refused a connection handed to it, or closed or reset it before answering a byte (its kubectl is
    /// probably going away): the connection is open and unread, what its client sent kept for the next backend.
    case relayFailed(ConnectionID)
    /// A relayed connection has closed.
    case relayEnded(ConnectionID)
    /// The forward's context's credentials fail (a kubectl of the context said so): a forward that needs a new
    /// kubectl pauses with this reason instead of trying again.
    case credentialsFailed(KubeError)
    /// The context's credentials work again (a call succeeded, or the person asked): a paused forward starts kubectl.
    case credentialsRestored
}

/// What the manager knows of a pod when its kubectl exits.
enum ExitCause: Sendable, Equatable {
    /// Nothing says the pod is gone.
    case unknown
    /// The pod is gone (the watch saw it deleted, or kubectl said NotFound); `replacedBy` holds the gone pod when
    /// it has a controller that will replace it.
    case podGone(follow: Pod?)
    /// kubectl could not authenticate (or trust the server): the context's credentials fail.
    case credentialsFailed(KubeError)
}

/// The timers one forward may have running.
enum ForwardTimer: Sendable, Equatable, Hashable {
    /// The start deadline of the current kubectl.
    case deadline
    /// The wait before the next reconnect attempt.
    case backoff
    /// How long a held connection waits for a backend.
    case held(ConnectionID)
    /// An on-demand forward's kubectl stops once no connection has been open this long.
    case idle
    /// How long a move to a pod standing in for one being deleted waits for the connections the old pod serves.
    case drain
}

/// What the lifecycle asks its interpreter to do, in order.
enum ForwardCommand: Sendable, Equatable {
    /// Start a kubectl for the forward's current record (answered by `spawned` or `spawnFailed`).
    case spawn
    /// End a kubectl (answered by `exited`).
    case terminate(pid: Int32)
    case schedule(ForwardTimer, after: Duration)
    case cancelTimer(ForwardTimer)
    /// Publish `.updated(record)`.
    case publishUpdate
    case notice(Notice)
    /// Answer the caller of `startForward`: connected.
    case resolveStart
    /// Watch the forward's namespace for deleted and replacement pods.
    case watchNamespace
    /// Tell the lifecycle (with `podReady`) of a Ready pod already known that can stand in for `gone`.
    case findReplacement(Pod)
    /// Serve a connection through the backend on 127.0.0.1:`port`.
    case relay(ConnectionID, toPort: Int)
    case closeConnection(ConnectionID)
    /// Close the local listener (and connections it relays): the port is free again.
    case closeListener
    /// The forward is over: answer the waiters, publish the notice and `.removed`.
    case finish(EndReason)
    /// An on-demand forward's kubectl failed on first use: tell the person why, as a failed start would (the
    /// forward stays, idle).
    case reportFailure(EndReason)
    /// The forward no longer runs kubectl: its namespace's watch may stop when no other forward there needs it.
    case unwatchNamespace
}

extension ForwardInput {
    /// A short name for logs.
    var name: String {
        switch self {
        case .spawned: "spawned"
        case .spawnFailed: "spawn failed"
        case .stdoutLine: "stdout"
        case .stderrLine: "stderr"
        case .exited: "exited"
        case .timerFired(let timer): "\(timer) timer"
        case .podDeleted: "pod deleted"
        case .podTerminating: "pod terminating"
        case .podReady: "pod ready"
        case .stop: "stop"
        case .setHealing: "healing set"
        case .setOnDemand: "on demand set"
        case .connectionAccepted: "connection accepted"
        case .connectionRelayed: "connection relayed"
        case .connectionClosed: "connection closed"
        case .relayFailed: "relay failed"
        case .relayEnded: "relay ended"
        case .credentialsFailed: "credentials failed"
        case .credentialsRestored: "credentials restored"
        }
    }
}

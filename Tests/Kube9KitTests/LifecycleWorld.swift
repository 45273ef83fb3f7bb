import Foundation
import Testing

@testable import Kube9Kit

/// A fake world for ``ForwardLifecycle``: a clock that moves only when told, fake kubectl processes, timers and
/// connections, all driven by the commands the lifecycle returns. Tests feed inputs through it and assert what
/// it holds.
struct LifecycleWorld {
    var state: ForwardState
    var now: ContinuousClock.Instant
    var spawnPending = false
    var nextPid: Int32 = 100
    /// Live fake processes: pid → asked to terminate.
    var live: [Int32: Bool] = [:]
    var timers: [ForwardTimer: ContinuousClock.Instant] = [:]
    var nextConnection: UInt64 = 1
    /// Accepted connections not yet relayed nor closed.
    var waiting: Set<ConnectionID> = []
    var relayed: [ConnectionID: Int] = [:]
    /// Failures reported on first use of an on-demand forward.
    var reported: [EndReason] = []
    var unwatched = 0
    var closed: Set<ConnectionID> = []
    var listenerOpen = true
    var finished: EndReason?
    var resolvedStarts = 0
    var spawns = 0
    var published = 0
    var notices: [Notice] = []
    var replacementsLookedFor: [Pod] = []
    var last: [ForwardCommand] = []

    static let pod = Pod(
        name: "web-0", namespace: "default", phase: .running, labels: ["app": "web"],
        ownerReferences: [OwnerReference(kind: "ReplicaSet", name: "web-7d9f8", uid: "rs-1", controller: true)])
    static let replacement = Pod(
        name: "web-1", namespace: "default", phase: .running, labels: ["app": "web"],
        ownerReferences: [OwnerReference(kind: "ReplicaSet", name: "web-7d9f8", uid: "rs-1", controller: true)])
    static let stranger = Pod(name: "db-0", namespace: "default", phase: .running, labels: ["app": "db"])

    init(heals: Bool = true, connectTimeout: Duration = .seconds(10), onDemand: Bool = false) {
        let now = ContinuousClock.now
        self.now = now
        let record = ForwardRecord(
            id: "ctx/default/web-0:8080:80", target: ForwardTarget(context: "ctx", namespace: "default", name: "web-0"), localPort: 8080,
            remotePort: 80, status: .connecting, startTime: Date(), heals: heals, onDemand: onDemand,
            idleTimeout: Self.idleTimeout)
        let (state, commands) =
            onDemand
            ? ForwardLifecycle.startOnDemand(record: record, connectTimeout: connectTimeout)
            : ForwardLifecycle.start(
                record: record, connectTimeout: connectTimeout, deadline: now + connectTimeout, now: now)
        self.state = state
        apply(commands)
    }

    static let idleTimeout: Duration = .seconds(600)

    /// The pid of the live process, if exactly one.
    var pid: Int32? { live.keys.first }

    mutating func send(_ input: ForwardInput) {
        let (next, commands) = ForwardLifecycle.step(state, input, now: now)
        state = next
        apply(commands)
    }

    mutating func apply(_ commands: [ForwardCommand]) {
        last = commands
        for command in commands {
            switch command {
            case .spawn:
                #expect(!spawnPending && live.isEmpty, "a second kubectl while one exists")
                spawnPending = true
                spawns += 1
            case .terminate(let pid):
                #expect(live[pid] != nil, "terminate of a process that is not running")
                live[pid] = true
            case .schedule(let timer, let after):
                #expect(after >= .zero)
                timers[timer] = now + after
            case .cancelTimer(let timer):
                timers.removeValue(forKey: timer)
            case .publishUpdate:
                published += 1
            case .notice(let notice):
                notices.append(notice)
            case .resolveStart:
                resolvedStarts += 1
            case .watchNamespace:
                break
            case .findReplacement(let gone):
                replacementsLookedFor.append(gone)
            case .relay(let connection, let port):
                #expect(waiting.remove(connection) != nil, "relay of a connection not waiting")
                relayed[connection] = port
            case .closeConnection(let connection):
                #expect(waiting.remove(connection) != nil, "close of a connection not waiting")
                closed.insert(connection)
            case .closeListener:
                listenerOpen = false
            case .finish(let reason):
                #expect(finished == nil, "finished twice")
                finished = reason
            case .reportFailure(let reason):
                reported.append(reason)
            case .unwatchNamespace:
                unwatched += 1
            }
        }
    }

    // MARK: The environment's moves

    mutating func spawnSucceeds() {
        precondition(spawnPending)
        spawnPending = false
        nextPid += 1
        live[nextPid] = false
        send(.spawned(pid: nextPid))
    }

    mutating func spawnFails() {
        precondition(spawnPending)
        spawnPending = false
        send(.spawnFailed(KubeError(.kubectlNotFound, Messages.kubectlNotFound)))
    }

    mutating func forwarding(port: Int = 41234) {
        send(.stdoutLine(pid: pid!, "Forwarding from 127.0.0.1:\(port) -> 80"))
    }

    mutating func exits(_ exit: ProcessExit = .signaled(9), cause: ExitCause = .unknown) {
        let pid = pid!
        live.removeValue(forKey: pid)
        send(.exited(pid: pid, exit, cause: cause))
    }

    /// Moves the clock to the earliest timer and fires it.
    mutating func fireNextTimer() {
        guard let (timer, at) = timers.min(by: { $0.value < $1.value }) else { return }
        now = max(now, at)
        timers.removeValue(forKey: timer)
        send(.timerFired(timer))
    }

    mutating func fire(_ timer: ForwardTimer) {
        guard let at = timers.removeValue(forKey: timer) else {
            Issue.record("no \(timer) timer")
            return
        }
        now = max(now, at)
        send(.timerFired(timer))
    }

    @discardableResult
    mutating func accept() -> ConnectionID {
        let connection = ConnectionID(value: nextConnection)
        nextConnection += 1
        waiting.insert(connection)
        send(.connectionAccepted(connection))
        return connection
    }

    /// The backend refused a relayed connection: it is open and unread again.
    mutating func backendRefuses(_ connection: ConnectionID) {
        relayed.removeValue(forKey: connection)
        waiting.insert(connection)
        send(.relayFailed(connection))
    }

    /// A relayed connection closes.
    mutating func relayEnds(_ connection: ConnectionID) {
        guard relayed.removeValue(forKey: connection) != nil else { return }
        send(.relayEnded(connection))
    }

    /// A connected forward, as after a successful start.
    static func connected(heals: Bool = true) -> LifecycleWorld {
        var world = LifecycleWorld(heals: heals)
        world.spawnSucceeds()
        world.forwarding()
        return world
    }

    /// The environment finishes what the lifecycle asked (spawns complete, terminated processes exit) until the
    /// forward has ended or nothing is left to do.
    mutating func drain() {
        for _ in 0..<10 where finished == nil {
            if spawnPending {
                spawnSucceeds()
            } else if let (pid, _) = live.first {
                live.removeValue(forKey: pid)
                send(.exited(pid: pid, .signaled(15), cause: .unknown))
            } else {
                return
            }
        }
    }

    /// Nothing is left behind: no process, no spawn under way, no timer, no waiting connection, no listener.
    func expectNothingLeft(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(state.isEnded, "phase \(state.phase.name)", sourceLocation: sourceLocation)
        #expect(finished != nil, sourceLocation: sourceLocation)
        #expect(live.isEmpty && !spawnPending, "processes \(live)", sourceLocation: sourceLocation)
        #expect(timers.isEmpty, "timers \(timers.keys)", sourceLocation: sourceLocation)
        #expect(waiting.isEmpty && state.held.isEmpty, "connections \(waiting)", sourceLocation: sourceLocation)
        #expect(!listenerOpen, sourceLocation: sourceLocation)
        #expect(state.relaying.isEmpty, sourceLocation: sourceLocation)
    }
}

/// A forward's life as one pure function: `(state, input) -> (state, [command])`. The manager interprets the
/// commands (processes, sockets, timers) and feeds back what happened; nothing here does I/O or reads a clock.
///
/// The rules: at most one kubectl per forward at a time (the next starts only once the last has exited); no healing
/// before the first connect; every phase change cancels the timers it no longer needs; a forward ends only once its
/// kubectl has exited, after which it holds no process, timer or connection.
enum ForwardLifecycle {
    /// The first state of a forward whose start must succeed by `deadline`, and what to do.
    static func start(
        record: ForwardRecord, connectTimeout: Duration, deadline: ContinuousClock.Instant,
        now: ContinuousClock.Instant
    ) -> (ForwardState, [ForwardCommand]) {
        var record = record
        record.status = .connecting
        let state = ForwardState(
            record: record, phase: .starting(attempt: 0, process: .spawning, deadline: deadline),
            connectTimeout: connectTimeout)
        return (state, [.spawn, .schedule(.deadline, after: max(deadline - now, .zero))])
    }

    /// The first state of an on-demand forward: listening (its start is answered at once), no kubectl until a
    /// connection arrives.
    static func startOnDemand(record: ForwardRecord, connectTimeout: Duration) -> (ForwardState, [ForwardCommand]) {
        var record = record
        record.status = .connected
        record.onDemand = true
        record.backendRunning = false
        var state = ForwardState(record: record, phase: .idle(ending: nil), connectTimeout: connectTimeout)
        state.startPending = false
        return (state, [.publishUpdate, .resolveStart])
    }

    static func step(_ state: ForwardState, _ input: ForwardInput, now: ContinuousClock.Instant)
        -> (ForwardState, [ForwardCommand])
    {
        var transition = Transition(state: state, now: now)
        transition.apply(input)
        transition.settleUnanswered()
        transition.settleMove()
        return (transition.state, transition.commands)
    }

    /// The wait before reconnect attempt `attempt`: 1 s, 2 s, 4 s … capped at 30 s.
    static func reconnectDelay(attempt: Int) -> Duration {
        .seconds(min(30, 1 << min(max(attempt - 1, 0), 5)))
    }

    /// The local port of kubectl's `Forwarding from 127.0.0.1:N -> R` (or `[::1]:N`), nil for other lines.
    static func forwardingPort(_ line: String) -> Int? {
        guard line.hasPrefix("Forwarding from "), let arrow = line.range(of: " -> ") else { return nil }
        let address = line[line.index(line.startIndex, offsetBy: 16)..<arrow.lowerBound]
        guard let colon = address.lastIndex(of: ":") else { return nil }
        return Int(address[address.index(after: colon)...])
    }

    /// How long a move from a pod being deleted to its stand-in waits for the connections the old pod still serves
    /// (a request in flight, a download); longer ones are cut when its kubectl ends. Held connections wait within
    /// their own deadline (``ForwardState/connectTimeout``) meanwhile.
    static let drainLimit: Duration = .seconds(5)

    /// The most stderr lines kept for classifying a failure.
    static let stderrTailLimit = 40

    /// How long a connection the connected backend gave back unanswered waits for that backend's kubectl to exit
    /// (it closes its local connections a moment before it does), before it is closed as the pod's server's answer.
    static let unansweredWait: Duration = .seconds(1)
}

/// One step being worked out: the state as it changes and the commands collected.
private struct Transition {
    var state: ForwardState
    let now: ContinuousClock.Instant
    var commands: [ForwardCommand] = []

    init(state: ForwardState, now: ContinuousClock.Instant) {
        self.state = state
        self.now = now
    }

    /// Healing applies: the flag is on and the first start has been answered.
    var heals: Bool { state.record.heals && !state.startPending }

    mutating func apply(_ input: ForwardInput) {
        switch input {
        case .spawned(let pid): spawned(pid)
        case .spawnFailed(let error): spawnFailed(error)
        case .stdoutLine(let pid, let line): stdout(pid, line)
        case .stderrLine(let pid, let line):
            guard !state.isEnded else { return }
            state.stderrTail.append(line)
            if state.stderrTail.count > ForwardLifecycle.stderrTailLimit { state.stderrTail.removeFirst() }
            if let port = refusedPort(line) {
                nothingListens(port: port)
                state.lastRefusal = now
                closeOldestUnanswered()
            }
            if CredentialPrompt.isPrompt(line) { loginPrompt(line, pid: pid) }
        case .exited(let pid, let exit, let cause): exited(pid, exit, cause)
        case .timerFired(let timer): fired(timer)
        case .podDeleted(let pod, let followable): podDeleted(pod, followable: followable)
        case .podTerminating(let pod, let followable): podTerminating(pod, followable: followable)
        case .podReady(let pod): podReady(pod)
        case .stop:
            switch state.phase {
            case .stopping, .ended: return
            default: end(.stoppedByUser)
            }
        case .setHealing(let enabled):
            guard !state.isEnded else { return }
            state.record.heals = enabled
            if !enabled {
                // Not healing: no replacement is followed, not even one a move already waits for; what that move
                // held goes to the kubectl that stays.
                if state.standIn != nil, case .connected(_, let port) = state.phase {
                    dropStandIn()
                    for connection in state.held.subtracting(state.unanswered).sorted() {
                        state.held.remove(connection)
                        commands.append(.cancelTimer(.held(connection)))
                        relay(connection, to: port)
                    }
                }
                dropStandIn()
                state.terminatingPod = nil
            }
            commands.append(.publishUpdate)
        case .setOnDemand(let enabled, let idleTimeout): setOnDemand(enabled, idleTimeout: idleTimeout)
        case .connectionAccepted(let connection): accepted(connection)
        case .connectionRelayed(let connection): relayedByListener(connection)
        case .relayFailed(let connection):
            accepted(connection, backendRefused: true)
            // The old pod refused the last connection it served: the move need not wait any longer.
            if let standIn = state.standIn, state.relaying.isEmpty { moveFromTerminating(to: standIn) }
        case .connectionClosed(let connection):
            guard state.held.remove(connection) != nil else { return }
            commands.append(.cancelTimer(.held(connection)))
            scheduleIdleIfUnused()
        case .relayEnded(let connection):
            guard state.relaying.remove(connection) != nil else { return }
            if let standIn = state.standIn, state.relaying.isEmpty {
                moveFromTerminating(to: standIn)
                return
            }
            scheduleIdleIfUnused()
        case .credentialsFailed(let error): credentialsFailed(error)
        case .credentialsRestored: credentialsRestored()
        }
    }

    // MARK: kubectl

    private mutating func spawned(_ pid: Int32) {
        switch state.phase {
        case .starting(let attempt, .spawning, let deadline):
            state.phase = .starting(attempt: attempt, process: .running(pid), deadline: deadline)
            state.record.processId = pid
            commands.append(.publishUpdate)
        case .reconnecting(let attempt, .spawning, let elapsed):
            state.phase = .reconnecting(attempt: attempt, ending: .running(pid), backoffElapsed: elapsed)
            commands.append(.terminate(pid: pid))
        case .awaitingReplacement(let gone, let attempt, .spawning):
            state.phase = .awaitingReplacement(gone: gone, attempt: attempt, ending: .running(pid))
            commands.append(.terminate(pid: pid))
        case .stopping(let reason, .spawning):
            state.phase = .stopping(reason: reason, ending: .running(pid))
            commands.append(.terminate(pid: pid))
        case .idle(.spawning):
            state.phase = .idle(ending: .running(pid))
            commands.append(.terminate(pid: pid))
        case .paused(let reason, .spawning):
            state.phase = .paused(reason: reason, ending: .running(pid))
            commands.append(.terminate(pid: pid))
        default:
            // No spawn was asked for: never leave it running.
            commands.append(.terminate(pid: pid))
        }
    }

    private mutating func spawnFailed(_ error: KubeError) {
        switch state.phase {
        case .starting(_, .spawning, _) where state.isFirstUse:
            failFirstUse(.failedToStart(error), processGone: true)
        case .starting(_, .spawning, _):
            end(.failedToStart(error), processGone: true)
        case .reconnecting(let attempt, .spawning, let elapsed):
            state.phase = .reconnecting(attempt: attempt, ending: nil, backoffElapsed: elapsed)
            if elapsed { startNext(attempt: attempt) }
        case .awaitingReplacement(let gone, let attempt, .spawning):
            state.phase = .awaitingReplacement(gone: gone, attempt: attempt, ending: nil)
        case .stopping(let reason, .spawning):
            finish(reason)
        case .idle(.spawning):
            idleProcessGone()
        case .paused(let reason, .spawning):
            state.phase = .paused(reason: reason, ending: nil)
        default:
            break
        }
    }

    private mutating func stdout(_ pid: Int32, _ line: String) {
        guard state.process == .running(pid) else { return }
        guard case .starting = state.phase, let port = ForwardLifecycle.forwardingPort(line) else { return }
        state.phase = .connected(pid: pid, backendPort: port)
        state.record.status = .connected
        if !state.lastExitRefused { state.record.reconnectAttempt = 0 }
        state.record.loginPrompt = nil
        commands.append(.cancelTimer(.deadline))
        commands.append(.publishUpdate)
        commands.append(.watchNamespace)
        if state.startPending {
            state.startPending = false
            commands.append(.resolveStart)
        }
        for connection in state.held.sorted() {
            commands.append(.cancelTimer(.held(connection)))
            relay(connection, to: port)
        }
        state.held = []
        scheduleIdleIfUnused()
    }

    private mutating func exited(_ pid: Int32, _ exit: ProcessExit, _ cause: ExitCause) {
        guard state.process == .running(pid) else { return }
        // The pod being deleted stopped serving: its replacement next, not the pod again (on demand too: what is held
        // waits for the replacement instead of being refused).
        // (An on-demand forward with nothing in flight goes idle instead, as after any exit.)
        let idlesNow = state.record.onDemand && state.relaying.isEmpty && state.held.isEmpty
        if heals, cause == .unknown, !idlesNow, let terminating = state.terminatingPod {
            switch state.phase {
            case .starting, .connected:
                awaitReplacement(terminating, processGone: true)
                return
            default: break
            }
        }
        if case .connected = state.phase, cause == .unknown, kubeletRefused, state.terminatingPod == nil {
            refusedExit()
            return
        }
        if state.lastExitRefused, case .connected = state.phase {
            // Ended for another reason after a refusal streak: healing counts afresh.
            state.lastExitRefused = false
            state.record.reconnectAttempt = 0
        }
        switch state.phase {
        case .starting where state.isFirstUse:
            // The first use of an on-demand forward: a deleted pod with a controller is followed, anything else
            // is reported and the forward is idle again.
            if heals, state.record.kind == .pod, case .podGone(let gone?) = cause {
                awaitReplacement(gone, processGone: true)
            } else {
                failFirstUse(.exited(exit), processGone: true)
            }
        case .connected where state.record.onDemand && state.relaying.isEmpty
            && (state.held.isEmpty || cause == .unknown):
            // Nothing in flight was cut: idle, and the next connection starts another. Connections it gave back as
            // it ended wait for the next kubectl, which starts at once (as after a refusal).
            goIdle(ending: nil)
            if !state.held.isEmpty { wake() }
        case .starting, .connected:
            guard heals else {
                end(.exited(exit), processGone: true)
                return
            }
            switch cause {
            case .unknown: reconnect(processGone: true)
            case .podGone(let gone?) where state.record.kind == .pod: awaitReplacement(gone, processGone: true)
            case .podGone: end(.podDeleted, processGone: true)
            case .credentialsFailed(let error): pause(error, processGone: true)
            }
        case .reconnecting(let attempt, _, let elapsed):
            state.phase = .reconnecting(attempt: attempt, ending: nil, backoffElapsed: elapsed)
            if elapsed { startNext(attempt: attempt) }
        case .awaitingReplacement(let gone, let attempt, _):
            state.phase = .awaitingReplacement(gone: gone, attempt: attempt, ending: nil)
        case .stopping(let reason, _):
            finish(reason)
        case .idle:
            idleProcessGone()
        case .paused(let reason, _):
            state.phase = .paused(reason: reason, ending: nil)
        case .ended:
            break
        }
    }

    // MARK: Nothing listens

    /// The kubelet refused a forwarded connection (kubectl closes it): told once per forward; the listener stays.
    private mutating func nothingListens(port: Int) {
        guard !state.nothingListensTold else { return }
        state.nothingListensTold = true
        let text = Messages.nothingListens(port: port, in: state.record.target)
        commands.append(.notice(Notice(.warning, text)))
    }

    /// The current kubectl said the kubelet refused a connection of this forward (most kubectl versions then exit).
    private var kubeletRefused: Bool {
        state.stderrTail.contains { refusedPort($0) != nil }
    }

    /// The port of a refusal `line` when it is this forward's: its remote port (a kubectl shared by several
    /// forwards names each one's), or any for a service (the refusal names the pod's target port).
    private func refusedPort(_ line: String) -> Int? {
        guard let port = KubectlErrorClassifier.refusedRemotePort(line),
            port == state.record.remotePort || state.record.kind == .service
        else { return nil }
        return port
    }

    /// kubectl said the pod refused a connection (one line per refused connection, which kubectl then closes):
    /// the oldest connection its relay has given back unanswered is that one, closed at once as raw kubectl closes
    /// it, not sent to the next kubectl to be refused again. One given back within ``ForwardLifecycle/unansweredWait``
    /// after the line is closed as it comes (``refusedJustNow``).
    private mutating func closeOldestUnanswered() {
        guard let refused = state.unanswered.min() else { return }
        state.unanswered.remove(refused)
        state.held.remove(refused)
        commands.append(.cancelTimer(.held(refused)))
        commands.append(.closeConnection(refused))
        scheduleIdleIfUnused()
    }

    /// The current kubectl reported a refusal less than ``ForwardLifecycle/unansweredWait`` ago.
    private var refusedJustNow: Bool {
        guard let at = state.lastRefusal else { return false }
        return now - at < ForwardLifecycle.unansweredWait
    }

    /// A connected kubectl exited because a connection was refused in the pod: the forward is fine, so the next
    /// kubectl starts (healing or not) after the backoff, counted on from the last refusal; on demand, it is idle
    /// until the next connection.
    private mutating func refusedExit() {
        state.lastExitRefused = true
        if state.record.onDemand {
            goIdle(ending: nil)
            if !state.held.isEmpty { wake() }
        } else {
            reconnect(processGone: true)
        }
    }

    // MARK: Timers

    private mutating func fired(_ timer: ForwardTimer) {
        switch timer {
        case .deadline:
            guard case .starting = state.phase else { return }
            if state.isFirstUse {
                failFirstUse(.timedOut, processGone: false)
            } else if heals {
                reconnect(processGone: false)
            } else {
                end(.timedOut)
            }
        case .backoff:
            guard case .reconnecting(let attempt, let ending, false) = state.phase else { return }
            state.phase = .reconnecting(attempt: attempt, ending: ending, backoffElapsed: true)
            if ending == nil { startNext(attempt: attempt) }
        case .drain:
            guard let standIn = state.standIn else { return }
            moveFromTerminating(to: standIn)
        case .held(let connection):
            guard state.held.remove(connection) != nil else { return }
            commands.append(.closeConnection(connection))
            scheduleIdleIfUnused()
        case .idle:
            guard state.record.onDemand, case .connected(let pid, _) = state.phase, state.relaying.isEmpty,
                state.held.isEmpty
            else { return }
            commands.append(.terminate(pid: pid))
            goIdle(ending: .running(pid))
        }
    }

    // MARK: Pods

    private mutating func podDeleted(_ pod: Pod, followable: Bool) {
        guard state.record.kind == .pod, pod.name == state.record.target.name else { return }
        switch state.phase {
        case .stopping, .ended, .awaitingReplacement, .idle: return
        case .paused:
            // A replacement is found once the credentials work again (kubectl says NotFound, then it is followed).
            if !(heals && followable) { end(.podDeleted) }
            return
        default: break
        }
        if heals, followable { awaitReplacement(pod, processGone: false) } else { end(.podDeleted) }
    }

    /// The forwarded pod serves on through its grace period: its kubectl stays until a replacement is Ready.
    private mutating func podTerminating(_ pod: Pod, followable: Bool) {
        guard state.record.kind == .pod, pod.name == state.record.target.name, heals, followable,
            state.terminatingPod == nil
        else { return }
        switch state.phase {
        case .starting, .connected, .reconnecting: break
        case .awaitingReplacement, .stopping, .ended, .idle, .paused: return
        }
        state.terminatingPod = pod
        commands.append(.findReplacement(pod))
    }

    private mutating func podReady(_ pod: Pod) {
        switch state.phase {
        case .awaitingReplacement(let gone, let attempt, let ending) where pod.canStandIn(for: gone):
            move(to: pod, attempt: attempt, ending: ending)
        case .connected where !state.relaying.isEmpty:
            // The pod being deleted has a Ready stand-in: what its kubectl serves ends first (new connections wait).
            guard heals, state.standIn == nil, let terminating = state.terminatingPod, pod.canStandIn(for: terminating)
            else { return }
            state.standIn = pod
            commands.append(.schedule(.drain, after: ForwardLifecycle.drainLimit))
        case .starting, .connected, .reconnecting:
            // The pod being deleted has a Ready stand-in: its kubectl ends, the next one serves the stand-in.
            guard heals, let terminating = state.terminatingPod, pod.canStandIn(for: terminating) else { return }
            moveFromTerminating(to: pod)
        default:
            return
        }
    }

    /// The pod being deleted is left for `standIn`: its kubectl ends, the next one serves `standIn`.
    private mutating func moveFromTerminating(to standIn: Pod) {
        guard let terminating = state.terminatingPod else { return }
        dropStandIn()
        awaitReplacement(terminating, processGone: false, looksForOne: false)
        guard case .awaitingReplacement(_, let attempt, let ending) = state.phase else { return }
        move(to: standIn, attempt: attempt, ending: ending)
    }

    /// The forward's next kubectl serves `pod` (once the last one has exited).
    private mutating func move(to pod: Pod, attempt: Int, ending: BackendProcess?) {
        state.record.target.name = pod.name
        state.terminatingPod = nil
        state.phase = .reconnecting(attempt: attempt, ending: ending, backoffElapsed: true)
        commands.append(.publishUpdate)
        commands.append(.notice(Notice(.info, Messages.forwardMoved(namespace: pod.namespace, pod: pod.name))))
        if ending == nil { startNext(attempt: attempt) }
    }

    // MARK: Connections

    /// A connection to serve: relayed when the backend is ready, else held (not read) until one is or its deadline.
    /// One the backend gave back is held even while connected, briefly (``ForwardState/unanswered``): its kubectl is
    /// probably ending, and the next one will serve it.
    private mutating func accepted(_ connection: ConnectionID, backendRefused: Bool = false) {
        if backendRefused { state.relaying.remove(connection) }
        if state.record.onDemand { commands.append(.cancelTimer(.idle)) }
        switch state.phase {
        case .connected where state.standIn != nil:
            // Moving to the stand-in once what the old pod serves has ended: this one waits for it.
            state.held.insert(connection)
            commands.append(.schedule(.held(connection), after: state.connectTimeout))
        case .connected(_, let port) where !backendRefused:
            relay(connection, to: port)
        case .connected where refusedJustNow:
            // This kubectl reported the pod's refusal a moment ago: the one refused, or one it drops as it ends
            // after the refusal. Closed at once, as raw kubectl closes them.
            commands.append(.closeConnection(connection))
            scheduleIdleIfUnused()
        case .connected:
            state.held.insert(connection)
            state.unanswered.insert(connection)
            commands.append(.schedule(.held(connection), after: ForwardLifecycle.unansweredWait))
        case .idle(let ending):
            state.held.insert(connection)
            commands.append(.schedule(.held(connection), after: state.connectTimeout))
            if ending == nil { wake() }
        case .starting, .reconnecting, .awaitingReplacement:
            state.held.insert(connection)
            commands.append(.schedule(.held(connection), after: state.connectTimeout))
        case .stopping, .ended, .paused:
            // Paused: nothing will serve it until a person acts; the client hears so at once.
            commands.append(.closeConnection(connection))
        }
    }

    /// A move waits only while connected, and a pod being deleted is followed only while kubectl runs or starts.
    mutating func settleMove() {
        switch state.phase {
        case .connected: break
        case .starting, .reconnecting: dropStandIn()
        default:
            dropStandIn()
            state.terminatingPod = nil
        }
    }

    private mutating func dropStandIn() {
        guard state.standIn != nil else { return }
        state.standIn = nil
        commands.append(.cancelTimer(.drain))
    }

    /// After every input: connections given back unanswered that are no longer held are forgotten; once the
    /// backend that gave them back is gone (the forward is not connected), the rest wait for the next kubectl as
    /// long as any held connection.
    mutating func settleUnanswered() {
        state.unanswered.formIntersection(state.held)
        guard !state.unanswered.isEmpty, !state.isConnected else { return }
        for connection in state.unanswered.sorted() {
            commands.append(.schedule(.held(connection), after: state.connectTimeout))
        }
        state.unanswered = []
    }

    /// The listener relayed a connection to the connected backend by itself: open until `relayEnded`, or held
    /// once its backend refuses it (`relayFailed`). A stopping forward's listener closes it.
    private mutating func relayedByListener(_ connection: ConnectionID) {
        switch state.phase {
        case .stopping, .ended: return
        default: break
        }
        if state.record.onDemand { commands.append(.cancelTimer(.idle)) }
        state.relaying.insert(connection)
    }

    private mutating func relay(_ connection: ConnectionID, to port: Int) {
        state.relaying.insert(connection)
        commands.append(.relay(connection, toPort: port))
    }

    /// An on-demand forward connected with no connection open or waiting: its kubectl stops after the idle timeout.
    private mutating func scheduleIdleIfUnused() {
        guard state.record.onDemand, state.isConnected, state.relaying.isEmpty, state.held.isEmpty else { return }
        commands.append(.schedule(.idle, after: state.record.idleTimeout))
    }

    // MARK: On demand

    /// Switches between on demand and always running: an unused kubectl gets the idle timeout; an idle forward
    /// made eager starts its kubectl.
    private mutating func setOnDemand(_ enabled: Bool, idleTimeout: Duration) {
        // A first start still unanswered keeps what it was asked for.
        guard !state.startPending else { return }
        switch state.phase {
        case .stopping, .ended: return
        default: break
        }
        state.record.onDemand = enabled
        state.record.idleTimeout = idleTimeout
        if enabled {
            state.record.backendRunning = !state.isIdle
            commands.append(.cancelTimer(.idle))
            scheduleIdleIfUnused()
        } else {
            commands.append(.cancelTimer(.idle))
            if case .idle(nil) = state.phase { wake() }
        }
        commands.append(.publishUpdate)
    }

    /// A connection arrived at an idle on-demand forward (or it was made eager): its kubectl starts (connections
    /// wait for it).
    private mutating func wake() {
        state.phase = .starting(attempt: 0, process: .spawning, deadline: now + state.connectTimeout)
        state.stderrTail = []
        state.lastRefusal = nil
        state.record.backendRunning = true
        if !state.record.onDemand { state.record.status = .connecting }
        state.record.reconnectAttempt = 0
        commands.append(.spawn)
        commands.append(.schedule(.deadline, after: state.connectTimeout))
        commands.append(.publishUpdate)
    }

    /// The on-demand forward stops using kubectl (`ending`: the one told to end, if it has not exited yet); it
    /// keeps listening.
    private mutating func goIdle(ending: BackendProcess?) {
        state.phase = .idle(ending: ending)
        state.record.status = .connected
        state.record.loginPrompt = nil
        state.record.backendRunning = false
        state.record.processId = nil
        state.record.reconnectAttempt = 0
        commands.append(.cancelTimer(.idle))
        commands.append(.publishUpdate)
        commands.append(.unwatchNamespace)
    }

    /// The last kubectl of an idle forward has exited (or was never spawned): connections that came meanwhile
    /// start the next one.
    private mutating func idleProcessGone() {
        state.phase = .idle(ending: nil)
        if !state.held.isEmpty || !state.record.onDemand { wake() }
    }

    /// The first use of an on-demand forward failed: the person is told as on a failed start, the connections
    /// waiting for it are closed, and the forward is idle again (still listening).
    private mutating func failFirstUse(_ reason: EndReason, processGone: Bool) {
        let ending = processToEnd(processGone: processGone)
        terminate(ending)
        stopWaiting()
        commands.append(.reportFailure(reason))
        goIdle(ending: ending)
    }

    // MARK: Phase changes

    /// The kubectl this forward has, to be ended: nil when it has exited already.
    private func processToEnd(processGone: Bool) -> BackendProcess? {
        processGone ? nil : state.process
    }

    private mutating func terminate(_ process: BackendProcess?) {
        if let pid = process?.pid { commands.append(.terminate(pid: pid)) }
    }

    /// kubectl ended or never connected while healing: `reconnecting (attempt n)`, end it, back off.
    private mutating func reconnect(processGone: Bool) {
        let ending = processToEnd(processGone: processGone)
        let attempt = state.record.reconnectAttempt + 1
        state.phase = .reconnecting(attempt: attempt, ending: ending, backoffElapsed: false)
        state.record.status = .reconnecting
        state.record.reconnectAttempt = attempt
        state.record.processId = nil
        // The kubectl whose plugin asked for a login has ended: nothing waits for that login any more (a plugin
        // that prints its URL and then succeeds would otherwise leave the URL on the row through an outage).
        state.record.loginPrompt = nil
        commands.append(.cancelTimer(.deadline))
        terminate(ending)
        commands.append(.schedule(.backoff, after: ForwardLifecycle.reconnectDelay(attempt: attempt)))
        commands.append(.publishUpdate)
    }

    /// The pod is gone (or being deleted) and has a controller: end its kubectl and wait for a Ready replacement
    /// (asking the manager for one it already knows, unless the caller has it).
    private mutating func awaitReplacement(_ gone: Pod, processGone: Bool, looksForOne: Bool = true) {
        let ending = processToEnd(processGone: processGone)
        let alreadyEnding: Bool
        if case .reconnecting = state.phase { alreadyEnding = true } else { alreadyEnding = false }
        let attempt = max(state.record.reconnectAttempt, 1)
        state.phase = .awaitingReplacement(gone: gone, attempt: attempt, ending: ending)
        state.terminatingPod = nil
        state.record.loginPrompt = nil
        state.record.status = .reconnecting
        state.record.reconnectAttempt = attempt
        state.record.processId = nil
        commands.append(.cancelTimer(.deadline))
        commands.append(.cancelTimer(.backoff))
        if !alreadyEnding { terminate(ending) }
        commands.append(.publishUpdate)
        guard looksForOne else { return }
        // An on-demand forward has no watch on its namespace while idle: one reports the replacement.
        if state.record.onDemand { commands.append(.watchNamespace) }
        commands.append(.findReplacement(gone))
    }

    /// The next kubectl of a healing forward.
    private mutating func startNext(attempt: Int) {
        state.phase = .starting(attempt: attempt, process: .spawning, deadline: now + state.connectTimeout)
        state.stderrTail = []
        state.lastRefusal = nil
        state.record.loginPrompt = nil
        commands.append(.spawn)
        commands.append(.schedule(.deadline, after: state.connectTimeout))
    }

    /// The forward ends for `reason`: timers cancelled, held connections and the listener closed, kubectl ended;
    /// over once it has exited.
    private mutating func end(_ reason: EndReason, processGone: Bool = false) {
        let ending: BackendProcess?
        switch state.phase {
        case .reconnecting, .awaitingReplacement, .stopping, .idle, .paused:
            // Its kubectl was told to end already (or is being spawned).
            ending = state.process
        default:
            ending = processToEnd(processGone: processGone)
            terminate(ending)
        }
        state.phase = .stopping(reason: reason, ending: ending)
        state.record.pausedReason = nil
        state.record.loginPrompt = nil
        switch reason {
        case .stoppedByUser, .podDeleted: state.record.status = .stopped
        case .timedOut, .failedToStart, .exited: state.record.status = .error
        }
        commands.append(.cancelTimer(.deadline))
        commands.append(.cancelTimer(.backoff))
        if state.record.onDemand { commands.append(.cancelTimer(.idle)) }
        for connection in state.held.sorted() {
            commands.append(.cancelTimer(.held(connection)))
            commands.append(.closeConnection(connection))
        }
        state.held = []
        // The listener's closing closes the connections it relays.
        state.relaying = []
        commands.append(.closeListener)
        commands.append(.publishUpdate)
        if ending == nil { finish(reason) }
    }

    // MARK: Credentials

    /// The context's credentials fail: a forward that needs a new kubectl pauses with the reason instead of trying
    /// again and again. A connected kubectl keeps serving (its stream was authenticated when it started, as a raw
    /// `kubectl port-forward` keeps running); it pauses when it ends (the manager says why in its exit's cause).
    /// An unanswered first start gets its own kubectl's answer; an idle on-demand forward reports on its next use.
    private mutating func credentialsFailed(_ error: KubeError) {
        switch state.phase {
        case .starting where state.startPending || state.isFirstUse:
            return
        case .starting, .reconnecting, .awaitingReplacement:
            pause(error, processGone: false)
        case .paused(let reason, let ending) where reason != error:
            state.phase = .paused(reason: error, ending: ending)
            state.record.pausedReason = error.message
            commands.append(.publishUpdate)
        case .paused, .connected, .idle, .stopping, .ended:
            return
        }
    }

    /// The forward stops trying: its kubectl (if any) ends, timers stop, waiting connections are closed; the
    /// listener stays open.
    private mutating func pause(_ error: KubeError, processGone: Bool) {
        let ending: BackendProcess?
        switch state.phase {
        case .reconnecting, .awaitingReplacement:
            // Its kubectl was told to end already (or is being spawned).
            ending = state.process
        default:
            ending = processToEnd(processGone: processGone)
            terminate(ending)
        }
        state.phase = .paused(reason: error, ending: ending)
        state.record.status = .paused
        state.record.pausedReason = error.message
        state.record.loginPrompt = nil
        state.record.processId = nil
        state.record.reconnectAttempt = 0
        stopWaiting()
        commands.append(.publishUpdate)
    }

    /// No kubectl is awaited any more: the start and backoff timers stop, held connections are closed.
    private mutating func stopWaiting() {
        commands.append(.cancelTimer(.deadline))
        commands.append(.cancelTimer(.backoff))
        for connection in state.held.sorted() {
            commands.append(.cancelTimer(.held(connection)))
            commands.append(.closeConnection(connection))
        }
        state.held = []
    }

    /// The credentials work again: a paused forward reconnects at once (after its last kubectl has exited).
    private mutating func credentialsRestored() {
        guard case .paused(_, let ending) = state.phase else { return }
        state.phase = .reconnecting(attempt: 1, ending: ending, backoffElapsed: true)
        state.record.status = .reconnecting
        state.record.reconnectAttempt = 1
        state.record.pausedReason = nil
        commands.append(.publishUpdate)
        if ending == nil { startNext(attempt: 1) }
    }

    /// kubectl's credential plugin asks the person to log in (a URL, a code): they are shown it at once, and the
    /// start waits up to ``CredentialPrompt/loginWait`` instead of the usual deadline.
    private mutating func loginPrompt(_ line: String, pid: Int32) {
        guard state.process == .running(pid), case .starting(let attempt, let process, let deadline) = state.phase
        else { return }
        let extended = now + CredentialPrompt.loginWait
        if extended > deadline {
            state.phase = .starting(attempt: attempt, process: process, deadline: extended)
            commands.append(.schedule(.deadline, after: CredentialPrompt.loginWait))
        }
        state.record.loginPrompt = line
        commands.append(.publishUpdate)
    }

    private mutating func finish(_ reason: EndReason) {
        state.phase = .ended(reason)
        commands.append(.finish(reason))
    }
}

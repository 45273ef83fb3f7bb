import Foundation
import Logging
import NIOCore

/// The one registry of live forwards, and the interpreter of their ``ForwardLifecycle``: it owns each forward's
/// listener on its local port and the relay behind it, the kubectl processes (spawned through the
/// ``ProcessRunner``, argv only, parent-death signal; each port-forwards to an ephemeral loopback port the relay
/// connects to), the timers and the namespace watches; feeds what happens to each forward into its lifecycle and
/// carries out the commands that come back; and publishes ``ForwardEvent``s to every reader of ``events()``.
/// The listener stays open while kubectl is restarted: connections wait for the next one.
///
/// Concurrency: starts for one local port are serialized (a per-port gate), so two starts never race for a port.
/// A forward's state changes only through `ForwardLifecycle.step`, one input at a time, so concurrent stops and
/// rapid start/stop cannot double-remove or leak a process.
public actor PortForwardManager {
    public nonisolated let configuration: KubectlConfiguration
    /// How long a start may take before kubectl is killed and the timeout reported.
    public nonisolated let connectTimeout: Duration

    private let client: KubectlClient
    private let runner: ProcessRunner
    private let launcher: any ForwardBackendLauncher
    private let clock: any ForwardClock
    private let logger: Logger
    private let probe = LocalPortProbe()
    private let broadcaster = EventBroadcaster<ForwardEvent>()

    private var entries: [String: ForwardEntry] = [:]
    /// Inputs waiting to be fed (commands may produce inputs; they are fed after the step that made them).
    private var pendingInputs: [(id: String, input: ForwardInput)] = []
    private var feeding = false
    private var nextTimerSerial: UInt64 = 0
    private var gatedPorts: Set<Int> = []
    private var gateWaiters: [Int: [CheckedContinuation<Void, Never>]] = [:]
    private var watches: [NamespaceKey: PodDeletionWatch] = [:]
    /// Namespaces whose watch a connected forward asked for, to start after ``watchDelay``.
    private var pendingWatches: [NamespaceKey: Task<Void, Never>] = [:]
    private var watchStops: [UUID: Task<Void, Never>] = [:]
    /// Pods the namespace watches saw deleted: their last state (for their controller) and when (the oldest of
    /// over 1,000 is forgotten).
    private var deletedPods: [PodKey: (pod: Pod, at: Date)] = [:]
    /// Pods the open namespace watches report (forgotten when the watch stops).
    private var livePods: [PodKey: Pod] = [:]
    /// The namespaces whose watch has listed their pods (``livePods`` holds all of them from then on).
    private var listedNamespaces: Set<NamespaceKey> = []
    /// Readers of ``followPods(context:namespace:)`` (the UI's open pod lists), per namespace.
    private var podListFollowers: [NamespaceKey: [UUID: AsyncStream<PodListChange>.Continuation]] = [:]
    /// The pod of an on-demand forward as last seen before it went idle and its watch stopped (its controller,
    /// for following a replacement on the next connection).
    private var idlePods: [PodKey: Pod] = [:]
    /// kubectl processes shared by forwards started together (``startForwards(_:)``), and the group each forward
    /// being started joins.
    private var sharedBackends: [UUID: SharedBackend] = [:]
    private var joiningGroup: [String: UUID] = [:]
    /// Contexts whose credentials failed (a kubectl there could not authenticate or trust the server), and why:
    /// their forwards pause instead of starting kubectl again, until a call there succeeds or ``resumeContext(_:)``.
    private var credentialFailures: [String: KubeError] = [:]

    public init(configuration: KubectlConfiguration) {
        self.init(configuration: configuration, logger: ProcessRunner.silentLogger)
    }

    public init(configuration: KubectlConfiguration, logger: Logger, connectTimeout: Duration = .seconds(10)) {
        let client = KubectlClient(configuration: configuration, logger: logger)
        self.init(
            configuration: configuration, logger: logger, connectTimeout: connectTimeout,
            launcher: KubectlBackendLauncher(
                runner: client.runner, kubectlPath: configuration.kubectlPath, connectTimeout: connectTimeout),
            clock: SystemForwardClock())
    }

    /// With another launcher and clock (tests: fake processes, a fake clock).
    init(
        configuration: KubectlConfiguration, logger: Logger, connectTimeout: Duration,
        launcher: any ForwardBackendLauncher, clock: any ForwardClock
    ) {
        self.configuration = configuration
        self.logger = logger
        self.connectTimeout = connectTimeout
        self.client = KubectlClient(configuration: configuration, logger: logger)
        self.runner = client.runner
        self.launcher = launcher
        self.clock = clock
    }

    // MARK: - Reading state

    /// A fresh stream of events for one reader (each call is a new subscriber, buffered without limit).
    public nonisolated func events() -> AsyncStream<ForwardEvent> {
        broadcaster.subscribe()
    }

    /// The current forwards, in their order (``TargetedForward/precedes(_:)``), with the bytes their relays have
    /// carried until now (events publish them at most once per ``activityInterval``).
    public func forwards() -> [ForwardRecord] {
        entries.values.map { entry in
            var record = entry.record
            if let totals = entry.activity?.peek() { record.carried(totals) }
            return record
        }.sorted { $0.precedes($1) }
    }

    /// Forwards that answer on their local port (``ForwardRecord/isAnswering``: connected, or on demand).
    public func activeCount() -> Int {
        entries.values.filter(\.record.isAnswering).count
    }

    /// The forwards whose listener relays to a backend by itself (connected, not on demand), with that backend's
    /// port: what a ``ForwardHandover`` can serve while kube9 is stopped.
    public func handoverTargets() -> [ForwardHandover.Target] {
        entries.values.compactMap { entry in
            guard !entry.state.record.onDemand else { return nil }
            return Self.backend(entry.state).map {
                ForwardHandover.Target(localPort: entry.record.localPort, backendPort: $0.port)
            }
        }
    }

    /// Stops (false) or resumes (true) accepting on the listeners of the forwards on `localPorts` (connections wait in
    /// the backlog meanwhile), for as long as a ``ForwardHandover`` holder accepts on them.
    public func setAccepting(_ accepting: Bool, localPorts: Set<Int>) async {
        let listeners = entries.values.filter { localPorts.contains($0.record.localPort) }.compactMap(\.listener)
        for listener in listeners { await listener.setAccepting(accepting) }
    }

    /// Binds 127.0.0.1 and ::1 to tell whether kubectl could listen on `port`.
    public nonisolated func checkLocalPort(_ port: Int) -> LocalPortCheck {
        probe.check(port)
    }

    /// Like ``checkLocalPort(_:)``, also counting ports of forwards that are still connecting, and `taken` (ports
    /// the caller has chosen for other forwards): neither is free nor suggested.
    public func checkLocalPortReserving(_ port: Int, besides taken: Set<Int> = []) -> LocalPortCheck {
        probe.check(port, reserved: reservedPorts.union(taken))
    }

    /// A free local port the system picks (`kube9 forward pod/x :80`), besides the ports kube9 holds and `taken`.
    public func anyFreeLocalPort(besides taken: Set<Int> = []) -> Int? {
        probe.anyFree(reserved: reservedPorts.union(taken))
    }

    /// The id a forward of `request` gets (``ForwardTarget/forwardID(localPort:remotePort:)``).
    public nonisolated static func forwardID(for request: ForwardRequest) -> String {
        request.target.forwardID(localPort: request.localPort, remotePort: request.remotePort)
    }

    /// The wait before reconnect attempt `attempt`: 1 s, 2 s, 4 s … capped at 30 s.
    public nonisolated static func reconnectDelay(attempt: Int) -> Duration {
        ForwardLifecycle.reconnectDelay(attempt: attempt)
    }

    // MARK: - Starting

    /// Spawns kubectl at once (no pod pre-check: kubectl itself refuses a missing or non-Running pod, and its stderr
    /// is classified), waits for `Forwarding from` (``connectTimeout``). Returns the connected record.
    public func startForward(_ request: ForwardRequest) async throws(KubeError) -> ForwardRecord {
        for port in [request.localPort, request.remotePort] {
            do { _ = try PortSpec.parse(String(port)) } catch { throw KubeError(.other, error.message) }
        }
        if let problem = ForwardAddress.problem(request.address) { throw KubeError(.other, problem) }
        let deadline = clock.now + connectTimeout

        // One start per local port at a time.
        await acquireGate(request.localPort)
        defer { releaseGate(request.localPort) }

        // A forward on this port that is being stopped frees it within the stop sequence: wait for that
        // (stop then start again at once is not "already in use").
        await awaitStoppingForwards(onPort: request.localPort)

        // Not twice; the local port must be free.
        if entries.values.contains(where: { entry in
            guard entry.record.isSameForward(as: request) else { return false }
            switch entry.state.phase {
            case .starting, .connected, .idle, .paused: return true
            default: return false
            }
        }) {
            throw KubeError(.alreadyActive, Messages.alreadyActive)
        }
        let check = probe.check(request.localPort, reserved: reservedPorts)
        if check != .available { throw KubeError.portUnavailable(request.localPort, check) }

        // kube9's listener on the local port, then the record, then kubectl; wait for `Forwarding from`, a
        // failure, a stop or the deadline.
        let id = Self.forwardID(for: request)
        let activity = RelayActivity { [weak self] in
            Task { await self?.publishActivity(id: id) }
        }
        let listener: ForwardListener
        do {
            listener = try await ForwardListener.bind(
                address: request.address, port: request.localPort, activity: activity
            ) { [weak self] in
                Task { await self?.takeListenerEvents(id: id) }
            }
        } catch {
            throw bindError(error, request: request)
        }
        let record = ForwardRecord(
            id: id, target: request.target, localPort: request.localPort, remotePort: request.remotePort,
            status: .connecting, startTime: Date(), address: request.address, heals: request.heals, onDemand: request.onDemand,
            idleTimeout: request.idleTimeout)
        let (state, commands) =
            request.onDemand
            ? ForwardLifecycle.startOnDemand(record: record, connectTimeout: connectTimeout)
            : ForwardLifecycle.start(record: record, connectTimeout: connectTimeout, deadline: deadline, now: clock.now)
        var entry = ForwardEntry(state: state)
        entry.listener = listener
        entry.sharedBackend = joiningGroup[id]
        entry.activity = activity
        entries[id] = entry
        broadcaster.publish(.added(state.record))
        logger.info("starting forward", metadata: ["id": "\(id)"])
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<ForwardRecord, KubeError>, Never>) in
            entries[id]?.startWaiter = continuation
            perform(commands, id: id)
            drainInputs()
        }
        return try result.get()
    }

    /// Starts several forwards, all or none: when one cannot start, the others are stopped and its error thrown
    /// (the first in request order). Forwards to one pod (same context, namespace and target, both eager or both
    /// on demand) share one kubectl, `kubectl port-forward pod/X :R1 :R2 …`. Returns the records in request order.
    public func startForwards(_ requests: [ForwardRequest]) async throws(KubeError) -> [ForwardRecord] {
        struct GroupKey: Hashable {
            let target: ForwardTarget
            let onDemand: Bool
        }
        var groups: [GroupKey: [ForwardRequest]] = [:]
        for request in requests {
            groups[GroupKey(target: request.target, onDemand: request.onDemand), default: []].append(request)
        }
        for members in groups.values where members.count > 1 {
            let group = UUID()
            let ids = members.map(Self.forwardID(for:))
            sharedBackends[group] = SharedBackend(
                members: ids, remotePorts: members.map(\.remotePort), target: members[0].target)
            for id in ids { joiningGroup[id] = group }
        }
        let results = await startEach(requests)
        for request in requests { joiningGroup.removeValue(forKey: Self.forwardID(for: request)) }
        var records: [ForwardRecord] = []
        for result in results {
            switch result {
            case .success(let record): records.append(record)
            case .failure(let error):
                for record in records { try? await stopForward(id: record.id) }
                for case .success(let record) in results where !records.contains(record) {
                    try? await stopForward(id: record.id)
                }
                throw error
            }
        }
        return records
    }

    /// Starts every request at once, each on its own (one failing does not stop the others); the results in the
    /// requests' order. (`kube9 up`; `startForwards` when all or none must run.)
    public func startEach(_ requests: [ForwardRequest]) async -> [Result<ForwardRecord, KubeError>] {
        // One task per request, awaited in order. Not a task group of (index, Result) pairs: Swift 6.3.1's release
        // build read a garbage index from those and trapped (`ReleaseBuildTests` runs the release binary on this).
        let starts = requests.map { request in
            Task { () async -> Result<ForwardRecord, KubeError> in
                do throws(KubeError) { return .success(try await self.startForward(request)) } catch { return .failure(error) }
            }
        }
        var results: [Result<ForwardRecord, KubeError>] = []
        for start in starts { results.append(await start.value) }
        return results
    }

    // MARK: - Stopping

    /// Marks the forward stopped, SIGTERM, waits up to 1 s for kubectl to exit, then SIGKILL; removes the record.
    /// A forward already being stopped is waited for. Unknown id: `Forward {id} not found`.
    public func stopForward(id: String) async throws(KubeError) {
        guard entries[id] != nil else {
            throw KubeError(.notFound, Messages.forwardNotFound(id: id))
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            entries[id]?.endWaiters.append(continuation)
            feed(id, .stop)
        }
    }

    /// Stops every forward in parallel; one failure is logged and does not stop the others. Returns once every
    /// kubectl the manager started (forwards and namespace watches) has exited; the watches of namespaces whose
    /// pod list is still followed (``followPods(context:namespace:)``) stay until ``unfollowAllPods()``.
    public func stopAllForwards() async {
        for pending in pendingWatches.values { pending.cancel() }
        pendingWatches = [:]
        let ids = Array(entries.keys)
        await withTaskGroup(of: Void.self) { group in
            for id in ids {
                group.addTask {
                    do throws(KubeError) { try await self.stopForward(id: id) } catch {
                        await self.logStopFailure(id: id, error: error)
                    }
                }
            }
        }
        // Watches left without forwards or followers, and those still stopping: gone before this returns.
        for (key, watch) in watches where podListFollowers[key] == nil && !hasForward(in: key) {
            watches.removeValue(forKey: key)
            await stop(watch)
        }
        for stopping in watchStops.values { await stopping.value }
    }

    /// Returns once no forward on local port `port` is stopping (each ends within its stop sequence).
    private func awaitStoppingForwards(onPort port: Int) async {
        while let id = entries.first(where: { _, entry in
            guard entry.record.localPort == port else { return false }
            if case .stopping = entry.state.phase { return true }
            return entry.state.isEnded
        })?.key {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                entries[id]?.endWaiters.append(continuation)
            }
        }
    }

    private func logStopFailure(id: String, error: KubeError) {
        logger.info("stop failed", metadata: ["id": "\(id)", "error": "\(error.message)"])
    }

    /// Restarts a forward with the same request (stop, then start).
    public func restartForward(id: String) async throws(KubeError) -> ForwardRecord {
        guard let record = entries[id]?.record else { throw KubeError(.notFound, Messages.forwardNotFound(id: id)) }
        try await stopForward(id: id)
        return try await startForward(record.request)
    }

    /// Turns healing (restart on unexpected exit, follow a replacement pod) on or off for one forward.
    public func setHealing(_ enabled: Bool, forwardID id: String) throws(KubeError) {
        guard entries[id] != nil else { throw KubeError(.notFound, Messages.forwardNotFound(id: id)) }
        feed(id, .setHealing(enabled))
    }

    /// Switches one forward to on demand (kubectl stops after `idleTimeout` with no connection open, the port
    /// stays open) or back to a kubectl that always runs (started at once when idle).
    public func setOnDemand(
        _ enabled: Bool, idleTimeout: Duration = ForwardRequest.defaultIdleTimeout, forwardID id: String
    ) throws(KubeError) {
        guard entries[id] != nil else { throw KubeError(.notFound, Messages.forwardNotFound(id: id)) }
        feed(id, .setOnDemand(enabled, idleTimeout: idleTimeout))
    }

    // MARK: - Credentials

    /// The context's credentials work again (the person logged in, and asks with `r`): its paused forwards start
    /// kubectl again. Also what a successful call in the context does (``noteCall(context:error:)``).
    public func resumeContext(_ context: String) {
        if credentialFailures.removeValue(forKey: context) != nil {
            logger.info("credentials restored", metadata: ["context": "\(context)"])
        }
        for (id, entry) in entries where entry.record.context == context && entry.state.isPaused {
            feed(id, .credentialsRestored)
        }
        for (key, watch) in watches where key.context == context { watch.resume() }
    }

    /// Every context with paused forwards resumes (``resumeContext(_:)``).
    public func resumeAllContexts() {
        let contexts = Set(entries.values.filter(\.state.isPaused).map(\.record.context)).union(credentialFailures.keys)
            .union(watches.keys.map(\.context))
        for context in contexts.sorted() { resumeContext(context) }
    }

    /// A kubectl call in `context` outside the manager (a list the UI read) ended: a success resumes the context's
    /// paused forwards; an authentication or certificate failure pauses those that are reconnecting.
    public func noteCall(context: String, error: KubeError?) {
        guard let error else {
            resumeContext(context)  // nothing to do when nothing there is paused or held
            return
        }
        if Self.isCredentialFailure(error) { credentialsFailed(context: context, error) }
    }

    /// Authentication and certificate failures: another attempt fails the same way until a person acts.
    static func isCredentialFailure(_ error: KubeError) -> Bool {
        error.kind == .authentication || error.kind == .untrustedCertificate
    }

    /// The context's credentials fail: remembered, said once, and every forward of the context is told (those
    /// that need a new kubectl pause).
    private func credentialsFailed(context: String, _ error: KubeError) {
        let known = credentialFailures[context]
        credentialFailures[context] = error
        for (key, watch) in watches where key.context == context { watch.hold() }
        let ids = entries.filter { $0.value.record.context == context }.map(\.key).sorted()
        for id in ids { feed(id, .credentialsFailed(error)) }
        guard known != error, ids.contains(where: { entries[$0]?.state.isPaused == true }) else { return }
        logger.info("credentials failed; forwards paused", metadata: ["context": "\(context)", "error": "\(error.message)"])
        broadcaster.publish(.notice(Notice(.error, error.message)))
    }

    // MARK: - Interpreting the lifecycle

    /// Feeds one input to a forward's lifecycle and carries out its commands (and the inputs those make).
    private func feed(_ id: String, _ input: ForwardInput) {
        pendingInputs.append((id, input))
        drainInputs()
    }

    private func drainInputs() {
        guard !feeding else { return }
        feeding = true
        defer { feeding = false }
        while !pendingInputs.isEmpty {
            let (id, input) = pendingInputs.removeFirst()
            guard let entry = entries[id] else { continue }
            let before = entry.state.phase.name
            let (state, commands) = ForwardLifecycle.step(entry.state, input, now: clock.now)
            entries[id]?.state = state
            entries[id]?.listener?.publishBackend(Self.backend(state), fastPath: !state.record.onDemand)
            if state.phase.name != before {
                logger.info("forward \(state.phase.name)", metadata: ["id": "\(id)", "after": "\(input.name)"])
            }
            perform(commands, id: id)
        }
    }

    private func perform(_ commands: [ForwardCommand], id: String) {
        for command in commands {
            guard entries[id] != nil else { return }
            switch command {
            case .spawn:
                guard let request = entries[id]?.record.request else { continue }
                if let group = entries[id]?.sharedBackend, sharedBackends[group]?.target == request.target {
                    attachShared(id: id, group: group, request: request)
                    continue
                }
                let arguments = backendArguments(request)
                Task { await self.launch(id: id, arguments: arguments) }
            case .terminate(let pid):
                if let process = entries[id]?.processes[pid] {
                    Task { await process.terminate() }
                } else if let group = entries[id]?.sharedBackend {
                    detachShared(id: id, group: group, pid: pid)
                }
            case .schedule(let timer, let after):
                schedule(timer, after: after, id: id)
            case .cancelTimer(let timer):
                entries[id]?.timers.removeValue(forKey: timer)?.task.cancel()
            case .publishUpdate:
                refreshActivity(id: id)
                if let record = entries[id]?.record { broadcaster.publish(.updated(record)) }
            case .notice(let notice):
                broadcaster.publish(.notice(notice))
            case .resolveStart:
                guard let record = entries[id]?.record else { continue }
                let waiter = entries[id]?.startWaiter
                entries[id]?.startWaiter = nil
                waiter?.resume(returning: .success(record))
            case .watchNamespace:
                // Asked once the forward connects (a start that fails spawns no watch, and the watch's kubectl does
                // not compete with the forward's while it connects), and started soon after (``watchDelay``: nor
                // with the first request through it). A forward awaiting a replacement pod needs it at once.
                // A workload's forward learns nothing from its namespace's pods: kubectl picks the pod at each start.
                guard let entry = entries[id], !entry.record.kind.isWorkload else { continue }
                if case .awaitingReplacement = entry.state.phase {
                    ensureWatch(context: entry.record.context, namespace: entry.record.namespace)
                } else {
                    watchSoon(context: entry.record.context, namespace: entry.record.namespace)
                }
            case .findReplacement(let gone):
                if let record = entries[id]?.record, let ready = firstReplacement(for: gone, context: record.context) {
                    pendingInputs.append((id, .podReady(ready)))
                }
            case .relay(let connection, let port):
                guard let channel = entries[id]?.connections.removeValue(forKey: connection) else { continue }
                entries[id]?.listener?.relay(channel, connection: connection, toPort: port)
            case .closeConnection(let connection):
                logger.debug("connection closed unserved", metadata: ["id": "\(id)", "connection": "\(connection)"])
                guard let channel = entries[id]?.connections.removeValue(forKey: connection) else { continue }
                if let listener = entries[id]?.listener { listener.endUnserved(channel) } else { channel.close(promise: nil) }
            case .closeListener:
                guard let listener = entries[id]?.listener else { continue }
                entries[id]?.listener = nil
                entries[id]?.listenerClosing = Task { await listener.close() }
            case .finish(let reason):
                Task { await self.finish(id: id, reason: reason) }
            case .reportFailure(let reason):
                guard let state = entries[id]?.state else { continue }
                let failure = failure(reason, state: state)
                logger.info("on-demand start failed", metadata: ["id": "\(id)", "error": "\(failure.message)"])
                broadcaster.publish(.notice(Notice(.error, failure.message)))
            case .unwatchNamespace:
                guard let record = entries[id]?.record else { continue }
                let key = PodKey(context: record.context, namespace: record.namespace, name: record.target.name)
                if let pod = livePods[key] { idlePods[key] = pod }
                Task { await self.releaseWatchIfIdle(context: record.context, namespace: record.namespace) }
            }
        }
    }

    /// kubectl port-forwards to an ephemeral loopback port (its `Forwarding from 127.0.0.1:N` line names it);
    /// a shared one to one per remote port, in order. For a service or a workload, kubectl waits for a pod to pick
    /// (``podRunningTimeout``, within the start's deadline, so that its `timed out waiting` is what is said).
    private func backendArguments(_ request: ForwardRequest, remotePorts: [Int]? = nil) -> [String] {
        let podWait = request.kind == .pod ? [] : ["--pod-running-timeout=\(podRunningTimeout.components.seconds)s"]
        return ["port-forward", request.target.resource] + (remotePorts ?? [request.remotePort]).map { ":\($0)" }
            + ["-n", request.namespace, "--context", request.context, "--address", "127.0.0.1"] + podWait
            + client.kubeconfigArguments
    }

    /// How long kubectl waits for a service's or a workload's pod: 2 s short of the start's deadline (kubectl's own
    /// default, a minute, is past it), at least 1 s.
    var podRunningTimeout: Duration { .seconds(max(1, connectTimeout.components.seconds - 2)) }

    // MARK: - Shared kubectl

    /// A member asks for a kubectl: it uses the group's running one (its `Forwarding from` line replayed), waits
    /// for the one being spawned, or spawns it for every member's port.
    private func attachShared(id: String, group: UUID, request: ForwardRequest) {
        guard var backend = sharedBackends[group] else { return }
        if let process = backend.process {
            backend.attached.insert(id)
            sharedBackends[group] = backend
            pendingInputs.append((id, .spawned(pid: process.processID)))
            if let line = backend.forwardingLine(of: id) {
                pendingInputs.append((id, .stdoutLine(pid: process.processID, line)))
            }
            drainInputs()
            return
        }
        backend.waiting.insert(id)
        if !backend.spawning {
            backend.spawning = true
            let arguments = backendArguments(request, remotePorts: backend.remotePorts)
            Task { await self.launchShared(group: group, arguments: arguments) }
        }
        sharedBackends[group] = backend
    }

    /// A member asks to end the shared kubectl: it sees it exit at once while others still use it; the last one
    /// ends it.
    private func detachShared(id: String, group: UUID, pid: Int32) {
        guard var backend = sharedBackends[group], let process = backend.process, process.processID == pid,
            backend.attached.contains(id)
        else { return }
        if backend.attached.count > 1 {
            backend.attached.remove(id)
            sharedBackends[group] = backend
            pendingInputs.append((id, .exited(pid: pid, .signaled(SIGTERM), cause: .unknown)))
            drainInputs()
        } else {
            Task { await process.terminate() }
        }
    }

    private func launchShared(group: UUID, arguments: [String]) async {
        let process: any ForwardBackendProcess
        do {
            process = try await launcher.launch(arguments: arguments)
        } catch {
            let waiting = sharedBackends[group]?.waiting ?? []
            sharedBackends[group]?.waiting = []
            sharedBackends[group]?.spawning = false
            for id in waiting.sorted() { feed(id, .spawnFailed(error)) }
            return
        }
        let pid = process.processID
        guard var backend = sharedBackends[group] else {
            await process.terminate()
            return
        }
        backend.spawning = false
        backend.process = process
        backend.forwardingLines = []
        let joining = backend.waiting.filter { entries[$0] != nil }
        backend.attached = joining
        backend.waiting = []
        sharedBackends[group] = backend
        if joining.isEmpty {
            await process.terminate()
        } else {
            for id in joining.sorted() { feed(id, .spawned(pid: pid)) }
        }
        follow(process) { manager, lines, stdout in
            manager.sharedReceived(lines, stdout: stdout, pid: pid, group: group)
        } exited: { manager, exit in
            manager.sharedExited(exit, pid: pid, group: group)
        }
    }

    /// Reads a kubectl's output to the end in lines (stdout or not), then its exit.
    private func follow(
        _ process: any ForwardBackendProcess, lines: @escaping @Sendable (isolated PortForwardManager, [String], Bool) -> Void,
        exited: @escaping @Sendable (isolated PortForwardManager, ProcessExit) -> Void
    ) {
        Task {
            var stdout = LineSplitter()
            var stderr = LineSplitter()
            for await chunk in process.output {
                switch chunk {
                case .standardOutput(let bytes): lines(self, stdout.append(bytes), true)
                case .standardError(let bytes): lines(self, stderr.append(bytes), false)
                }
            }
            if let rest = stderr.finish() { lines(self, [rest], false) }
            let exit = await process.waitForExit()
            exited(self, exit)
        }
    }

    private func sharedReceived(_ lines: [String], stdout: Bool, pid: Int32, group: UUID) {
        for line in lines {
            guard var backend = sharedBackends[group], backend.process?.processID == pid else { return }
            if stdout {
                guard let member = backend.recordForwardingLine(line) else { continue }
                sharedBackends[group] = backend
                if backend.attached.contains(member) { feed(member, .stdoutLine(pid: pid, line)) }
            } else {
                for id in backend.attached.sorted() { feed(id, .stderrLine(pid: pid, line)) }
            }
        }
        if stdout, let member = sharedBackends[group]?.attached.sorted().first { connectedInContext(id: member) }
    }

    private func sharedExited(_ exit: ProcessExit, pid: Int32, group: UUID) {
        guard var backend = sharedBackends[group], backend.process?.processID == pid else { return }
        let attached = backend.attached
        backend.process = nil
        backend.attached = []
        backend.forwardingLines = []
        sharedBackends[group] = backend
        logger.info("shared kubectl exited", metadata: ["exit": "\(exit)"])
        for id in attached.sorted() {
            guard let state = entries[id]?.state else { continue }
            let cause = exitCause(state, exit: exit)
            feed(id, .exited(pid: pid, exit, cause: cause))
            if case .credentialsFailed(let error) = cause { credentialsFailed(context: state.record.context, error) }
        }
    }

    /// The backend of a connected forward. Its listener relays new connections to it by itself (on its event loop,
    /// without asking the lifecycle first) unless the forward is on demand (its idle timer must see each connection
    /// before it is served).
    private static func backend(_ state: ForwardState) -> (port: Int, pid: Int32)? {
        // Not while it waits to move to a pod standing in for its own: new connections wait for the move.
        guard case .connected(let pid, let port) = state.phase, state.standIn == nil else { return nil }
        return (port, pid)
    }

    /// What happened to the listener's connections since it last woke the manager, fed to the lifecycle in order;
    /// each new connection is counted, and they make one coalesced activity update.
    private func takeListenerEvents(id: String) {
        guard let listener = entries[id]?.listener else { return }
        var accepted = false
        for event in listener.takeEvents() {
            guard entries[id] != nil else { return }
            switch event {
            case .accepted(let connection, let channel):
                entries[id]?.connections[connection] = channel
                countConnection(id: id)
                accepted = true
                feed(id, .connectionAccepted(connection))
            case .relayed(let connection):
                countConnection(id: id)
                accepted = true
                feed(id, .connectionRelayed(connection))
            case .refused(let connection, let channel):
                // Its kubectl is probably going away: the lifecycle holds it for the next one.
                logger.debug("connection handed back", metadata: ["id": "\(id)", "connection": "\(connection)"])
                entries[id]?.connections[connection] = channel
                feed(id, .relayFailed(connection))
            case .closed(let connection):
                entries[id]?.connections.removeValue(forKey: connection)
                if let record = entries[id]?.record {
                    startPendingWatch(NamespaceKey(context: record.context, namespace: record.namespace))
                }
                feed(id, .relayEnded(connection))
                feed(id, .connectionClosed(connection))
            }
        }
        if accepted { publishActivity(id: id) }
    }

    private func countConnection(id: String) {
        entries[id]?.state.record.connectionCount += 1
        entries[id]?.state.record.lastConnectionTime = Date()
    }

    private func bindError(_ failure: ForwardListener.BindFailure, request: ForwardRequest) -> KubeError {
        let port = request.localPort
        switch failure {
        case .inUse:
            return .portUnavailable(port, probe.unavailable(port, reserved: reservedPorts))
        case .needsPrivilege:
            return .portUnavailable(port, probe.unavailable(port, needsPrivilege: true, reserved: reservedPorts))
        case .other(let detail):
            return KubeError(.other, Messages.listenFailed(address: request.address, port: port, detail: detail))
        }
    }

    private func launch(id: String, arguments: [String]) async {
        let process: any ForwardBackendProcess
        do {
            process = try await launcher.launch(arguments: arguments)
        } catch {
            feed(id, .spawnFailed(error))
            return
        }
        let pid = process.processID
        guard entries[id] != nil else {
            await process.terminate()
            return
        }
        entries[id]?.processes[pid] = process
        feed(id, .spawned(pid: pid))
        follow(process) { manager, lines, stdout in
            manager.received(lines, stdout: stdout, pid: pid, id: id)
        } exited: { manager, exit in
            manager.processExited(exit, pid: pid, id: id)
        }
    }

    private func received(_ lines: [String], stdout: Bool, pid: Int32, id: String) {
        for line in lines {
            logger.debug(stdout ? "kubectl stdout" : "kubectl stderr", metadata: ["id": "\(id)", "line": "\(line)"])
            feed(id, stdout ? .stdoutLine(pid: pid, line) : .stderrLine(pid: pid, line))
        }
        if stdout { connectedInContext(id: id) }
    }

    /// A kubectl of the forward connected: the context's credentials work, its paused forwards resume.
    private func connectedInContext(id: String) {
        guard let entry = entries[id], entry.state.isConnected else { return }
        let context = entry.record.context
        if credentialFailures[context] != nil || entries.values.contains(where: { $0.record.context == context && $0.state.isPaused }) {
            resumeContext(context)
        }
    }

    private func processExited(_ exit: ProcessExit, pid: Int32, id: String) {
        guard let entry = entries[id] else { return }
        entries[id]?.processes.removeValue(forKey: pid)
        logger.info("kubectl exited", metadata: ["id": "\(id)", "exit": "\(exit)"])
        let cause = exitCause(entry.state, exit: exit)
        feed(id, .exited(pid: pid, exit, cause: cause))
        if case .credentialsFailed(let error) = cause { credentialsFailed(context: entry.record.context, error) }
    }

    /// What is known of the forward's pod and context when its kubectl exits: deleted (the watch saw it, or kubectl
    /// said NotFound), and then whether its controller will replace it; or the context's credentials fail (kubectl
    /// said so, or another kubectl of the context did and nothing has succeeded there since).
    private func exitCause(_ state: ForwardState, exit: ProcessExit) -> ExitCause {
        let record = state.record
        let key = PodKey(context: record.context, namespace: record.namespace, name: record.target.name)
        let classified = classifyStartFailure(state, exit: exit)
        // A service's or a workload's pods are not named after it: a deleted pod that shares its name says nothing
        // about it, and kubectl's NotFound may be the pod it picked (gone between its list and its get): only the
        // target's own NotFound (`deployments.apps "web" not found`) ends the forward.
        let targetGone =
            record.kind == .pod
            ? classified.kind == .notFound || deletedPods[key] != nil
            : classified.kind == .notFound && classified.message.contains("\(record.kind.apiResource) \"\(record.target.name)\"")
        guard targetGone else {
            if Self.isCredentialFailure(classified) { return .credentialsFailed(classified) }
            if let known = credentialFailures[record.context] { return .credentialsFailed(known) }
            return .unknown
        }
        if record.kind == .pod, let gone = deletedPods[key]?.pod ?? livePods[key] ?? idlePods[key], hasController(gone, context: key.context) {
            return .podGone(follow: gone)
        }
        return .podGone(follow: nil)
    }

    private func schedule(_ timer: ForwardTimer, after: Duration, id: String) {
        nextTimerSerial += 1
        let serial = nextTimerSerial
        let clock = self.clock
        let task = Task {
            do { try await clock.sleep(for: after) } catch { return }
            self.timerFired(timer, serial: serial, id: id)
        }
        entries[id]?.timers.removeValue(forKey: timer)?.task.cancel()
        entries[id]?.timers[timer] = (serial, task)
    }

    private func timerFired(_ timer: ForwardTimer, serial: UInt64, id: String) {
        guard entries[id]?.timers[timer]?.serial == serial else { return }
        entries[id]?.timers.removeValue(forKey: timer)
        feed(id, .timerFired(timer))
    }

    /// Publishes `.updated` for new connections, at most once per ``activityInterval`` per forward: the first at
    /// once, later ones coalesced into one publish at the end of the interval.
    private func publishActivity(id: String) {
        guard var entry = entries[id], !entry.state.isEnded, !entry.activityPublishPending else { return }
        let now = ContinuousClock.now
        if let last = entry.lastActivityPublish, now - last < Self.activityInterval {
            entry.activityPublishPending = true
            entries[id] = entry
            Task {
                try? await Task.sleep(until: last + Self.activityInterval, clock: .continuous)
                self.flushActivity(id: id)
            }
            return
        }
        entry.lastActivityPublish = now
        entries[id] = entry
        refreshActivity(id: id)
        if let record = entries[id]?.record { broadcaster.publish(.updated(record)) }
    }

    /// Copies the relay's byte counts into the record.
    private func refreshActivity(id: String) {
        guard let totals = entries[id]?.activity?.read() else { return }
        entries[id]?.state.record.carried(totals)
    }

    private func flushActivity(id: String) {
        guard var entry = entries[id], entry.activityPublishPending else { return }
        entry.activityPublishPending = false
        entry.lastActivityPublish = ContinuousClock.now
        entries[id] = entry
        if case .stopping = entry.state.phase { return }
        guard !entry.state.isEnded else { return }
        refreshActivity(id: id)
        if let record = entries[id]?.record { broadcaster.publish(.updated(record)) }
    }

    /// The shortest time between two activity updates of one forward.
    static let activityInterval: Duration = .milliseconds(250)

    // MARK: - Ending

    /// The lifecycle has ended the forward (no process, timer or held connection is left): tell the person why,
    /// answer the start and stop waiters, drop the record.
    private func finish(id: String, reason: EndReason) async {
        // The port is free before anyone hears the forward is gone.
        await entries[id]?.listenerClosing?.value
        refreshActivity(id: id)
        guard let entry = entries[id] else { return }
        let record = entry.record
        let wasConnected = !entry.state.startPending
        var notice: Notice?
        let failure = failure(reason, state: entry.state)
        switch reason {
        case .podDeleted:
            if wasConnected {
                notice = record.kind == .service ? await serviceEndNotice(record) : Notice(.info, Messages.deleted(record.target))
            }
        case .exited:
            if wasConnected { notice = await unexpectedExitNotice(record) }
        case .stoppedByUser, .timedOut, .failedToStart:
            break
        }
        guard let final = entries.removeValue(forKey: id) else { return }
        idlePods.removeValue(forKey: PodKey(context: record.context, namespace: record.namespace, name: record.target.name))
        if let group = final.sharedBackend, !entries.values.contains(where: { $0.sharedBackend == group }),
            sharedBackends[group]?.process == nil
        {
            sharedBackends.removeValue(forKey: group)
        }
        for channel in final.connections.values { channel.close(promise: nil) }
        // The notice first, so a reader that reacts to `removed` already has the reason.
        if let notice { broadcaster.publish(.notice(notice)) }
        broadcaster.publish(.removed(record))
        final.startWaiter?.resume(returning: .failure(failure))
        // The phase change (`forward ended after=…`) is logged by the feed; this is the removal and why.
        logger.info("forward removed", metadata: ["id": "\(id)", "reason": "\(reason)"])
        await releaseWatchIfUnused(context: record.context, namespace: record.namespace)
        for waiter in final.endWaiters { waiter.resume() }
    }

    /// What a start that ended for `reason` tells its caller.
    private func failure(_ reason: EndReason, state: ForwardState) -> KubeError {
        let record = state.record
        switch reason {
        case .stoppedByUser:
            return KubeError(.other, Messages.stoppedBeforeConnecting(record.label))
        case .timedOut:
            return KubeError(.timedOut, Messages.connectionTimedOut)
        case .failedToStart(let error):
            return error
        case .podDeleted:
            return KubeError(.notFound, Messages.deleted(record.target))
        case .exited(let exit):
            return classifyStartFailure(state, exit: exit)
        }
    }

    private func classifyStartFailure(_ state: ForwardState, exit: ProcessExit) -> KubeError {
        let record = state.record
        let error = KubectlErrorClassifier.classify(
            stderr: state.stderrTail.joined(separator: "\n"), exitDescription: exit.description,
            purpose: .portForward(record.target, localPort: record.localPort),
            context: record.context)
        if error.kind == .portInUse {
            return .portUnavailable(record.localPort, probe.unavailable(record.localPort, reserved: reservedPorts))
        }
        return error
    }

    /// kubectl ended on its own after connecting: was the pod deleted (the watch saw it, or it is gone or
    /// terminating now), was the cluster unreachable, or did it just stop?
    private func unexpectedExitNotice(_ record: ForwardRecord) async -> Notice {
        switch record.kind {
        case .pod: break
        case .service: return await serviceEndNotice(record)
        // kubectl picked one of its pods, which kube9 does not know: healing picks another.
        case .deployment, .statefulSet, .replicaSet, .daemonSet: return Notice(.error, Messages.stoppedUnexpectedly(record.label))
        }
        let key = PodKey(context: record.context, namespace: record.namespace, name: record.target.name)
        let deleted = Notice(.info, Messages.deleted(record.target))
        if deletedPods[key] != nil { return deleted }
        let unexpected = Notice(.error, Messages.stoppedUnexpectedly(record.label))
        do {
            let pod = try await client.pod(
                context: record.context, namespace: record.namespace, name: record.target.name,
                timeout: min(configuration.requestTimeout, .seconds(5)))
            if deletedPods[key] != nil || pod.deletionTimestamp != nil { return deleted }
            return unexpected
        } catch {
            if deletedPods[key] != nil || error.kind == .notFound { return deleted }
            return Self.notice(forFailedRead: error, otherwise: unexpected)
        }
    }

    /// What a read that failed while explaining a forward's end says: the cluster is out of reach, else `otherwise`.
    private static func notice(forFailedRead error: KubeError, otherwise: Notice) -> Notice {
        switch error.kind {
        case .unreachable, .timedOut: Notice(.error, Messages.connectionFailed)
        default: otherwise
        }
    }

    /// A service forward's kubectl ended after connecting (kubectl forwards a service to one of its pods, picked
    /// at start): was the service deleted, or a pod it selects (the watch saw it deleted since the forward
    /// started, or it is terminating or gone now), or is the cluster unreachable? The service's name is no pod's.
    private func serviceEndNotice(_ record: ForwardRecord) async -> Notice {
        let unexpected = Notice(.error, Messages.stoppedUnexpectedly(record.label))
        let services: [KubeService]
        let pods: [Pod]
        do {
            services = try await client.services(context: record.context, namespace: record.namespace)
            pods = try await client.pods(context: record.context, namespace: record.namespace)
        } catch {
            return Self.notice(forFailedRead: error, otherwise: unexpected)
        }
        guard let service = services.first(where: { $0.name == record.target.name }) else {
            return Notice(.info, Messages.deleted(record.target))
        }
        let inContext = { (key: PodKey) in key.context == record.context && key.namespace == record.namespace }
        let present = Set(pods.filter { $0.deletionTimestamp == nil }.map(\.uid))
        let seenDeleted = deletedPods.filter { inContext($0.key) && $0.value.at >= record.startTime }.map(\.value.pod)
        let goneSinceKnown = livePods.filter { inContext($0.key) && !present.contains($0.value.uid) }.map(\.value)
        guard let gone = (seenDeleted + goneSinceKnown).filter(service.selects).min(by: { $0.name < $1.name }) else {
            return unexpected
        }
        return Notice(.info, Messages.podBehindServiceDeleted(pod: gone.name, service: record.target))
    }

    // MARK: - Deleted pods

    /// How long after a forward connects its namespace's watch starts at the latest (when none runs); it starts
    /// sooner when a connection through the forward ends. The first request through a new forward, which usually
    /// comes right after `established`, then does not share the CPU with the watch's two kubectl starting (its
    /// list, then its watch). Measured: first_byte 1.33–1.68 × raw kubectl with the watch starting at once,
    /// 1.04–1.27 with it running already.
    static let watchDelay: Duration = .seconds(1)

    /// Starts the namespace's watch after ``watchDelay`` or when a connection of a forward there ends, whichever
    /// comes first, if a forward there still runs kubectl then. (A list following the namespace starts it at once.)
    private func watchSoon(context: String, namespace: String) {
        let key = NamespaceKey(context: context, namespace: namespace)
        guard watches[key] == nil, pendingWatches[key] == nil else { return }
        let clock = self.clock
        pendingWatches[key] = Task {
            do { try await clock.sleep(for: Self.watchDelay) } catch { return }
            self.startPendingWatch(key)
        }
    }

    private func startPendingWatch(_ key: NamespaceKey) {
        guard let pending = pendingWatches.removeValue(forKey: key) else { return }
        pending.cancel()
        guard hasForward(in: key, where: Self.needsWatch) else { return }
        ensureWatch(context: key.context, namespace: key.namespace)
    }

    /// A forward of the namespace `key` exists (in a state that meets `condition`).
    private func hasForward(in key: NamespaceKey, where condition: (ForwardState) -> Bool = { _ in true }) -> Bool {
        entries.values.contains {
            $0.record.context == key.context && $0.record.namespace == key.namespace && condition($0.state)
        }
    }

    /// A forward that runs (or will run) kubectl: not idle on demand, not ending.
    private static func needsWatch(_ state: ForwardState) -> Bool {
        switch state.phase {
        case .idle, .stopping, .ended: false
        default: true
        }
    }

    private func ensureWatch(context: String, namespace: String) {
        let key = NamespaceKey(context: context, namespace: namespace)
        pendingWatches.removeValue(forKey: key)?.cancel()
        guard watches[key] == nil else { return }
        watches[key] = PodDeletionWatch(
            context: context, namespace: namespace, client: client, logger: logger
        ) { [weak self] change in
            await self?.podChanged(change, context: context, namespace: namespace)
        }
    }

    // MARK: - Pod lists that follow the cluster

    /// The changes of a namespace's pods, from its watch (shared with the forwards there): first `.listed` with
    /// every pod (at once when the watch has listed already), then each change, a new `.listed` after the watch
    /// restarted. Ending the iteration releases the watch (its kubectl ends when no forward needs it either); the
    /// stream finishes when ``stopAllForwards()`` stops the watch.
    public func followPods(context: String, namespace: String) -> AsyncStream<PodListChange> {
        let key = NamespaceKey(context: context, namespace: namespace)
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: PodListChange.self)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unfollowPods(key, id: id) }
        }
        podListFollowers[key, default: [:]][id] = continuation
        if listedNamespaces.contains(key) { continuation.yield(.listed(knownPods(key))) }
        ensureWatch(context: context, namespace: namespace)
        return stream
    }

    /// Ends every ``followPods(context:namespace:)`` stream (kube9 is quitting) and the watches only they needed;
    /// returns once their kubectl has exited.
    public func unfollowAllPods() async {
        let followed = podListFollowers
        podListFollowers = [:]
        for (key, followers) in followed {
            for continuation in followers.values { continuation.finish() }
            await releaseWatchIfUnused(context: key.context, namespace: key.namespace)
        }
        for stopping in watchStops.values { await stopping.value }
    }

    private func unfollowPods(_ key: NamespaceKey, id: UUID) async {
        guard podListFollowers[key]?.removeValue(forKey: id) != nil else { return }
        if podListFollowers[key]?.isEmpty == true { podListFollowers.removeValue(forKey: key) }
        await releaseWatchIfUnused(context: key.context, namespace: key.namespace)
    }

    /// The namespace's pods as its watch knows them, by name.
    private func knownPods(_ key: NamespaceKey) -> [Pod] {
        livePods.filter { $0.key.context == key.context && $0.key.namespace == key.namespace }.values
            .sorted { $0.name < $1.name }
    }

    /// Stops the namespace's watch when no forward there runs kubectl (all idle on demand) and no list follows it.
    private func releaseWatchIfIdle(context: String, namespace: String) async {
        let key = NamespaceKey(context: context, namespace: namespace)
        guard podListFollowers[key] == nil, !hasForward(in: key, where: { !$0.isIdle }),
            let watch = watches.removeValue(forKey: key)
        else { return }
        await stop(watch)
    }

    private func releaseWatchIfUnused(context: String, namespace: String) async {
        let key = NamespaceKey(context: context, namespace: namespace)
        guard podListFollowers[key] == nil, !hasForward(in: key, where: { !$0.record.kind.isWorkload }),
            let watch = watches.removeValue(forKey: key)
        else { return }
        await stop(watch)
    }

    /// Stops a watch; `stopAllForwards()` waits for every such stop, so nothing runs once it returns.
    private func stop(_ watch: PodDeletionWatch) async {
        livePods = livePods.filter { $0.key.context != watch.context || $0.key.namespace != watch.namespace }
        let key = NamespaceKey(context: watch.context, namespace: watch.namespace)
        listedNamespaces.remove(key)
        // Lists still following it (kube9 is quitting): their streams end.
        for continuation in podListFollowers.removeValue(forKey: key).map({ Array($0.values) }) ?? [] { continuation.finish() }
        let id = UUID()
        let stopping = Task { await watch.stop() }
        watchStops[id] = stopping
        await stopping.value
        watchStops.removeValue(forKey: id)
    }

    private func podChanged(_ change: PodListChange, context: String, namespace: String) {
        let namespaceKey = NamespaceKey(context: context, namespace: namespace)
        for continuation in podListFollowers[namespaceKey].map({ Array($0.values) }) ?? [] { continuation.yield(change) }
        switch change {
        case .listed(let pods):
            listedNamespaces.insert(namespaceKey)
            // A forwarded pod the watch knew and the new list lacks (or holds under another uid) was deleted while
            // the watch was restarting (a real API server ends every watch after 30–60 min).
            let listed = Dictionary(pods.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            let missed = livePods.filter { key, known in
                key.context == context && key.namespace == namespace && listed[key.name]?.uid != known.uid
                    && !forwardIDs(to: key).isEmpty
            }
            livePods = livePods.filter { $0.key.context != context || $0.key.namespace != namespace }
            for pod in pods {
                let key = PodKey(context: context, namespace: namespace, name: pod.name)
                deletedPods.removeValue(forKey: key)
                livePods[key] = pod
            }
            // With the list in place: whether a controller replaces the missed pod, and its stand-in, are seen in it.
            for gone in missed.values.sorted(by: { $0.name < $1.name }) { podDeleted(gone, context: context) }
            for pod in pods { podUpdated(pod, context: context) }
        case .added(let pod), .modified(let pod):
            let key = PodKey(context: context, namespace: namespace, name: pod.name)
            deletedPods.removeValue(forKey: key)
            livePods[key] = pod
            podUpdated(pod, context: context)
        case .deleted(let pod):
            podDeleted(pod, context: context)
        }
    }

    /// A pod of a watched namespace as it is now: the forwards to it hear that it is being deleted; when it is
    /// Ready, the forwards waiting for a pod to stand in for theirs hear of it.
    private func podUpdated(_ pod: Pod, context: String) {
        if pod.deletionTimestamp != nil, case let ids = forwardIDs(to: pod, context: context), !ids.isEmpty {
            let followable = hasController(pod, context: context)
            for id in ids {
                logger.info("forwarded pod terminating", metadata: ["id": "\(id)"])
                feed(id, .podTerminating(pod, followable: followable))
            }
        }
        guard pod.isReady, pod.deletionTimestamp == nil else { return }
        // Every forward waiting for a pod it fits moves to it (same id, same port).
        for (id, entry) in entries where entry.record.context == context && entry.state.looksForStandIn {
            feed(id, .podReady(pod))
        }
    }

    private func podDeleted(_ pod: Pod, context: String) {
        let key = PodKey(context: context, namespace: pod.namespace, name: pod.name)
        // A pod of the same name that came back since (a relist can hold one) is the one known by that name now:
        // the gone one is told to its forwards below, not remembered as deleted under that name.
        if let live = livePods[key], live.uid != pod.uid {
            deletedPods.removeValue(forKey: key)
        } else {
            deletedPods[key] = (pod, Date())
            livePods.removeValue(forKey: key)
        }
        if deletedPods.count > 1000, let oldest = deletedPods.min(by: { $0.value.at < $1.value.at }) {
            deletedPods.removeValue(forKey: oldest.key)
        }
        let followable = hasController(pod, context: context)
        for id in forwardIDs(to: pod, context: context) {
            logger.info("forwarded pod deleted", metadata: ["id": "\(id)"])
            feed(id, .podDeleted(pod, followable: followable))
        }
    }

    /// The forwards to the pod `pod` (by its name: a pod forward's target).
    private func forwardIDs(to pod: Pod, context: String) -> [String] {
        forwardIDs(to: PodKey(context: context, namespace: pod.namespace, name: pod.name))
    }

    private func forwardIDs(to key: PodKey) -> [String] {
        entries.filter { _, entry in
            entry.record.context == key.context && entry.record.namespace == key.namespace && entry.record.kind == .pod
                && entry.record.target.name == key.name
        }.map(\.key).sorted()
    }

    // MARK: - Following a replacement pod

    /// The pod belongs to a controller: it has owner references, or a Ready pod can stand in for it.
    private func hasController(_ pod: Pod, context: String) -> Bool {
        !pod.ownerReferences.isEmpty || firstReplacement(for: pod, context: context) != nil
    }

    /// A live pod of the same context that can stand in for `gone`.
    private func firstReplacement(for gone: Pod, context: String) -> Pod? {
        livePods.filter { $0.key.context == context && $0.value.canStandIn(for: gone) }.values.min { $0.name < $1.name }
    }

    // MARK: - The per-port gate

    private func acquireGate(_ port: Int) async {
        if gatedPorts.insert(port).inserted { return }
        await withCheckedContinuation { continuation in
            gateWaiters[port, default: []].append(continuation)
        }
    }

    private func releaseGate(_ port: Int) {
        if var waiters = gateWaiters[port], !waiters.isEmpty {
            let next = waiters.removeFirst()
            gateWaiters[port] = waiters.isEmpty ? nil : waiters
            next.resume()
        } else {
            gatedPorts.remove(port)
        }
    }

    private var reservedPorts: Set<Int> { Set(entries.values.map(\.record.localPort)) }
}

import Foundation
import Logging

/// The one registry of live forwards. Spawns `kubectl port-forward` through the ``ProcessRunner`` (argv only,
/// parent-death signal), tracks each forward from `connecting` to its end, watches forwarded namespaces for
/// deleted pods, and publishes ``ForwardEvent``s to every reader of ``events()``.
///
/// Concurrency: starts for one local port are serialized (a per-port gate), so two starts never race for a
/// port; every way a forward ends (stop, timeout, kubectl exit, pod deleted, failed launch) goes through one
/// ending task per forward, so concurrent stops and rapid start/stop cannot double-remove or leak a process.
public actor PortForwardManager {
    public nonisolated let configuration: KubectlConfiguration
    /// How long a start may take before kubectl is killed and the timeout reported.
    public nonisolated let connectTimeout: Duration

    private let client: KubectlClient
    private let runner: ProcessRunner
    private let logger: Logger
    private let probe = LocalPortProbe()
    private let broadcaster = EventBroadcaster<ForwardEvent>()

    private var entries: [String: ForwardEntry] = [:]
    private var nextToken: UInt64 = 0
    private var gatedPorts: Set<Int> = []
    private var gateWaiters: [Int: [CheckedContinuation<Void, Never>]] = [:]
    private var watches: [NamespaceKey: PodDeletionWatch] = [:]
    private var watchStops: [UUID: Task<Void, Never>] = [:]
    /// Pods the namespace watches saw deleted: their last state (for their controller) and when (the oldest of
    /// over 1,000 is forgotten).
    private var deletedPods: [PodKey: (pod: Pod, at: Date)] = [:]
    /// Pods the open namespace watches report (forgotten when the watch stops).
    private var livePods: [PodKey: Pod] = [:]

    public init(configuration: KubectlConfiguration) {
        self.init(configuration: configuration, logger: ProcessRunner.silentLogger)
    }

    public init(configuration: KubectlConfiguration, logger: Logger, connectTimeout: Duration = .seconds(10)) {
        self.configuration = configuration
        self.logger = logger
        self.connectTimeout = connectTimeout
        self.client = KubectlClient(configuration: configuration, logger: logger)
        self.runner = client.runner
    }

    // MARK: - Reading state

    /// A fresh stream of events for one reader (each call is a new subscriber, buffered without limit).
    public nonisolated func events() -> AsyncStream<ForwardEvent> {
        broadcaster.subscribe()
    }

    /// The current forwards, sorted by context, namespace, pod, local port.
    public func forwards() -> [ForwardRecord] {
        entries.values.map(\.record).sorted {
            ($0.context, $0.namespace, $0.podName, $0.localPort) < ($1.context, $1.namespace, $1.podName, $1.localPort)
        }
    }

    /// Forwards that are connected (not connecting, not being stopped).
    public func activeCount() -> Int {
        entries.values.filter { $0.phase == .connected }.count
    }

    /// Binds 127.0.0.1 and ::1 to tell whether kubectl could listen on `port`.
    public nonisolated func checkLocalPort(_ port: Int) -> LocalPortCheck {
        probe.check(port)
    }

    /// Like ``checkLocalPort(_:)``, also counting ports of forwards that are still connecting.
    public func checkLocalPortReserving(_ port: Int) -> LocalPortCheck {
        probe.check(port, reserved: reservedPorts)
    }

    /// A local port to offer for `remotePort`: the remote port itself when free, else the next free one upward
    /// (>= 1024 when the remote port is privileged and kube9 is not).
    public func suggestLocalPort(for remotePort: Int) -> Int? {
        switch probe.check(remotePort, reserved: reservedPorts) {
        case .available: remotePort
        case .inUse(let suggestion), .privileged(let suggestion): suggestion
        case .invalid: nil
        }
    }

    /// The id a forward of `request` gets: `{context}/{namespace}/{pod}:{local}:{remote}`.
    public nonisolated static func forwardID(for request: ForwardRequest) -> String {
        let target = request.kind == .pod ? request.podName : request.target
        return "\(request.context)/\(request.namespace)/\(target):\(request.localPort):\(request.remotePort)"
    }

    // MARK: - Starting

    /// Spawns kubectl at once (no pod pre-check: kubectl itself refuses a missing or non-Running pod, and its stderr
    /// is classified), waits for `Forwarding from` (``connectTimeout``). Returns the connected record.
    public func startForward(_ request: ForwardRequest) async throws(KubeError) -> ForwardRecord {
        for port in [request.localPort, request.remotePort] {
            do { _ = try PortSpec.parse(String(port)) } catch { throw KubeError(.other, error.message) }
        }
        if let problem = ForwardAddress.problem(request.address) { throw KubeError(.other, problem) }
        let deadline = ContinuousClock.now + connectTimeout

        // 2. One start per local port at a time.
        await acquireGate(request.localPort)
        defer { releaseGate(request.localPort) }

        // 3. Not twice; 4. the local port must be free.
        if entries.values.contains(where: { $0.matches(request) && ($0.phase == .connecting || $0.phase == .connected) }) {
            throw KubeError(.alreadyActive, Messages.alreadyActive)
        }
        switch probe.check(request.localPort, reserved: reservedPorts) {
        case .available: break
        case .inUse(let suggestion):
            throw KubeError(.portInUse, Messages.portInUse(port: request.localPort, suggestion: suggestion))
        case .privileged(let suggestion):
            throw KubeError(.portInUse, Messages.portPrivileged(port: request.localPort, suggestion: suggestion))
        case .invalid(let message):
            throw KubeError(.other, message)
        }

        // 5. The record, then kubectl.
        nextToken += 1
        let token = nextToken
        let id = Self.forwardID(for: request)
        let record = ForwardRecord(
            id: id, podName: request.podName, namespace: request.namespace, context: request.context,
            localPort: request.localPort, remotePort: request.remotePort, status: .connecting, startTime: Date(),
            kind: request.kind, address: request.address, heals: request.heals)
        entries[id] = ForwardEntry(record: record, token: token)
        broadcaster.publish(.added(record))
        logger.info("starting forward", metadata: ["id": "\(id)"])

        // 6. Wait for `Forwarding from`, a failure, a stop or the deadline.
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<ForwardRecord, KubeError>, Never>) in
            entries[id]?.connectWaiter = continuation
            Task { await self.launch(id: id, token: token, request: request, deadline: deadline) }
        }
        return try result.get()
    }

    private func launch(id: String, token: UInt64, request: ForwardRequest, deadline: ContinuousClock.Instant) async {
        let process: RunningProcess
        do {
            process = try await runner.launch(
                executable: configuration.kubectlPath, arguments: client.portForwardArguments(request))
        } catch {
            markLaunched(id: id, token: token)
            let failure = KubectlClient.kubeError(error, timeout: connectTimeout)
            beginEnding(id: id, token: token, reason: .failedToStart(failure))
            return
        }
        guard entries[id]?.token == token else {
            await process.terminate()
            return
        }
        entries[id]?.process = process
        entries[id]?.record.processId = process.processID
        markLaunched(id: id, token: token)
        if let entry = entries[id], entry.phase == .connecting {
            broadcaster.publish(.updated(entry.record))
            entries[id]?.deadlineTask = Task {
                try? await Task.sleep(until: deadline, clock: .continuous)
                guard !Task.isCancelled else { return }
                self.connectDeadlinePassed(id: id, token: token)
            }
        }
        Task {
            for await chunk in process.output {
                self.received(chunk, id: id, token: token)
            }
            let exit = await process.waitForExit()
            self.processExited(exit, id: id, token: token)
        }
    }

    private func markLaunched(id: String, token: UInt64) {
        guard var entry = entries[id], entry.token == token else { return }
        entry.launched = true
        let waiters = entry.launchWaiters
        entry.launchWaiters = []
        entries[id] = entry
        for waiter in waiters { waiter.resume() }
    }

    private func received(_ chunk: RunningProcess.Output, id: String, token: UInt64) {
        guard var entry = entries[id], entry.token == token else { return }
        switch chunk {
        case .standardOutput(let bytes):
            for line in entry.stdout.append(bytes) {
                logger.debug("kubectl stdout", metadata: ["id": "\(id)", "line": "\(line)"])
                if line.hasPrefix("Handling connection for") {
                    entry.record.connectionCount += 1
                    entry.record.lastConnectionTime = Date()
                    entries[id] = entry
                    publishActivity(id: id, token: token)
                    entry = entries[id] ?? entry
                    continue
                }
                if entry.phase == .connecting, line.contains("Forwarding from") {
                    entry.phase = .connected
                    entry.record.status = .connected
                    entry.record.reconnectAttempt = 0
                    entry.deadlineTask?.cancel()
                    entry.deadlineTask = nil
                    let waiter = entry.connectWaiter
                    entry.connectWaiter = nil
                    entries[id] = entry
                    broadcaster.publish(.updated(entry.record))
                    // Watched for deleted pods from here on: a start that fails spawns no watch, and the watch's
                    // kubectl does not compete with the forward's for the CPU while it connects.
                    ensureWatch(context: entry.record.context, namespace: entry.record.namespace)
                    logger.info("forward connected", metadata: ["id": "\(id)"])
                    waiter?.resume(returning: .success(entry.record))
                }
            }
        case .standardError(let bytes):
            for line in entry.stderr.append(bytes) {
                logger.debug("kubectl stderr", metadata: ["id": "\(id)", "line": "\(line)"])
                entry.stderrTail.append(line)
                if entry.stderrTail.count > 40 { entry.stderrTail.removeFirst() }
            }
        }
        entries[id] = entry
    }

    /// Publishes `.updated` for new connections, at most once per ``activityInterval`` per forward: the first at
    /// once, later ones coalesced into one publish at the end of the interval.
    private func publishActivity(id: String, token: UInt64) {
        guard var entry = entries[id], entry.token == token, entry.phase != .ending, !entry.activityPublishPending
        else { return }
        let now = ContinuousClock.now
        if let last = entry.lastActivityPublish, now - last < Self.activityInterval {
            entry.activityPublishPending = true
            entries[id] = entry
            Task {
                try? await Task.sleep(until: last + Self.activityInterval, clock: .continuous)
                self.flushActivity(id: id, token: token)
            }
            return
        }
        entry.lastActivityPublish = now
        entries[id] = entry
        broadcaster.publish(.updated(entry.record))
    }

    private func flushActivity(id: String, token: UInt64) {
        guard var entry = entries[id], entry.token == token else { return }
        entry.activityPublishPending = false
        entry.lastActivityPublish = ContinuousClock.now
        entries[id] = entry
        if entry.phase != .ending { broadcaster.publish(.updated(entry.record)) }
    }

    /// The shortest time between two activity updates of one forward.
    static let activityInterval: Duration = .milliseconds(250)

    private func connectDeadlinePassed(id: String, token: UInt64) {
        guard let entry = entries[id], entry.token == token, entry.phase == .connecting else { return }
        if heals(entry) {
            beginReconnect(id: id, token: token)
            return
        }
        logger.info("forward timed out", metadata: ["id": "\(id)"])
        beginEnding(id: id, token: token, reason: .timedOut)
    }

    private func processExited(_ exit: ProcessExit, id: String, token: UInt64) {
        guard var entry = entries[id], entry.token == token else { return }
        if let rest = entry.stderr.finish() { entry.stderrTail.append(rest) }
        entries[id] = entry
        logger.info("kubectl exited", metadata: ["id": "\(id)", "exit": "\(exit)"])
        switch entry.phase {
        case .reconnecting, .awaitingReplacement: return  // the kubectl being replaced: its end is expected
        default: break
        }
        if heals(entry) {
            let key = PodKey(context: entry.record.context, namespace: entry.record.namespace, name: entry.record.podName)
            if deletedPods[key] != nil || classifyStartFailure(entry, exit: exit).kind == .notFound {
                if entry.record.kind == .pod, let gone = deletedPods[key]?.pod ?? livePods[key],
                    hasController(gone, context: key.context)
                {
                    beginAwaitingReplacement(id: id, token: token, gone: gone)
                } else {
                    beginEnding(id: id, token: token, reason: .podDeleted)
                }
            } else {
                beginReconnect(id: id, token: token)
            }
            return
        }
        beginEnding(id: id, token: token, reason: .exited(exit))
    }

    // MARK: - Healing

    /// A forward heals when its flag is on, it has connected once (its start has returned), and it is neither
    /// ending nor already waiting to reconnect.
    private func heals(_ entry: ForwardEntry) -> Bool {
        entry.record.heals && entry.connectWaiter == nil && (entry.phase == .connected || entry.phase == .connecting)
    }

    /// The wait before reconnect attempt `attempt`: 1 s, 2 s, 4 s … capped at 30 s.
    public nonisolated static func reconnectDelay(attempt: Int) -> Duration {
        .seconds(min(30, 1 << min(max(attempt - 1, 0), 5)))
    }

    /// kubectl ended (or never connected again) while healing is on: `reconnecting (attempt n)`, the old kubectl
    /// ended, the backoff, then a new kubectl for the same id and local port.
    private func beginReconnect(id: String, token: UInt64) {
        guard var entry = entries[id], entry.token == token else { return }
        entry.phase = .reconnecting
        entry.deadlineTask?.cancel()
        entry.deadlineTask = nil
        entry.record.status = .reconnecting
        entry.record.reconnectAttempt += 1
        entry.record.processId = nil
        let attempt = entry.record.reconnectAttempt
        let process = entry.process
        entry.process = nil
        let delay = Self.reconnectDelay(attempt: attempt)
        entry.reconnectTask = Task {
            await process?.terminate()
            try? await Task.sleep(for: delay)
            guard !Task.isCancelled else { return }
            await self.reconnect(id: id, token: token)
        }
        entries[id] = entry
        broadcaster.publish(.updated(entry.record))
        logger.info("forward reconnecting", metadata: ["id": "\(id)", "attempt": "\(attempt)"])
    }

    private func reconnect(id: String, token: UInt64) async {
        guard var entry = entries[id], entry.token == token, entry.phase == .reconnecting else { return }
        nextToken += 1
        let next = nextToken
        entry.token = next
        entry.phase = .connecting
        entry.launched = false
        entry.stdout = LineSplitter()
        entry.stderr = LineSplitter()
        entry.stderrTail = []
        entry.reconnectTask = nil
        entries[id] = entry
        await launch(id: id, token: next, request: entry.record.request, deadline: .now + connectTimeout)
    }

    // MARK: - Stopping

    /// Marks the forward stopped, SIGTERM, waits up to 1 s for kubectl to exit, then SIGKILL; removes the record.
    /// A forward already being stopped is waited for. Unknown id: `Forward {id} not found`.
    public func stopForward(id: String) async throws(KubeError) {
        guard let entry = entries[id] else {
            throw KubeError(.notFound, Messages.forwardNotFound(id: id))
        }
        let ending = beginEnding(id: id, token: entry.token, reason: .stoppedByUser) ?? entry.ending
        await ending?.value
    }

    /// Stops every forward in parallel; one failure is logged and does not stop the others. Returns once every
    /// kubectl the manager started (forwards and namespace watches) has exited.
    public func stopAllForwards() async {
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
        // Watches left without forwards, and those still stopping: gone before this returns.
        for (key, watch) in watches where !entries.values.contains(where: {
            $0.record.context == key.context && $0.record.namespace == key.namespace
        }) {
            watches.removeValue(forKey: key)
            await stop(watch)
        }
        for stopping in watchStops.values { await stopping.value }
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
        guard var entry = entries[id] else { throw KubeError(.notFound, Messages.forwardNotFound(id: id)) }
        entry.record.heals = enabled
        entries[id] = entry
        broadcaster.publish(.updated(entry.record))
    }

    /// Starts the one ending of a forward (no-op when it is already ending) and returns its task.
    @discardableResult
    private func beginEnding(id: String, token: UInt64, reason: EndReason) -> Task<Void, Never>? {
        guard var entry = entries[id], entry.token == token, entry.phase != .ending else { return nil }
        entry.phase = .ending
        entry.deadlineTask?.cancel()
        entry.deadlineTask = nil
        if case .stoppedByUser = reason {
            entry.record.status = .stopped
        } else if case .podDeleted = reason {
            entry.record.status = .stopped
        } else {
            entry.record.status = .error
        }
        let task = Task { await self.end(id: id, token: token, reason: reason) }
        entry.ending = task
        entries[id] = entry
        broadcaster.publish(.updated(entry.record))
        return task
    }

    private func end(id: String, token: UInt64, reason: EndReason) async {
        guard let entry = entries[id], entry.token == token else { return }
        if let reconnecting = entry.reconnectTask {
            reconnecting.cancel()
            await reconnecting.value
        }
        if !entry.launched {
            await withCheckedContinuation { continuation in
                entries[id]?.launchWaiters.append(continuation)
            }
        }
        if let process = entries[id]?.process {
            let exit = await process.terminate()
            logger.debug("kubectl gone", metadata: ["id": "\(id)", "exit": "\(exit)"])
        }
        guard let current = entries[id], current.token == token else { return }
        let wasConnected = current.connectWaiter == nil
        let record = current.record
        var notice: Notice?
        var failure: KubeError
        switch reason {
        case .stoppedByUser:
            failure = KubeError(
                .other,
                Messages.stoppedBeforeConnecting(
                    localPort: record.localPort, namespace: record.namespace, pod: record.podName,
                    remotePort: record.remotePort))
        case .timedOut:
            failure = KubeError(.timedOut, Messages.connectionTimedOut)
        case .failedToStart(let error):
            failure = error
        case .podDeleted:
            failure = KubeError(.notFound, Messages.podDeleted(pod: record.podName))
            if wasConnected { notice = Notice(.info, Messages.podDeleted(pod: record.podName)) }
        case .exited(let exit):
            failure = classifyStartFailure(current, exit: exit)
            if wasConnected { notice = await unexpectedExitNotice(record, stderr: current.stderrTail) }
        }
        guard let final = entries[id], final.token == token else { return }
        entries.removeValue(forKey: id)
        // The notice first, so a reader that reacts to `removed` already has the reason.
        if let notice { broadcaster.publish(.notice(notice)) }
        broadcaster.publish(.removed(record))
        final.connectWaiter?.resume(returning: .failure(failure))
        logger.info("forward ended", metadata: ["id": "\(id)", "reason": "\(reason)"])
        await releaseWatchIfUnused(context: record.context, namespace: record.namespace)
    }

    private func classifyStartFailure(_ entry: ForwardEntry, exit: ProcessExit) -> KubeError {
        let record = entry.record
        let error = KubectlErrorClassifier.classify(
            stderr: entry.stderrTail.joined(separator: "\n"), exitDescription: exit.description,
            purpose: .portForward(namespace: record.namespace, pod: record.podName, localPort: record.localPort))
        if error.kind == .portInUse {
            let suggestion = probe.suggestion(above: record.localPort, reserved: reservedPorts)
            return KubeError(.portInUse, Messages.portInUse(port: record.localPort, suggestion: suggestion))
        }
        return error
    }

    /// kubectl ended on its own after connecting: was the pod deleted (the watch saw it, or it is gone or
    /// terminating now), was the cluster unreachable, or did it just stop?
    private func unexpectedExitNotice(_ record: ForwardRecord, stderr: [String]) async -> Notice {
        let key = PodKey(context: record.context, namespace: record.namespace, name: record.podName)
        let deleted = Notice(.info, Messages.podDeleted(pod: record.podName))
        if deletedPods[key] != nil { return deleted }
        let unexpected = Notice(
            .error,
            Messages.stoppedUnexpectedly(
                localPort: record.localPort, namespace: record.namespace, pod: record.podName,
                remotePort: record.remotePort))
        do {
            let pod = try await client.pod(
                context: record.context, namespace: record.namespace, name: record.podName,
                timeout: min(configuration.requestTimeout, .seconds(5)))
            if deletedPods[key] != nil || pod.deletionTimestamp != nil { return deleted }
            return unexpected
        } catch {
            if deletedPods[key] != nil { return deleted }
            switch error.kind {
            case .notFound: return deleted
            case .unreachable, .timedOut: return Notice(.error, Messages.connectionFailed)
            default: return unexpected
            }
        }
    }

    // MARK: - Deleted pods

    private func ensureWatch(context: String, namespace: String) {
        let key = NamespaceKey(context: context, namespace: namespace)
        guard watches[key] == nil else { return }
        watches[key] = PodDeletionWatch(
            context: context, namespace: namespace, runner: runner, kubectlPath: configuration.kubectlPath,
            arguments: client.watchPodsArguments(context: context, namespace: namespace), logger: logger
        ) { [weak self] change in
            await self?.podChanged(change, context: context, namespace: namespace)
        }
    }

    private func releaseWatchIfUnused(context: String, namespace: String) async {
        let key = NamespaceKey(context: context, namespace: namespace)
        guard !entries.values.contains(where: { $0.record.context == context && $0.record.namespace == namespace }),
            let watch = watches.removeValue(forKey: key)
        else { return }
        await stop(watch)
    }

    /// Stops a watch; `stopAllForwards()` waits for every such stop, so nothing runs once it returns.
    private func stop(_ watch: PodDeletionWatch) async {
        livePods = livePods.filter { $0.key.context != watch.context || $0.key.namespace != watch.namespace }
        let id = UUID()
        let stopping = Task { await watch.stop() }
        watchStops[id] = stopping
        await stopping.value
        watchStops.removeValue(forKey: id)
    }

    private func podChanged(_ change: PodDeletionWatch.Change, context: String, namespace: String) {
        switch change {
        case .added(let pod), .modified(let pod):
            let key = PodKey(context: context, namespace: namespace, name: pod.name)
            deletedPods.removeValue(forKey: key)
            livePods[key] = pod
            if pod.isRunning, pod.deletionTimestamp == nil { replacementRunning(pod, context: context) }
        case .deleted(let pod):
            let key = PodKey(context: context, namespace: namespace, name: pod.name)
            deletedPods[key] = (pod, Date())
            livePods.removeValue(forKey: key)
            if deletedPods.count > 1000, let oldest = deletedPods.min(by: { $0.value.at < $1.value.at }) {
                deletedPods.removeValue(forKey: oldest.key)
            }
            for entry in entries.values
            where entry.record.context == context && entry.record.namespace == namespace
                && entry.record.kind == .pod && entry.record.podName == pod.name
            {
                logger.info("forwarded pod deleted", metadata: ["id": "\(entry.record.id)"])
                if entry.record.heals, entry.connectWaiter == nil, entry.phase != .ending,
                    hasController(pod, context: context)
                {
                    beginAwaitingReplacement(id: entry.record.id, token: entry.token, gone: pod)
                } else {
                    beginEnding(id: entry.record.id, token: entry.token, reason: .podDeleted)
                }
            }
        }
    }

    // MARK: - Following a replacement pod

    /// The pod belongs to a controller: it has owner references, or another Running pod carries its labels.
    private func hasController(_ pod: Pod, context: String) -> Bool {
        !pod.ownerReferences.isEmpty || firstReplacement(for: pod, context: context) != nil
    }

    /// A live pod of the same context that can stand in for `gone`.
    private func firstReplacement(for gone: Pod, context: String) -> Pod? {
        livePods.first { $0.key.context == context && isReplacement($0.value, for: gone) }?.value
    }

    /// `candidate` can stand in for the deleted `gone`: same namespace, another name, Running, not being deleted,
    /// and the same owner or the same (non-empty) labels.
    private func isReplacement(_ candidate: Pod, for gone: Pod) -> Bool {
        guard candidate.namespace == gone.namespace, candidate.name != gone.name, candidate.isRunning,
            candidate.deletionTimestamp == nil
        else { return false }
        let owners = Set(gone.ownerReferences.map(\.uid))
        if !owners.isEmpty, candidate.ownerReferences.contains(where: { owners.contains($0.uid) }) { return true }
        return !gone.labels.isEmpty && candidate.labels == gone.labels
    }

    /// The forward's pod is gone: end its kubectl, `reconnecting`, and follow the first Running replacement.
    private func beginAwaitingReplacement(id: String, token: UInt64, gone: Pod) {
        guard var entry = entries[id], entry.token == token, entry.phase != .ending else { return }
        if case .awaitingReplacement = entry.phase { return }
        entry.phase = .awaitingReplacement(gone)
        entry.deadlineTask?.cancel()
        entry.deadlineTask = nil
        entry.record.status = .reconnecting
        entry.record.reconnectAttempt = max(entry.record.reconnectAttempt, 1)
        entry.record.processId = nil
        let process = entry.process
        entry.process = nil
        let previous = entry.reconnectTask
        previous?.cancel()
        entry.reconnectTask = Task {
            await previous?.value
            await process?.terminate()
        }
        entries[id] = entry
        broadcaster.publish(.updated(entry.record))
        logger.info("forward waits for a replacement pod", metadata: ["id": "\(id)", "pod": "\(gone.name)"])
        let context = entry.record.context
        if let ready = firstReplacement(for: gone, context: context) {
            replacementRunning(ready, context: context)
        }
    }

    /// A Running pod appeared: every forward waiting for a replacement it fits moves to it (same id, same port).
    private func replacementRunning(_ pod: Pod, context: String) {
        for (id, entry) in entries where entry.record.context == context {
            guard case .awaitingReplacement(let gone) = entry.phase, isReplacement(pod, for: gone) else { continue }
            var moved = entry
            moved.phase = .reconnecting
            moved.record.podName = pod.name
            let token = moved.token
            let previous = moved.reconnectTask
            moved.reconnectTask = Task {
                await previous?.value
                guard !Task.isCancelled else { return }
                await self.reconnect(id: id, token: token)
            }
            entries[id] = moved
            broadcaster.publish(.updated(moved.record))
            broadcaster.publish(.notice(Notice(.info, Messages.forwardMoved(namespace: pod.namespace, pod: pod.name))))
            logger.info("forward moved", metadata: ["id": "\(id)", "pod": "\(pod.name)"])
        }
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

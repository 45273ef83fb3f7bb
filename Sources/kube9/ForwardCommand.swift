import ArgumentParser
import Foundation
import Kube9Kit
import Logging

/// `kube9 forward`: port forwards to one pod or service through the manager, in the foreground, without the UI.
struct ForwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Forward local ports to a pod or service through kubectl, in the foreground, until SIGINT/SIGTERM.",
        discussion: """
            Prints the same messages as the UI: success on stdout, errors on stderr. Ctrl-C (SIGINT) or SIGTERM \
            stops kubectl and exits 0. kubectl always dies with kube9, even when kube9 is killed. Several \
            mappings start one forward each (all or none: when one cannot start, the others are stopped), \
            served by one kubectl.

            EXAMPLES
              kube9 forward pod/web-0 8080:80 9090
              kube9 forward pod/web-0 :80   (any free local port, as kubectl's random one)
              kube9 forward svc/web 8443:https   (a named port of the service or pod)
              kube9 forward -n shop svc/api 18080:80 --address 0.0.0.0
              kube9 forward deploy/web 8080:80   (a restart picks another of its pods)
              kube9 forward --attach pod/web-0 8080:80   (held by the running UI or kube9 up)

            EXIT CODES
              0   stopped by SIGINT/SIGTERM/SIGHUP
              1   the kubeconfig cannot be read, a forward failed or ended on its own, or
                  its context's credentials failed (the reason on stderr; log in, run again)
              3   local port in use or privileged (--auto-port takes the suggested
                  port), or no free local port for :REMOTE
              64  usage error (bad arguments, port or address)
            """)

    enum Exit {
        static let failed: Int32 = 1
        static let portInUse: Int32 = 3
    }

    @Option(help: "Path of the kubeconfig file (default: KUBECONFIG, then ~/.kube/config).")
    var kubeconfig: String?

    @Option(help: "Kubeconfig context (default: the current context).")
    var context: String?

    @Option(name: [.customShort("n"), .long], help: "Namespace (default: the context's namespace, else default).")
    var namespace: String?

    @Option(help: "The kubectl binary to run.")
    var kubectl: String = "kubectl"

    @Option(help: "Addresses to listen on (comma-separated): localhost, or IP addresses. Not loopback: reachable from other machines.")
    var address: String = ForwardRequest.defaultAddress

    @Flag(help: "When a local port is taken, use the suggested free port instead of failing.")
    var autoPort = false

    @Flag(help: "Do not restart a forward when kubectl ends, nor follow a replacement pod.")
    var noHeal = false

    @Flag(help: "Open the local ports now; start kubectl only when a connection arrives, stop it when idle.")
    var onDemand = false

    @Option(help: "With --on-demand: how long kubectl runs with no open connection (90s, 10m, 1h; default 10m).")
    var idleTimeout: String?

    @Flag(help: "Log what kube9 does to stderr.")
    var verbose = false

    @Flag(help: "Hand the forwards to a running kube9 (the most recent UI, else kube9 up) and exit instead of holding them.")
    var attach = false

    @Argument(
        help: "The target: pod/NAME (or NAME), svc/NAME, or a workload whose pod kubectl picks at every (re)start: deploy/NAME, sts/NAME, rs/NAME, ds/NAME.")
    var target: String

    @Argument(
        help: "[LOCAL:]REMOTE, one or more — LOCAL defaults to REMOTE; :REMOTE (or 0:REMOTE) takes any free local port; REMOTE may be a port's name (8443:https).")
    var ports: [String]

    /// The kind and name of `target` (`pod/x` or `x`, `svc/x`, `deploy/x`, `sts/x`, `rs/x`, `ds/x`, and their long
    /// forms, as kubectl takes them); the kind is nil when unknown (a usage error).
    var targetKindAndName: (ForwardTargetKind, String) {
        ForwardTargetKind.parse(target) ?? (.pod, "")
    }

    func validate() throws {
        let name = targetKindAndName.1
        if name.isEmpty || name.contains("/") {
            throw ValidationError("Expected pod/NAME, svc/NAME or deploy/NAME (sts/, rs/, ds/), got '\(target)'.")
        }
        if ports.isEmpty { throw ValidationError("Give at least one port mapping, [LOCAL:]REMOTE.") }
        var locals: [Int?] = []
        for text in ports {
            // A named remote port (`8443:https`) is numbered from the cluster later: its local part is checked here.
            let named = PortSpec.remoteName(of: text) != nil
            let mapping: (local: Int?, remote: Int)
            do { mapping = try PortSpec.parseMapping(named ? PortSpec.numbered(text, port: 1) : text) } catch {
                throw ValidationError("Bad port mapping '\(text)': \(error.message)")
            }
            // A bare name's local port is its number, known later.
            locals.append(mapping.local ?? (named ? nil : mapping.remote))
        }
        if let repeated = Self.repeatedLocalPort(locals) { throw ValidationError(Messages.localPortGivenTwice(repeated)) }
        if let problem = ForwardAddress.problem(address) { throw ValidationError(problem) }
        if let idleTimeout {
            guard onDemand else { throw ValidationError("--idle-timeout needs --on-demand.") }
            guard DurationText.parse(idleTimeout) != nil else {
                throw ValidationError("Bad idle timeout '\(idleTimeout)': expected a duration like 90s, 10m or 1h.")
            }
        }
    }

    func run() async throws {
        // --attach hands the forwards to another kube9: this process runs no forward's kubectl (at most the read
        // that numbers a named port).
        if !attach { PortForwardManager.prepareForForwards() }
        let logger = SignalStop.logger(verbose: verbose)
        let configuration = KubectlConfiguration(kubectlPath: kubectl, kubeconfig: kubeconfig)
        let client = KubectlClient(configuration: configuration, logger: logger)
        let (contextName, namespaceName) = try resolveTarget(client)
        let manager = PortForwardManager(configuration: configuration, logger: logger)

        // From here on SIGINT/SIGTERM/SIGHUP stop the forwards (even while they connect) instead of killing kube9.
        let signals = SignalStop(stopping: manager)
        defer { signals.cancel() }
        let attachTo = attach ? try Self.attachTarget() : nil

        try confirmExposure()
        let mappings = try await numberedPorts(client, context: contextName, namespace: namespaceName)
        let requests = try await choosePorts(mappings, context: contextName, namespace: namespaceName, manager: manager)
        if let attachTo {
            try Self.attach(requests, to: attachTo)
            return
        }

        // `kube9 status/ls/stop` reach this process through its control socket; what they stop ends here with 0.
        let stoppedByControl = StoppedForwardIDs()
        // Bound while kubectl starts, not before it (listed stale sockets are probed); ready before the forward is
        // announced.
        let controlStart = Task { await serveControl(manager, stoppedByControl: stoppedByControl, logger: logger) }

        let events = manager.events()
        // A credential plugin's login prompt (a URL, a code) is printed at once; the start waits for it.
        let prompts = Task {
            var shown: Set<String> = []
            for await event in manager.events() {
                if case .updated(let record) = event, let prompt = record.loginPrompt, shown.insert(prompt).inserted {
                    Output.error(Messages.loginPrompt(context: record.context, prompt: prompt))
                }
            }
        }
        defer { prompts.cancel() }
        let started = try await start(requests, manager: manager, signals: signals, control: controlStart)
        let control = await controlStart.value
        defer { control?.stop() }
        guard let records = started else { return }
        try await hold(
            records, events: events, manager: manager, signals: signals, control: control,
            stoppedByControl: stoppedByControl)
    }

    /// Listening beyond loopback: a person at a terminal confirms; a script (stdin not a terminal) gets the warning
    /// on stderr.
    private func confirmExposure() throws {
        guard !ForwardRequest.isLoopback(address: address) else { return }
        if isatty(STDIN_FILENO) == 1 {
            Output.prompt("Listen on \(address)? Other machines can then reach these ports. [y/N] ")
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            guard answer == "y" || answer == "yes" else {
                Output.error(Messages.cancelled)
                throw ExitCode(Exit.failed)
            }
        } else {
            Output.error("Listening on \(address): the forwarded ports are reachable from other machines.")
        }
    }

    /// The mappings with named remote ports (`8443:https`) numbered from the pod or the service, as kubectl does;
    /// no read when none is named.
    private func numberedPorts(_ client: KubectlClient, context: String, namespace: String) async throws -> [String] {
        let names = Set(ports.compactMap(PortSpec.remoteName(of:)))
        guard !names.isEmpty else { return ports }
        let (kind, name) = targetKindAndName
        let numbers: [String: Int]
        do {
            numbers = try await client.portNumbers(
                named: names, of: ForwardTarget(context: context, namespace: namespace, kind: kind, name: name))
        } catch {
            Output.error(error.message)
            throw ExitCode(Exit.failed)
        }
        let numbered = ports.map { text in
            PortSpec.remoteName(of: text).flatMap { numbers[$0] }.map { PortSpec.numbered(text, port: $0) } ?? text
        }
        // A bare name's local port is its number: two may meet (`http web`, or `metrics 9090`).
        let locals = numbered.map { text in (try? PortSpec.parseMapping(text)).map { $0.local ?? $0.remote } }
        if let repeated = Self.repeatedLocalPort(locals) { throw ValidationError(Messages.localPortGivenTwice(repeated)) }
        return numbered
    }

    /// The first local port given twice; `:REMOTE`'s any port and ports not known yet (nil) never count.
    static func repeatedLocalPort(_ locals: [Int?]) -> Int? {
        var seen: Set<Int> = []
        for case let local? in locals where local != PortSpec.anyLocalPort {
            if !seen.insert(local).inserted { return local }
        }
        return nil
    }

    /// One request per mapping, every local port checked (and distinct from the ones chosen before it).
    private func choosePorts(
        _ mappings: [String], context: String, namespace: String, manager: PortForwardManager
    ) async throws -> [ForwardRequest] {
        let (kind, name) = targetKindAndName
        // `:REMOTE` takes none of the local ports given: they are chosen after it may be.
        let given = Set(mappings.compactMap { try? PortSpec.parseMapping($0) }.map { $0.local ?? $0.remote })
        var requests: [ForwardRequest] = []
        for text in mappings {
            let mapping = try PortSpec.parseMapping(text)
            var localPort = mapping.local ?? mapping.remote
            if localPort == PortSpec.anyLocalPort {
                guard let free = await manager.anyFreeLocalPort(besides: given.union(requests.map(\.localPort))) else {
                    Output.error(Messages.noFreeLocalPort(mapping: text))
                    throw ExitCode(Exit.portInUse)
                }
                localPort = free
            } else {
                let check = await manager.checkLocalPortReserving(localPort, besides: Set(requests.map(\.localPort)))
                if check != .available {
                    localPort = try takeSuggestion(KubeError.portUnavailable(localPort, check))
                }
            }
            requests.append(
                ForwardRequest(
                    context: context, namespace: namespace, name: name, localPort: localPort,
                    remotePort: mapping.remote, kind: kind, address: address, heals: !noHeal, onDemand: onDemand,
                    idleTimeout: idleTimeout.flatMap { DurationText.parse($0) } ?? ForwardRequest.defaultIdleTimeout))
        }
        return requests
    }

    /// The control socket of `kube9 forward` (starts refused); a forward stopped through it is remembered.
    private func serveControl(
        _ manager: PortForwardManager, stoppedByControl: StoppedForwardIDs, logger: Logger
    ) async -> ControlServer? {
        let actions = ControlActions.manager(manager, acceptsStart: false).recordingStops(in: stoppedByControl)
        return await ControlServer.serve(kind: .forward, actions: actions, logger: logger)
    }

    /// All or none; the mappings share one kubectl (`kubectl port-forward pod/X :R1 :R2`). nil when a signal
    /// stopped them (the command then ends with 0).
    private func start(
        _ requests: [ForwardRequest], manager: PortForwardManager, signals: SignalStop, control: Task<ControlServer?, Never>
) async throws -> [ForwardRecord]? {
        let records: [ForwardRecord]
        do {
            records = try await manager.startForwards(requests)
        } catch {
            await manager.stopAllForwards()
            await control.value?.stop()
            if signals.signalled {
                await signals.stopper.value
                return nil
            }
            Output.error(error.message)
            throw ExitCode(error.kind == .portInUse ? Exit.portInUse : Exit.failed)
        }
        for record in records { Output.line(Messages.established(record.label)) }
        if signals.signalled {
            await manager.stopAllForwards()
            return nil
        }
        return records
    }

    /// Stays until a forward is removed: by a signal or `kube9 stop` (exit 0) or on its own (its notice, exit 1).
    private func hold(
        _ records: [ForwardRecord], events: AsyncStream<ForwardEvent>, manager: PortForwardManager,
        signals: SignalStop, control: ControlServer?, stoppedByControl: StoppedForwardIDs
    ) async throws {
        var ids = Set(records.map(\.id))
        var notice: Notice?
        var ended: ForwardRecord?
        var paused: String?
        var connections: [String: Int] = [:]
        for await event in events {
            // The context's credentials fail: kube9 forward ends with the reason, as kubectl port-forward does
            // (nothing here could resume it; the person logs in and runs it again).
            if case .updated(let record) = event, ids.contains(record.id), record.status == .paused {
                paused = record.pausedReason ?? Messages.paused(reason: nil)
                break
            }
            // Activity, like kubectl's `Handling connection for`, counted (updates are coalesced by the manager).
            if case .updated(let record) = event, ids.contains(record.id),
                record.connectionCount > connections[record.id, default: 0]
            {
                connections[record.id] = record.connectionCount
                Output.line(Self.activityLine(record))
            }
            if case .notice(let text) = event {
                if text.severity == .warning {
                    Output.error(text.text)  // the forward goes on
                    continue
                }
                if text.severity != .error {
                    Output.line(text.text)
                } else if onDemand {
                    // A failed first use of an on-demand forward: said at once; the forward stays, idle.
                    Output.error(text.text)
                    continue
                }
                notice = text
            }
            if case .removed(let removed) = event, ids.contains(removed.id) {
                if stoppedByControl.contains(removed.id) {
                    Output.line(Messages.stopped(removed.label))
                    ids.remove(removed.id)
                    if ids.isEmpty { break } else { continue }
                }
                ended = removed
                break
            }
        }
        await manager.stopAllForwards()
        if signals.signalled {
            await signals.stopper.value
            return
        }
        if ids.isEmpty {  // every forward stopped by `kube9 stop`: its answer goes out before the exit
            await control?.stopAfterAnswering()
            return
        }
        if let paused {
            Output.error(paused)
            throw ExitCode(Exit.failed)
        }
        if let notice, notice.severity == .error {
            Output.error(notice.text)
        } else if notice == nil, let ended {
            Output.error(Messages.stoppedUnexpectedly(ended.label))
        }
        throw ExitCode(Exit.failed)
    }

    /// `localhost:8080 → default/web-0:80: 3 connections, last at 14:02:11, 146 B in, 4.1 KB out`
    static func activityLine(_ record: ForwardRecord) -> String {
        let count = record.connectionCount
        var line = "\(record.label): \(count) connection\(count == 1 ? "" : "s")"
        if let last = record.lastConnectionTime {
            line += ", last at " + clockTime(last)
        }
        if let traffic = record.trafficText { line += ", " + traffic }
        return line
    }

    /// `14:02:11`: the local time on a 24-hour clock. (The date style's two-digit hour follows the locale's clock, so
    /// with AM/PM omitted it printed 02:02:11 in the afternoon under C.UTF-8 and en_US.)
    static func clockTime(_ date: Date, calendar: Calendar = .current) -> String {
        let parts = calendar.dateComponents([.hour, .minute, .second], from: date)
        return [parts.hour, parts.minute, parts.second].map { String(format: "%02d", $0 ?? 0) }.joined(separator: ":")
    }

    /// The suggested port of a local port that is taken (with --auto-port), else the command ends: exit 3, or
    /// 64 for a port that is no port.
    private func takeSuggestion(_ refusal: KubeError) throws -> Int {
        guard refusal.kind == .portInUse else {
            Output.error(refusal.message)
            throw ExitCode(64)
        }
        guard autoPort, let suggestion = refusal.suggestedPort else {
            Output.error(refusal.message)
            throw ExitCode(Exit.portInUse)
        }
        Output.error("\(refusal.message) Using \(suggestion).")
        return suggestion
    }

    /// --context or the current context; -n or the context's namespace or `default`. Read from the kubeconfig files
    /// (no kubectl, no cluster); a kubeconfig that is missing or unreadable ends the command with its path and why.
    private func resolveTarget(_ client: KubectlClient) throws -> (String, String) {
        let files: Kubeconfig
        do {
            files = try client.kubeconfig()
        } catch {
            Output.error(error.message)
            throw ExitCode(Exit.failed)
        }
        guard let contextName = context ?? files.currentContext else {
            Output.error("error: no current context in the kubeconfig; pass --context")
            throw ExitCode(Exit.failed)
        }
        return (contextName, namespace ?? files.defaultNamespace(of: contextName))
    }
}

extension ForwardCommand {
    /// --attach: the most recent UI, else the most recent `kube9 up`; an error (exit 1) when none runs.
    static func attachTarget() throws -> ControlClient.Reply {
        let candidates = ControlClient.broadcast(ControlRequest(op: .list)).compactMap { reply -> (ControlClient.Reply, ControlInstance)? in
            guard let response = reply.response, response.ok, let instance = response.instance,
                instance.kind.acceptsAttach
            else { return nil }
            return (reply, instance)
        }
        let chosen =
            candidates.filter { $0.1.kind == .ui }.max { $0.1.startedAt < $1.1.startedAt }
            ?? candidates.filter { $0.1.kind == .up }.max { $0.1.startedAt < $1.1.startedAt }
        guard let (reply, instance) = chosen else {
            Output.error("kube9 forward --attach: no running kube9 UI or kube9 up to attach to (start one, or leave out --attach)")
            throw ExitCode(Exit.failed)
        }
        let among = candidates.count > 1 ? " (the most recent of \(candidates.count))" : ""
        Output.line("Attaching to kube9 \(instance.kind.rawValue), pid \(instance.pid)\(among)")
        return reply
    }

    /// Starts `requests` in the chosen kube9, all or none.
    static func attach(_ requests: [ForwardRequest], to target: ControlClient.Reply) throws {
        var started: [Int] = []
        for request in requests {
            let start = ControlRequest.start(request)
            let response: ControlResponse
            do {
                response = try ControlClient.request(start, socket: target.socketPath, timeout: .seconds(30))
            } catch {
                response = .failure(error.message)
            }
            guard response.ok, let forward = response.forwards?.first else {
                if !started.isEmpty {
                    _ = try? ControlClient.request(ControlRequest(op: .stop, ports: started), socket: target.socketPath, timeout: .seconds(10))
                }
                Output.error(response.error ?? "kube9 forward --attach: no answer")
                throw ExitCode(Exit.failed)
            }
            started.append(forward.localPort)
            Output.line(Messages.established(forward.label) + " (in kube9 \(response.instance?.kind.rawValue ?? "?"), pid \(target.pid))")
        }
    }
}

import ArgumentParser
import Foundation
import Kube9Kit
import Logging
import Synchronization

/// `kube9 up`: every saved forward (`$XDG_CONFIG_HOME/kube9/forwards.json`) started headless through one manager,
/// held until SIGINT/SIGTERM/SIGHUP.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Start every saved forward and hold them until SIGINT/SIGTERM.",
        discussion: """
            Reads the saved forwards ($XDG_CONFIG_HOME/kube9/forwards.json, else ~/.config/kube9/forwards.json), \
            optionally only those of --context / -n, starts them all in parallel and prints one line per forward \
            (`Forwarding localhost:L → ns/pod:R`, or the error on stderr), then `kube9 up: N forward(s) active`. \
            Forwards heal (reconnect, follow a replacement pod) unless --no-heal. A signal stops every kubectl.

            EXIT CODES
              0   stopped by SIGINT/SIGTERM/SIGHUP or by `kube9 stop`, every saved forward had started
              1   the kubeconfig cannot be read, no saved forwards (after filtering), none could start,
                  or all ended, one at least on its own
              2   stopped by a signal or `kube9 stop`, but some saved forwards had failed to start
              64  usage error
            """)

    enum Exit {
        static let failed: Int32 = 1
        static let partial: Int32 = 2
    }

    @Option(help: "Path of the kubeconfig file (default: KUBECONFIG, then ~/.kube/config).")
    var kubeconfig: String?

    @Option(help: "Only the saved forwards of this kubeconfig context.")
    var context: String?

    @Option(name: [.customShort("n"), .long], help: "Only the saved forwards of this namespace.")
    var namespace: String?

    @Option(help: "The kubectl binary to run.")
    var kubectl: String = "kubectl"

    @Flag(help: "Do not restart forwards whose kubectl ends, nor follow replacement pods.")
    var noHeal = false

    @Flag(help: "Log what kube9 does to stderr.")
    var verbose = false

    func run() async throws {
        PortForwardManager.prepareForForwards()
        let configuration = KubectlConfiguration(kubectlPath: kubectl, kubeconfig: kubeconfig)
        // A kubeconfig that is missing or unreadable: its path and why, before any kubectl runs.
        do {
            _ = try KubectlClient(configuration: configuration).kubeconfig()
        } catch {
            Output.error(error.message)
            throw ExitCode(Exit.failed)
        }
        let store = SavedForwardStore(environment: ProcessInfo.processInfo.environment)
        let loaded = store.load()
        if let notice = loaded.notice { Output.error(notice.text) }
        let saved = loaded.forwards.filter { forward in
            (context == nil || forward.context == context) && (namespace == nil || forward.namespace == namespace)
        }
        guard !saved.isEmpty else {
            var scope = ""
            if let context { scope += " for context \(context)" }
            if let namespace { scope += " in namespace \(namespace)" }
            Output.error("kube9 up: no saved forwards\(scope) in \(store.fileURL.path)")
            throw ExitCode(Exit.failed)
        }

        let logger = SignalStop.logger(verbose: verbose)
        let manager = PortForwardManager(configuration: configuration, logger: logger)

        // From here on SIGINT/SIGTERM/SIGHUP stop the forwards (even while they connect) instead of killing kube9.
        let signals = SignalStop(stopping: manager)
        defer { signals.cancel() }
        // `kube9 status/ls/stop` and `kube9 forward --attach` reach this process through its control socket.
        // What `kube9 stop` stopped is not "ended on its own".
        let stoppedByControl = StoppedForwardIDs()
        let actions = ControlActions.manager(manager, acceptsStart: true).recordingStops(in: stoppedByControl)
        let control = await ControlServer.serve(kind: .up, actions: actions, logger: logger)
        defer { control?.stop() }

        let events = manager.events()
        // --no-heal turns healing off for all; otherwise each saved forward heals as it was saved (`H`).
        let heals: Bool? = noHeal ? false : nil
        let results = await manager.startEach(saved.map { $0.request(heals: heals) })
        var started: Set<String> = []
        for (forward, result) in zip(saved, results) {
            switch result {
            case .success(let record):
                started.insert(record.id)
                Output.line("Forwarding \(record.label)")
            case .failure(let error):
                Output.error("\(forward.label): \(error.message)")
            }
        }
        let allStarted = started.count == saved.count
        if let summary = Self.failureSummary(failed: saved.count - started.count, of: saved.count) { Output.error(summary) }
        if signals.signalled {
            await signals.stopper.value
            throw ExitCode(allStarted ? 0 : Exit.partial)
        }
        guard !started.isEmpty else {
            await manager.stopAllForwards()
            Output.error("kube9 up: 0 forward(s) active")
            throw ExitCode(Exit.failed)
        }
        Output.line("kube9 up: \(started.count) forward(s) active")

        // Hold: report what happens to the forwards until a signal, or until every one has ended (on its own or
        // stopped by `kube9 stop`).
        var endedOnTheirOwn = 0
        var records = Dictionary(uniqueKeysWithValues: await manager.forwards().map { ($0.id, $0) })
        for await event in events {
            switch event {
            case .updated(let record):
                // A saved forward that moved to a replacement pod is saved as its new pod (read afresh: a UI may
                // have changed the file since; only on a move, not on every activity update).
                if let before = records[record.id], before.target != record.target,
                    let moved = store.load().forwards.followingMove(of: before, to: record)
                {
                    do { try store.save(moved) } catch { Output.error(error.message) }
                }
                records[record.id] = record
            case .notice(let notice):
                if notice.severity == .error || notice.severity == .warning { Output.error(notice.text) } else { Output.line(notice.text) }
            case .added(let record):
                started.insert(record.id)  // handed over by `kube9 forward --attach`
                records[record.id] = record
            case .removed(let record):
                started.remove(record.id)
                records.removeValue(forKey: record.id)
                if stoppedByControl.contains(record.id) {
                    Output.line(Messages.stopped(record.label))
                } else {
                    endedOnTheirOwn += 1
                }
            }
            if started.isEmpty { break }
        }
        await manager.stopAllForwards()
        if signals.signalled {
            await signals.stopper.value
            throw ExitCode(allStarted ? 0 : Exit.partial)
        }
        await control?.stopAfterAnswering()  // the answer to a `kube9 stop` that ended the last one
        if endedOnTheirOwn == 0 {
            Output.line("kube9 up: every forward was stopped by kube9 stop")
            throw ExitCode(allStarted ? 0 : Exit.partial)
        }
        Output.error("kube9 up: every forward has ended")
        throw ExitCode(Exit.failed)
    }

    /// `kube9 up: 3 of 5 saved forward(s) failed to start` (each with its reason on a line above); nil when none did.
    static func failureSummary(failed: Int, of total: Int) -> String? {
        failed == 0 ? nil : "kube9 up: " + Messages.savedForwardsFailedToStart(failed, of: total)
    }
}

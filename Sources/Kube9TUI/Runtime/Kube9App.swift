import Foundation
import Kube9Kit
import Logging

/// The full-screen kube9: `kube9` with no subcommand.
public enum Kube9App {
    /// Runs the UI over the real kubectl and manager until the person quits or a signal ends it. Every forward
    /// is stopped and the terminal restored before it returns. Returns the exit status: 0 after quitting,
    /// 128 + signal after SIGINT (130), SIGTERM (143) or SIGHUP (129), 1 when the terminal cannot be used.
    public static func run(configuration: KubectlConfiguration, options: AppOptions) async -> Int32 {
        var options = options
        if options.kubeconfigLabel == nil { options.kubeconfigLabel = kubeconfigLabel(configuration) }
        // The demo's saved forwards are the demo's: in the real file they would name its contexts (kind-dev) to
        // `kube9 up` and to a real cluster of that name.
        let environment = ProcessInfo.processInfo.environment
        let store = SavedForwardStore(
            fileURL: options.isDemo ? SavedForwardStore.demoFileURL(environment: environment) : SavedForwardStore.defaultFileURL(environment: environment))
        let backend = LiveKubeBackend(
            configuration: configuration, logger: options.logger, savedStore: store, healsByDefault: !options.noHeal)
        return await run(backend: backend, options: options)
    }

    /// The same over any backend. `hasTerminal` (default: standard input and output are terminals) is whether the UI
    /// can open at all.
    public static func run(
        backend: any KubeBackend, options: AppOptions, hasTerminal: Bool = isatty(0) == 1 && isatty(1) == 1
    ) async -> Int32 {
        guard hasTerminal else {
            FileHandle.standardError.write(Data((UIText.notATerminal + "\n").utf8))
            return 1
        }
        let inbox: EventInbox
        do {
            inbox = try EventInbox()
        } catch {
            FileHandle.standardError.write(Data("kube9: cannot create a pipe (errno \(error.errno))\n".utf8))
            return 1
        }
        let logger = options.logger
        SignalTrap.install(pipeFD: inbox.writeFD)
        let runner = EffectRunner(backend: backend, inbox: inbox, logger: logger)
        let events = Task {
            for await event in backend.events() { inbox.post(.forwardEvent(event)) }
        }
        let prompts = Task {
            for await prompt in backend.listLoginPrompts() { inbox.post(.listLoginPrompt(context: prompt.context, line: prompt.line)) }
        }
        // `kube9 status/ls/stop` and `kube9 forward --attach` reach the UI through its control socket (bound
        // beside the first frame, not before it).
        let control = Task { try? await ControlServer.start(kind: .ui, actions: UIControlActions.make(backend: backend, inbox: inbox), logger: logger) }
        let label = options.kubeconfigLabel ?? "~/.kube/config"
        let outcome: UIOutcome = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: UIRunLoop.runOnCurrentThread(
                    inbox: inbox, runner: runner, options: options, kubeconfigLabel: label))
            }
            thread.name = "kube9-ui"
            thread.start()
        }
        events.cancel()
        prompts.cancel()
        await runner.stopFollowingPods()
        await control.value?.stop()
        logger.info("ui ended", metadata: ["outcome": "\(outcome)"])
        await backend.stopAllForwards()
        SignalTrap.uninstall()
        // The handlers write into the inbox's pipe: it must outlive them.
        withExtendedLifetime(inbox) {}
        switch outcome {
        case .quit:
            return 0
        case .signal(let signal):
            return SignalTrap.exitStatus(for: signal)
        case .failedToOpen(let message):
            FileHandle.standardError.write(Data((message + "\n").utf8))
            return 1
        }
    }

    /// `--kubeconfig`, else KUBECONFIG, else ~/.kube/config, as the title shows it.
    public static func kubeconfigLabel(_ configuration: KubectlConfiguration) -> String {
        if let path = configuration.kubeconfig { return path }
        if let env = ProcessInfo.processInfo.environment["KUBECONFIG"], !env.isEmpty { return env }
        return "~/.kube/config"
    }
}

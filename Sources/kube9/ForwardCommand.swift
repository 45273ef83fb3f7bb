import ArgumentParser
import Dispatch
import Foundation
import Kube9Kit
import Logging
import Synchronization

/// `kube9 forward`: one port forward through the manager, in the foreground, without the UI.
struct ForwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Forward one local port to a pod through kubectl, in the foreground, until SIGINT/SIGTERM.",
        discussion: """
            Prints the same messages as the UI: success on stdout, errors on stderr. Ctrl-C (SIGINT) or SIGTERM \
            stops kubectl and exits 0. kubectl always dies with kube9, even when kube9 is killed.

            EXIT CODES
              0   stopped by SIGINT/SIGTERM/SIGHUP
              1   the forward failed or ended on its own
              3   local port in use or privileged
                  (--auto-port takes the suggested port)
              64  usage error (bad arguments or port)
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

    @Flag(help: "When the local port is taken, use the suggested free port instead of failing.")
    var autoPort = false

    @Flag(help: "Do not restart the forward when kubectl ends, nor follow a replacement pod.")
    var noHeal = false

    @Flag(help: "Log what kube9 does to stderr.")
    var verbose = false

    @Argument(help: "The pod: pod/NAME (or NAME).")
    var pod: String

    @Argument(help: "[LOCAL:]REMOTE — LOCAL defaults to REMOTE.")
    var ports: String

    var podName: String {
        for prefix in ["pod/", "pods/", "po/"] where pod.hasPrefix(prefix) { return String(pod.dropFirst(prefix.count)) }
        return pod
    }

    func validate() throws {
        if podName.isEmpty || podName.contains("/") {
            throw ValidationError("Expected pod/NAME, got '\(pod)'.")
        }
        do { _ = try PortSpec.parseMapping(ports) } catch {
            throw ValidationError("Bad port mapping '\(ports)': \(error.message)")
        }
    }

    func run() async throws {
        let logger =
            verbose
            ? Logger(label: "kube9") { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = .debug
                return handler
            } : Logger(label: "kube9") { _ in SwiftLogNoOpLogHandler() }
        let configuration = KubectlConfiguration(kubectlPath: kubectl, kubeconfig: kubeconfig)
        let client = KubectlClient(configuration: configuration, logger: logger)
        let manager = PortForwardManager(configuration: configuration, logger: logger)

        // From here on SIGINT/SIGTERM/SIGHUP stop the forward (even while it connects) instead of killing kube9.
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM, SIGHUP])
        defer { signals.cancel() }
        let signalled = Atomic<Bool>(false)
        let signalStream = signals.stream
        let stopper = Task {
            for await _ in signalStream {
                signalled.store(true, ordering: .sequentiallyConsistent)
                await manager.stopAllForwards()
                return
            }
        }
        defer { stopper.cancel() }

        let (contextName, namespaceName) = try await resolveTarget(client)
        let mapping = try PortSpec.parseMapping(ports)
        var localPort = mapping.local ?? mapping.remote

        switch await manager.checkLocalPortReserving(localPort) {
        case .available: break
        case .inUse(let suggestion):
            localPort = try takeSuggestion(Messages.portInUse(port: localPort, suggestion: suggestion), suggestion)
        case .privileged(let suggestion):
            localPort = try takeSuggestion(Messages.portPrivileged(port: localPort, suggestion: suggestion), suggestion)
        case .invalid(let message):
            Output.error(message)
            throw ExitCode(64)
        }

        let events = manager.events()
        let record: ForwardRecord
        do {
            record = try await manager.startForward(
                ForwardRequest(
                    context: contextName, namespace: namespaceName, podName: podName, localPort: localPort,
                    remotePort: mapping.remote, heals: !noHeal))
        } catch {
            if signalled.load(ordering: .sequentiallyConsistent) {
                await stopper.value
                return
            }
            Output.error(error.message)
            throw ExitCode(error.kind == .portInUse ? Exit.portInUse : Exit.failed)
        }
        Output.line(
            Messages.established(
                localPort: record.localPort, namespace: record.namespace, pod: record.podName,
                remotePort: record.remotePort))
        if signalled.load(ordering: .sequentiallyConsistent) {
            await manager.stopAllForwards()
            return
        }

        // Stay until the forward is removed: by a signal (exit 0) or on its own (its notice, exit 1).
        var notice: Notice?
        for await event in events {
            if case .notice(let text) = event { notice = text }
            if case .removed(let removed) = event, removed.id == record.id { break }
        }
        await manager.stopAllForwards()
        if signalled.load(ordering: .sequentiallyConsistent) {
            await stopper.value
            return
        }
        let ended =
            notice
            ?? Notice(
                .error,
                Messages.stoppedUnexpectedly(
                    localPort: record.localPort, namespace: record.namespace, pod: record.podName,
                    remotePort: record.remotePort))
        if ended.severity == .error { Output.error(ended.text) } else { Output.line(ended.text) }
        throw ExitCode(Exit.failed)
    }

    private func takeSuggestion(_ message: String, _ suggestion: Int?) throws -> Int {
        guard autoPort, let suggestion else {
            Output.error(message)
            throw ExitCode(Exit.portInUse)
        }
        Output.error("\(message) Using \(suggestion).")
        return suggestion
    }

    /// --context or the current context; -n or the context's namespace or `default`.
    private func resolveTarget(_ client: KubectlClient) async throws -> (String, String) {
        let contexts: [KubeContext]
        do {
            contexts = try await client.contexts()
        } catch {
            Output.error(error.message)
            throw ExitCode(Exit.failed)
        }
        guard let contextName = context ?? contexts.first(where: \.isCurrent)?.name else {
            Output.error("error: no current context in the kubeconfig; pass --context")
            throw ExitCode(Exit.failed)
        }
        let namespaceName = namespace ?? contexts.first { $0.name == contextName }?.defaultNamespace ?? "default"
        return (contextName, namespaceName)
    }
}

extension ForwardCommand {
    /// stdout / stderr lines, written at once (the command's output is often a pipe).
    enum Output {
        static func line(_ text: String) {
            FileHandle.standardOutput.write(Data((text + "\n").utf8))
        }

        static func error(_ text: String) {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    /// SIGINT/SIGTERM/SIGHUP as an async stream (DispatchSource; the default actions are ignored while watched,
    /// so the command stops kubectl before it exits).
    final class SignalWatcher {
        let stream: AsyncStream<Int32>
        private let sources: [any DispatchSourceSignal]

        init(signals: [Int32]) {
            let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
            self.stream = stream
            sources = signals.map { number in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { continuation.yield(number) }
                source.resume()
                return source
            }
        }

        func cancel() {
            for source in sources { source.cancel() }
        }
    }
}

import Foundation
import Logging
import NIOCore
import NIOPosix

/// kube9-sim in-process: one loopback API server per scenario context, a kubeconfig naming them, and the fault
/// injection that tests of kube9 need.
public final class KubeSimServer: Sendable {
    private struct ContextEntry: Sendable {
        let name: String
        let server: ContextServer?
        /// The port the kubeconfig names (a closed one for unreachable contexts).
        let port: Int
    }

    public let kubeconfigPath: String
    /// The PEM of the CA that signed the API servers' certificate (nil when no context serves HTTPS).
    public let certificateAuthorityPEM: String?
    private let group: MultiThreadedEventLoopGroup
    private let entries: [ContextEntry]
    private let logger: Logger

    private init(
        kubeconfigPath: String, certificateAuthorityPEM: String?, group: MultiThreadedEventLoopGroup, entries: [ContextEntry],
        logger: Logger
    ) {
        self.kubeconfigPath = kubeconfigPath
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.group = group
        self.entries = entries
        self.logger = logger
    }

    /// Starts every reachable context on an ephemeral 127.0.0.1 port, then writes the kubeconfig atomically.
    public static func start(scenario: Scenario, kubeconfigPath: String, logger: Logger? = nil) async throws -> KubeSimServer {
        try ScenarioValidator(file: nil).validate(scenario)
        let logger = logger ?? Logger(label: "kube9-sim", factory: { _ in SwiftLogNoOpLogHandler() })
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(2, min(4, System.coreCount)))
        var entries: [ContextEntry] = []
        let authority: SimCertificateAuthority?
        do {
            authority = try scenario.contexts.contains(where: scenario.servesTLS) ? SimCertificateAuthority.make() : nil
            for context in scenario.contexts {
                if context.unreachable {
                    let port = try await closedPort(group: group)
                    entries.append(ContextEntry(name: context.name, server: nil, port: port))
                    logger.info("context is unreachable", metadata: ["context": "\(context.name)", "port": "\(port)"])
                    continue
                }
                var contextLogger = logger
                contextLogger[metadataKey: "context"] = "\(context.name)"
                let cluster = SimCluster(context: context, group: group, logger: contextLogger)
                let tls = scenario.servesTLS(context) ? authority?.serverContext : nil
                let server = ContextServer(cluster: cluster, tls: tls, group: group)
                try await server.listen()
                entries.append(ContextEntry(name: context.name, server: server, port: server.port))
                logger.info(
                    "context listening",
                    metadata: ["context": "\(context.name)", "port": "\(server.port)", "scheme": "\(tls == nil ? "http" : "https")"])
            }
            let kubeconfig = zip(scenario.contexts, entries).map { context, entry in
                KubeconfigWriter.Entry(
                    context: context.name, port: entry.port, namespace: context.namespace,
                    certificateAuthorityPEM: scenario.servesTLS(context) ? authority?.caPEM : nil,
                    user: kubeconfigUser(context, tls: scenario.servesTLS(context)))
            }
            try KubeconfigWriter.write(kubeconfig, to: kubeconfigPath)
        } catch {
            for entry in entries {
                entry.server?.cluster.shutdown()
                await entry.server?.stop()
            }
            try? await group.shutdownGracefully()
            throw error
        }
        logger.info("kubeconfig written", metadata: ["path": "\(kubeconfigPath)"])
        return KubeSimServer(
            kubeconfigPath: kubeconfigPath, certificateAuthorityPEM: authority?.caPEM, group: group, entries: entries, logger: logger)
    }

    /// The scenario's user; else the first accepted token; else, over TLS, a token the API ignores (kubectl
    /// asks for a user name at a terminal, and fails without one, when an https cluster's user has no
    /// credentials; no cluster is set up so). Plain http without auth: no credentials.
    public static let anonymousToken = "kube9-sim-anonymous"

    private static func kubeconfigUser(_ context: ScenarioContext, tls: Bool) -> ScenarioUser? {
        if let user = context.user { return user }
        if let token = context.auth?.tokens.first { return ScenarioUser(token: token) }
        return tls ? ScenarioUser(token: anonymousToken) : nil
    }

    /// The API port of a context (for an unreachable context, the closed port its kubeconfig names).
    public func apiPort(context: String) -> Int? {
        entries.first { $0.name == context }?.port
    }

    /// How many port-forward sessions `context` has opened over each protocol since it started.
    public func portForwardUpgrades(context: String) -> [PortForwardProtocol: Int] {
        cluster(context)?.sessions.upgrades ?? [:]
    }

    /// Context names in scenario order.
    public var contextNames: [String] { entries.map(\.name) }

    /// Closes everything: API listeners and connections, port-forward sessions, pod servers.
    public func shutdown() async {
        for entry in entries {
            entry.server?.cluster.shutdown()
            await entry.server?.stop()
        }
        try? await group.shutdownGracefully()
        logger.info("stopped")
    }

    // MARK: Fault injection

    /// Deletes a pod as `kubectl delete pod [--grace-period N]` does: with a grace period (`gracePeriod`, else the
    /// pod's `terminationGracePeriodSeconds`) it is Terminating first and serves on; then DELETED, its port-forward
    /// sessions end; a replacement when `replaceOnDelete`.
    public func deletePod(context: String, namespace: String, name: String, gracePeriod: Int? = nil) async {
        cluster(context)?.deletePod(namespace: namespace, name: name, gracePeriod: gracePeriod)
    }

    /// `kubectl rollout restart deployment/NAME`: each pod of the Deployment's ReplicaSet (`NAME-HASH-xxxxx`,
    /// replaced on delete) is replaced by a pod of a new ReplicaSet, which is started first; the old pod is deleted
    /// (with its grace period) once the new one is Ready. Returns the new pods' names.
    @discardableResult
    public func rolloutRestart(context: String, namespace: String, deployment: String) async -> [String] {
        cluster(context)?.rolloutRestart(namespace: namespace, deployment: deployment) ?? []
    }

    /// Delay before every API answer of the context.
    public func setLatency(context: String, milliseconds: Int) async {
        cluster(context)?.latencyMs = max(0, milliseconds)
    }

    /// false: closes the listener and every connection (API down); true: listens again on the same port.
    public func setAPIAvailable(context: String, _ available: Bool) async {
        guard let server = entries.first(where: { $0.name == context })?.server else { return }
        if available {
            guard !server.isListening else { return }
            do {
                try await server.listen()
            } catch {
                logger.error("cannot listen again", metadata: ["context": "\(context)", "error": "\(error)"])
            }
        } else {
            await server.stop()
        }
    }

    /// From now on `token` answers 401 on `context`, as an expired token does.
    public func expireToken(context: String, token: String) {
        cluster(context)?.access.expire(token: token)
    }

    /// How many pod watch streams of `context` see `namespace` (for tests that must act after a watch is open).
    public func podWatchCount(context: String, namespace: String) -> Int {
        cluster(context)?.watches.podWatchCount(namespace: namespace) ?? 0
    }

    /// Closes open watch streams (of one namespace, or all when nil).
    public func dropWatches(context: String, namespace: String?) async {
        cluster(context)?.dropWatches(namespace: namespace)
    }

    /// Adds a pod (and its namespace if new), emitting ADDED; false when a pod of that name is there (being deleted
    /// or not), as the API server answers AlreadyExists.
    @discardableResult
    public func addPod(context: String, namespace: String, pod: ScenarioPod) async -> Bool {
        cluster(context)?.addPod(namespace: namespace, pod: pod) ?? false
    }

    /// How many requests of `context` RBAC has refused (403) since it started.
    public func refusedRequests(context: String) -> Int {
        cluster(context)?.access.refusedCount ?? 0
    }

    /// The names of a namespace's pods (those being deleted too), sorted.
    public func podNames(context: String, namespace: String) -> [String] {
        cluster(context)?.store.pods(in: namespace).map(\.name) ?? []
    }

    /// Changes a pod's phase, emitting MODIFIED.
    public func setPodPhase(context: String, namespace: String, name: String, phase: String) async {
        cluster(context)?.setPodPhase(namespace: namespace, name: name, phase: phase)
    }

    private func cluster(_ context: String) -> SimCluster? {
        entries.first { $0.name == context }?.server?.cluster
    }

    /// A loopback port nothing listens on (bound, then released).
    private static func closedPort(group: MultiThreadedEventLoopGroup) async throws -> Int {
        let channel = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 1
        try await channel.close()
        return port
    }
}

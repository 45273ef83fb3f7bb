import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// One simulated cluster (one scenario context): its objects (`store`), its watch streams (`store.watches`),
/// its port-forward sessions and pod servers (`sessions`), and the settings that shape its API.
final class SimCluster: @unchecked Sendable {
    let contextName: String
    let kubectlMinor: Int
    let group: any EventLoopGroup
    let logger: Logger
    let store: ClusterStore
    let sessions = SessionRegistry()
    let access: AccessControl
    /// The port-forward upgrades this cluster's API accepts.
    let portForwardProtocols: Set<PortForwardProtocol>

    private let lock = NIOLock()
    private var latency = 0

    init(context: ScenarioContext, group: any EventLoopGroup, logger: Logger) {
        self.contextName = context.name
        self.kubectlMinor = context.kubectlMinor ?? 32
        self.group = group
        self.logger = logger
        self.latency = context.latencyMs
        self.store = ClusterStore(context: context)
        self.access = AccessControl(context: context)
        self.portForwardProtocols = Set(context.portForwardProtocols)
    }

    var watches: WatchHub { store.watches }

    // MARK: Settings

    var latencyMs: Int {
        get { lock.withLock { latency } }
        set { lock.withLock { latency = newValue } }
    }

    // MARK: Changing pods

    /// Removes a pod as `kubectl delete` does: DELETED event, its port-forward sessions and servers closed,
    /// and a replacement scheduled when it is replaced on delete. Returns the deleted pod.
    @discardableResult
    func deletePod(namespace: String, name: String) -> PodRecord? {
        guard let removed = store.deletePod(namespace: namespace, name: name) else { return nil }
        logger.info("pod deleted", metadata: ["context": "\(contextName)", "pod": "\(namespace)/\(name)"])
        sessions.release(podUID: removed.uid).close()
        if removed.replaceOnDelete { scheduleReplacement(of: removed) }
        return removed
    }

    func addPod(namespace: String, pod: ScenarioPod) {
        store.addPod(namespace: namespace, pod: pod)
    }

    func setPodPhase(namespace: String, name: String, phase: String) {
        if case .changed(let stopped?) = store.setPodPhase(namespace: namespace, name: name, phase: phase) {
            sessions.release(podUID: stopped.uid).close()
        }
    }

    private func scheduleReplacement(of pod: PodRecord) {
        let prefix = pod.generateName ?? (pod.name + "-")
        let replacement = ScenarioPod(
            name: prefix + SimIDs.nameSuffix(), phase: "Pending", labels: pod.labels, replaceOnDelete: true,
            containers: pod.containers, initContainers: pod.initContainers)
        let loop = group.next()
        loop.scheduleTask(in: .milliseconds(300)) { [self] in
            guard !sessions.isClosed else { return }
            addPod(namespace: pod.namespace, pod: replacement)
            loop.scheduleTask(in: .milliseconds(500)) { [self] in
                guard !sessions.isClosed else { return }
                setPodPhase(namespace: pod.namespace, name: replacement.name, phase: "Running")
            }
        }
    }

    // MARK: Port-forward sessions and pod servers

    /// Registers a session with a pod that is still in the cluster; false when it is gone or the sim stopped.
    func registerSession(pod: PodRecord, channel: any Channel, over transport: PortForwardProtocol) -> Bool {
        guard sessions.register(podUID: pod.uid, channel: channel, over: transport) else { return false }
        // Checked after registering: a delete in between either sees the session or is seen here.
        guard store.holds(pod) else {
            sessions.unregister(podUID: pod.uid, channel: channel)
            return false
        }
        return true
    }

    func unregisterSession(pod: PodRecord, channel: any Channel) {
        sessions.unregister(podUID: pod.uid, channel: channel)
    }

    /// The loopback port of the server playing `pod`'s container port, started on first use.
    func podServerPort(pod: PodRecord, containerPort: Int, on loop: any EventLoop) -> EventLoopFuture<Int> {
        guard store.holds(pod) else { return loop.makeFailedFuture(PodServer.Failure.podGone) }
        let banner = "kube9-sim \(contextName)/\(pod.namespace)/\(pod.name):\(containerPort)\n"
        let group = self.group
        guard let server = sessions.podServer(podUID: pod.uid, port: containerPort, start: { PodServer.start(group: group, body: banner) })
        else { return loop.makeFailedFuture(PodServer.Failure.podGone) }
        return server.map(\.port).hop(to: loop)
    }

    // MARK: Watches

    /// Closes open watch streams (all, or one namespace's, including all-namespace watches), as a dropped
    /// connection would.
    func dropWatches(namespace: String?) {
        for channel in watches.removeWatches(namespace: namespace) { channel.close(promise: nil) }
    }

    // MARK: Shutdown

    func shutdown() {
        sessions.shutDown().close()
        dropWatches(namespace: nil)
    }
}

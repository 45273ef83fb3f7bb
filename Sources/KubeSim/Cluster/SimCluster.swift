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

    /// Deletes a pod as the API server does for `kubectl delete`. With a grace period (`gracePeriod`, else the pod's
    /// `terminationGracePeriodSeconds`) the pod stays listed, Terminating (MODIFIED with its `deletionTimestamp`),
    /// and its port-forward sessions and servers go on until the period ends; then, or at once without one, it is
    /// gone (DELETED) and they are closed. A pod replaced on delete gets its replacement when the delete begins, as
    /// a ReplicaSet counts a terminating pod out at once (`replace: false`: a rollout scaling the old set down).
    /// A pod being deleted already is removed at once by a delete with grace period 0, else left to its period. A
    /// pod no kubelet runs (Pending and unscheduled, Succeeded, Failed) is gone at once.
    /// Returns the pod as the delete left it.
    @discardableResult
    func deletePod(namespace: String, name: String, gracePeriod: Int? = nil, replace: Bool = true) -> PodRecord? {
        guard let pod = store.pod(namespace: namespace, name: name) else { return nil }
        // A pod no kubelet runs (not scheduled yet, or finished) has nothing to stop: gone at once.
        let runs = pod.phase == "Running" || pod.phase == "Unknown" || pod.phase == "Pending" && pod.podIP != nil
        let grace = runs ? max(0, gracePeriod ?? pod.terminationGracePeriodSeconds) : 0
        let terminating = pod.deletionTimestamp != nil
        if grace > 0 || terminating && gracePeriod != 0 {
            guard let (marked, began) = store.beginDeletion(namespace: namespace, name: name, grace: grace) else { return nil }
            guard began else { return marked }
            logger.info("pod terminating", metadata: ["context": "\(contextName)", "pod": "\(namespace)/\(name)", "grace": "\(grace)s"])
            if replace, marked.replaceOnDelete { scheduleReplacement(of: marked) }
            group.next().scheduleTask(in: .seconds(Int64(grace))) { [self] in
                guard !sessions.isClosed else { return }
                remove(namespace: namespace, name: name, uid: marked.uid)
            }
            return marked
        }
        guard let removed = remove(namespace: namespace, name: name, uid: pod.uid) else { return nil }
        if replace, removed.replaceOnDelete, !terminating { scheduleReplacement(of: removed) }
        return removed
    }

    /// The pod is gone: DELETED, its sessions and servers closed.
    @discardableResult
    private func remove(namespace: String, name: String, uid: String) -> PodRecord? {
        guard let removed = store.deletePod(namespace: namespace, name: name, uid: uid) else { return nil }
        logger.info("pod deleted", metadata: ["context": "\(contextName)", "pod": "\(namespace)/\(name)"])
        sessions.release(podUID: removed.uid).close()
        return removed
    }

    @discardableResult
    func addPod(namespace: String, pod: ScenarioPod) -> Bool {
        store.addPod(namespace: namespace, pod: pod)
    }

    func setPodPhase(namespace: String, name: String, phase: String, containersReady: Bool = true) {
        if case .changed(let stopped?) = store.setPodPhase(
            namespace: namespace, name: name, phase: phase, containersReady: containersReady)
        {
            sessions.release(podUID: stopped.uid).close()
        }
    }

    /// `kubectl rollout restart deployment/NAME` as the Deployment controller plays it: for each pod of the
    /// Deployment's current ReplicaSet (`NAME-HASH`, replaced on delete), a pod of a new ReplicaSet (another hash in
    /// its name, its `pod-template-hash` label and its owner) is started; once it is Ready, the old one is deleted
    /// with its grace period, without replacement. Returns the new pods' names (none when no pod is the
    /// Deployment's).
    func rolloutRestart(namespace: String, deployment: String) -> [String] {
        let current = store.pods(in: namespace).filter { pod in
            guard pod.replaceOnDelete, pod.deletionTimestamp == nil, let owner = pod.owner?.name else { return false }
            return owner.hasPrefix(deployment + "-") && !owner.dropFirst(deployment.count + 1).contains("-")
        }
        let hash = SimIDs.templateHash()
        var started: [String] = []
        for old in current {
            var labels = old.labels
            labels["pod-template-hash"] = hash
            let pod = ScenarioPod(
                name: "\(deployment)-\(hash)-\(SimIDs.nameSuffix())", phase: "Pending", labels: labels, replaceOnDelete: true,
                containers: old.containers, initContainers: old.initContainers,
                terminationGracePeriodSeconds: old.terminationGracePeriodSeconds)
            started.append(pod.name)
            start(pod, namespace: namespace) { [self] in
                deletePod(namespace: namespace, name: old.name, replace: false)
            }
        }
        return started
    }

    private func scheduleReplacement(of pod: PodRecord) {
        let prefix = pod.generateName ?? (pod.name + "-")
        let replacement = ScenarioPod(
            name: prefix + SimIDs.nameSuffix(), phase: "Pending", labels: pod.labels, replaceOnDelete: true,
            containers: pod.containers, initContainers: pod.initContainers,
            terminationGracePeriodSeconds: pod.terminationGracePeriodSeconds)
        start(replacement, namespace: pod.namespace)
    }

    /// A new pod as the scheduler and the kubelet bring it up: ADDED Pending after 300 ms, Running 500 ms later
    /// with its containers not ready yet (its server starting), Ready 300 ms after that; then `ready`.
    private func start(_ pod: ScenarioPod, namespace: String, ready: (@Sendable () -> Void)? = nil) {
        let loop = group.next()
        loop.scheduleTask(in: .milliseconds(300)) { [self] in
            guard !sessions.isClosed else { return }
            addPod(namespace: namespace, pod: pod)
            loop.scheduleTask(in: .milliseconds(500)) { [self] in
                guard !sessions.isClosed else { return }
                setPodPhase(namespace: namespace, name: pod.name, phase: "Running", containersReady: false)
                loop.scheduleTask(in: .milliseconds(300)) { [self] in
                    guard !sessions.isClosed else { return }
                    setPodPhase(namespace: namespace, name: pod.name, phase: "Running")
                    ready?()
                }
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

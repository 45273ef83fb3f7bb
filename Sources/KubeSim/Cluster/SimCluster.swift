import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// The state of one simulated cluster (one scenario context): namespaces, pods, resource versions, watch
/// streams, port-forward sessions and the loopback servers that play the containers.
///
/// Called from NIO handlers on any event loop and from the public async API; one lock guards everything.
/// Watch events are written while the lock is held so every stream sees them in resourceVersion order.
final class SimCluster: @unchecked Sendable {
    struct NamespaceRecord {
        var name: String
        var uid: String
        var creationTimestamp: Date
        var resourceVersion: Int
        var forbidPortForward: Bool
        var pods: [String: PodRecord] = [:]
        var services: [String: ServiceRecord] = [:]
        var json: [UInt8] = []
        var metadataJSON = ""
    }

    struct WatchEvent {
        var resourceVersion: Int
        var type: String
        var pod: PodRecord
    }

    final class WatchSubscription: Sendable {
        let channel: any Channel
        let namespace: String?
        let filter: PodFilter
        let asTable: Bool
        init(channel: any Channel, namespace: String?, filter: PodFilter, asTable: Bool) {
            self.channel = channel
            self.namespace = namespace
            self.filter = filter
            self.asTable = asTable
        }
    }

    let contextName: String
    let kubectlMinor: Int
    let group: any EventLoopGroup
    let logger: Logger

    private let lock = NIOLock()
    private let encoder = KubeObjects.encoder()
    private var namespaces: [String: NamespaceRecord] = [:]
    private var resourceVersion = 1000
    private var history: [WatchEvent] = []
    /// Every event with a resourceVersion above this is still in `history`.
    private var historyFloor = 1000
    private var watches: [ObjectIdentifier: WatchSubscription] = [:]
    /// Namespace watches: the channel and whether it wants Table objects.
    private var namespaceWatches: [ObjectIdentifier: (channel: any Channel, asTable: Bool)] = [:]
    /// Namespaces added after startup, for watches that resume from a resourceVersion.
    private var addedNamespaces: [NamespaceRecord] = []
    private var sessions: [String: [ObjectIdentifier: any Channel]] = [:]
    private var podServers: [String: [Int: EventLoopFuture<PodServer>]] = [:]
    private var latency = 0
    private var nextPodIP = 10
    private var nextServiceIP = 0
    private var isShutDown = false

    private static let historyLimit = 4096

    init(context: ScenarioContext, group: any EventLoopGroup, logger: Logger) {
        self.contextName = context.name
        self.kubectlMinor = context.kubectlMinor ?? 32
        self.group = group
        self.logger = logger
        self.latency = context.latencyMs
        let clusterStart = Date().addingTimeInterval(-86_400 * 3)
        for namespace in context.namespaces {
            var record = NamespaceRecord(
                name: namespace.name, uid: SimIDs.uid(), creationTimestamp: clusterStart,
                resourceVersion: nextResourceVersion(), forbidPortForward: namespace.forbidPortForward)
            renderNamespace(&record)
            for (index, pod) in namespace.pods.enumerated() {
                let created = clusterStart.addingTimeInterval(Double(3600 + index * 97))
                record.pods[pod.name] = makePod(pod, namespace: namespace.name, created: created)
            }
            for service in namespace.services {
                nextServiceIP += 1
                var serviceRecord = ServiceRecord(
                    service: service, namespace: namespace.name, uid: SimIDs.uid(),
                    clusterIP: "10.96.\(nextServiceIP / 250).\(nextServiceIP % 250 + 2)",
                    creationTimestamp: clusterStart.addingTimeInterval(1800), resourceVersion: nextResourceVersion())
                serviceRecord.render(encoder: encoder)
                record.services[service.name] = serviceRecord
            }
            namespaces[namespace.name] = record
        }
        historyFloor = resourceVersion
    }

    // MARK: Settings

    var latencyMs: Int {
        get { lock.withLock { latency } }
        set { lock.withLock { latency = newValue } }
    }

    // MARK: Reading

    func namespaceListJSON(asTable: Bool = false, only: String? = nil) -> ByteBuffer {
        lock.withLock {
            var buffer = ByteBuffer()
            let now = Date()
            TableRenderer.writeListStart(
                kind: "NamespaceList", columns: TableRenderer.namespaceColumns, asTable: asTable, resourceVersion: resourceVersion, to: &buffer)
            for (index, name) in (only.map { [$0] } ?? namespaces.keys.sorted()).enumerated() {
                guard let record = namespaces[name] else { continue }
                if index > 0 { buffer.writeStaticString(",") }
                if asTable {
                    TableRenderer.writeNamespaceRow(
                        name: name, created: record.creationTimestamp, metadata: record.metadataJSON, now: now, to: &buffer)
                } else {
                    buffer.writeBytes(record.json)
                }
            }
            buffer.writeStaticString("]}")
            return buffer
        }
    }

    func namespaceJSON(_ name: String) -> [UInt8]? {
        lock.withLock { namespaces[name]?.json }
    }

    func forbidsPortForward(namespace: String) -> Bool {
        lock.withLock { namespaces[namespace]?.forbidPortForward ?? false }
    }

    func podListJSON(namespace: String?, filter: PodFilter, asTable: Bool = false) -> ByteBuffer {
        lock.withLock {
            var buffer = ByteBuffer()
            buffer.reserveCapacity(1024)
            let now = Date()
            TableRenderer.writeListStart(
                kind: "PodList", columns: TableRenderer.podColumns, asTable: asTable, resourceVersion: resourceVersion, to: &buffer)
            var first = true
            let names = namespace.map { [$0] } ?? namespaces.keys.sorted()
            for namespaceName in names {
                guard let record = namespaces[namespaceName] else { continue }
                for podName in record.pods.keys.sorted() {
                    let pod = record.pods[podName]!
                    guard filter.matches(pod) else { continue }
                    if !first { buffer.writeStaticString(",") }
                    first = false
                    if asTable { TableRenderer.writePodRow(pod, now: now, to: &buffer) } else { buffer.writeBytes(pod.json) }
                }
            }
            buffer.writeStaticString("]}")
            return buffer
        }
    }

    func serviceListJSON(namespace: String?, asTable: Bool) -> ByteBuffer {
        lock.withLock {
            var buffer = ByteBuffer()
            let now = Date()
            TableRenderer.writeListStart(
                kind: "ServiceList", columns: TableRenderer.serviceColumns, asTable: asTable, resourceVersion: resourceVersion, to: &buffer)
            var first = true
            for namespaceName in namespace.map({ [$0] }) ?? namespaces.keys.sorted() {
                guard let record = namespaces[namespaceName] else { continue }
                for name in record.services.keys.sorted() {
                    if !first { buffer.writeStaticString(",") }
                    first = false
                    if asTable {
                        TableRenderer.writeServiceRow(record.services[name]!, now: now, to: &buffer)
                    } else {
                        buffer.writeBytes(record.services[name]!.json)
                    }
                }
            }
            buffer.writeStaticString("]}")
            return buffer
        }
    }

    func service(namespace: String, name: String) -> ServiceRecord? {
        lock.withLock { namespaces[namespace]?.services[name] }
    }

    func pod(namespace: String, name: String) -> PodRecord? {
        lock.withLock { namespaces[namespace]?.pods[name] }
    }

    // MARK: Changing pods

    /// Removes a pod as `kubectl delete` does: DELETED event, its port-forward sessions and servers closed,
    /// and a replacement scheduled when it is replaced on delete. Returns the deleted pod.
    @discardableResult
    func deletePod(namespace: String, name: String) -> PodRecord? {
        let (removed, channels, servers): (PodRecord?, [any Channel], [EventLoopFuture<PodServer>]) = lock.withLock {
            guard var pod = namespaces[namespace]?.pods.removeValue(forKey: name) else { return (nil, [], []) }
            pod.deletionTimestamp = Date()
            pod.resourceVersion = nextResourceVersion()
            pod.render(encoder: encoder)
            publish(type: "DELETED", pod: pod)
            let channels = Array((sessions.removeValue(forKey: pod.uid) ?? [:]).values)
            let servers = Array((podServers.removeValue(forKey: pod.uid) ?? [:]).values)
            return (pod, channels, servers)
        }
        guard let removed else { return nil }
        logger.info("pod deleted", metadata: ["context": "\(contextName)", "pod": "\(namespace)/\(name)"])
        for channel in channels { channel.close(promise: nil) }
        for server in servers { server.whenSuccess { $0.close() } }
        if removed.replaceOnDelete { scheduleReplacement(of: removed) }
        return removed
    }

    func addPod(namespace: String, pod scenarioPod: ScenarioPod) {
        lock.withLock {
            if namespaces[namespace] == nil {
                var record = NamespaceRecord(
                    name: namespace, uid: SimIDs.uid(), creationTimestamp: Date(),
                    resourceVersion: nextResourceVersion(), forbidPortForward: false)
                renderNamespace(&record)
                namespaces[namespace] = record
                addedNamespaces.append(record)
                for watch in namespaceWatches.values {
                    let line = namespaceEventLine(type: "ADDED", record, asTable: watch.asTable)
                    watch.channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(line)), promise: nil)
                }
            }
            let pod = makePod(scenarioPod, namespace: namespace, created: Date())
            namespaces[namespace]!.pods[pod.name] = pod
            publish(type: "ADDED", pod: pod)
        }
    }

    func setPodPhase(namespace: String, name: String, phase: String) {
        let (channels, servers): ([any Channel], [EventLoopFuture<PodServer>]) = lock.withLock {
            guard var pod = namespaces[namespace]?.pods[name] else { return ([], []) }
            let wasRunning = pod.isRunning
            pod.phase = phase
            if phase != "Pending", pod.podIP == nil {
                pod.podIP = allocatePodIP()
                pod.startTime = Date()
            }
            pod.resourceVersion = nextResourceVersion()
            pod.render(encoder: encoder)
            namespaces[namespace]!.pods[name] = pod
            publish(type: "MODIFIED", pod: pod)
            guard wasRunning, !pod.isRunning else { return ([], []) }
            return (
                Array((sessions.removeValue(forKey: pod.uid) ?? [:]).values),
                Array((podServers.removeValue(forKey: pod.uid) ?? [:]).values)
            )
        }
        for channel in channels { channel.close(promise: nil) }
        for server in servers { server.whenSuccess { $0.close() } }
    }

    private func scheduleReplacement(of pod: PodRecord) {
        let prefix = pod.generateName ?? (pod.name + "-")
        let replacement = ScenarioPod(
            name: prefix + SimIDs.nameSuffix(), phase: "Pending", labels: pod.labels, replaceOnDelete: true,
            containers: pod.containers)
        let loop = group.next()
        loop.scheduleTask(in: .milliseconds(300)) { [self] in
            guard !lock.withLock({ isShutDown }) else { return }
            addPod(namespace: pod.namespace, pod: replacement)
            loop.scheduleTask(in: .milliseconds(500)) { [self] in
                guard !lock.withLock({ isShutDown }) else { return }
                setPodPhase(namespace: pod.namespace, name: replacement.name, phase: "Running")
            }
        }
    }

    // MARK: Watches

    /// Registers a watch stream on `channel` (whose response head was already written) and writes the events
    /// it must see first: every matching pod as ADDED when `sinceResourceVersion` is nil, else the missed events
    /// (or a 410 Expired error when they are no longer known).
    func startWatch(
        channel: any Channel, namespace: String?, filter: PodFilter, sinceResourceVersion: Int?, asTable: Bool
    ) -> ObjectIdentifier {
        let subscription = WatchSubscription(channel: channel, namespace: namespace, filter: filter, asTable: asTable)
        let id = ObjectIdentifier(subscription)
        lock.withLock {
            var initial: [(String, PodRecord)] = []
            if let since = sinceResourceVersion, since > 0 {
                if since < historyFloor {
                    let status = KubeStatus.expired(resourceVersion: since, current: resourceVersion)
                    var buffer = ByteBuffer()
                    buffer.writeStaticString(#"{"type":"ERROR","object":"#)
                    buffer.writeBytes(status.json)
                    buffer.writeStaticString("}\n")
                    channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(buffer)), promise: nil)
                    return
                }
                for event in history where event.resourceVersion > since {
                    initial.append((event.type, event.pod))
                }
            } else {
                let names = namespace.map { [$0] } ?? namespaces.keys.sorted()
                for name in names {
                    guard let record = namespaces[name] else { continue }
                    for podName in record.pods.keys.sorted() { initial.append(("ADDED", record.pods[podName]!)) }
                }
            }
            for (type, pod) in initial where subscriptionMatches(subscription, pod) {
                let line = Self.eventLine(type: type, pod: pod, asTable: asTable)
                channel.write(HTTPServerResponsePart.body(.byteBuffer(line)), promise: nil)
            }
            channel.flush()
            watches[id] = subscription
        }
        return id
    }

    func stopWatch(_ id: ObjectIdentifier) {
        lock.withLock {
            watches.removeValue(forKey: id)
            namespaceWatches.removeValue(forKey: id)
        }
    }

    /// Registers a namespace watch: every namespace as ADDED, or, from a resourceVersion, the namespaces added
    /// since (namespaces are only ever added).
    func startNamespaceWatch(channel: any Channel, sinceResourceVersion: Int?, asTable: Bool) -> ObjectIdentifier {
        let id = ObjectIdentifier(channel)
        lock.withLock {
            let initial: [NamespaceRecord]
            if let since = sinceResourceVersion, since > 0 {
                initial = addedNamespaces.filter { $0.resourceVersion > since }
            } else {
                initial = namespaces.keys.sorted().map { namespaces[$0]! }
            }
            for record in initial {
                channel.write(HTTPServerResponsePart.body(.byteBuffer(namespaceEventLine(type: "ADDED", record, asTable: asTable))), promise: nil)
            }
            channel.flush()
            namespaceWatches[id] = (channel, asTable)
        }
        return id
    }

    private func namespaceEventLine(type: String, _ record: NamespaceRecord, asTable: Bool) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeString(#"{"type":"\#(type)","object":"#)
        if asTable {
            TableRenderer.writeTableStart(columns: TableRenderer.namespaceColumns, resourceVersion: record.resourceVersion, to: &buffer)
            TableRenderer.writeNamespaceRow(
                name: record.name, created: record.creationTimestamp, metadata: record.metadataJSON, now: Date(), to: &buffer)
            TableRenderer.writeTableEnd(to: &buffer)
        } else {
            buffer.writeBytes(record.json)
        }
        buffer.writeStaticString("}\n")
        return buffer
    }

    /// Ends open watch streams (all, or one namespace's, including all-namespace watches) by closing their
    /// connections, as a dropped connection would.
    /// Open pod watch streams that see `namespace` (their initial events are already written).
    func podWatchCount(namespace: String) -> Int {
        lock.withLock { watches.values.count { $0.namespace == nil || $0.namespace == namespace } }
    }

    func dropWatches(namespace: String?) {
        let dropped: [any Channel] = lock.withLock {
            let matching = watches.filter { namespace == nil || $0.value.namespace == nil || $0.value.namespace == namespace }
            for key in matching.keys { watches.removeValue(forKey: key) }
            var channels = matching.values.map(\.channel)
            if namespace == nil {
                channels += namespaceWatches.values.map(\.channel)
                namespaceWatches = [:]
            }
            return channels
        }
        for channel in dropped { channel.close(promise: nil) }
    }

    private func subscriptionMatches(_ subscription: WatchSubscription, _ pod: PodRecord) -> Bool {
        if let namespace = subscription.namespace, namespace != pod.namespace { return false }
        return subscription.filter.matches(pod)
    }

    /// Records an event and writes it to every matching watch. Lock held.
    private func publish(type: String, pod: PodRecord) {
        history.append(WatchEvent(resourceVersion: pod.resourceVersion, type: type, pod: pod))
        if history.count > Self.historyLimit {
            let drop = history.count - Self.historyLimit
            historyFloor = history[drop - 1].resourceVersion
            history.removeFirst(drop)
        }
        var lines: [Bool: ByteBuffer] = [:]
        for subscription in watches.values where subscriptionMatches(subscription, pod) {
            let line = lines[subscription.asTable] ?? Self.eventLine(type: type, pod: pod, asTable: subscription.asTable)
            lines[subscription.asTable] = line
            subscription.channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(line)), promise: nil)
        }
    }

    static func eventLine(type: String, pod: PodRecord, asTable: Bool) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(pod.json.count + 32)
        buffer.writeString(#"{"type":"\#(type)","object":"#)
        if asTable {
            TableRenderer.writeTableStart(columns: TableRenderer.podColumns, resourceVersion: pod.resourceVersion, to: &buffer)
            TableRenderer.writePodRow(pod, now: Date(), to: &buffer)
            TableRenderer.writeTableEnd(to: &buffer)
        } else {
            buffer.writeBytes(pod.json)
        }
        buffer.writeStaticString("}\n")
        return buffer
    }

    // MARK: Port-forward sessions and pod servers

    func registerSession(podUID: String, channel: any Channel) -> Bool {
        lock.withLock {
            guard !isShutDown, namespaces.values.contains(where: { $0.pods.values.contains { $0.uid == podUID } }) else {
                return false
            }
            sessions[podUID, default: [:]][ObjectIdentifier(channel)] = channel
            return true
        }
    }

    func unregisterSession(podUID: String, channel: any Channel) {
        lock.withLock {
            sessions[podUID]?.removeValue(forKey: ObjectIdentifier(channel))
            if sessions[podUID]?.isEmpty == true { sessions.removeValue(forKey: podUID) }
        }
    }

    /// The loopback port of the server playing `pod`'s container port, started on first use.
    func podServerPort(pod: PodRecord, containerPort: Int, on loop: any EventLoop) -> EventLoopFuture<Int> {
        let future: EventLoopFuture<PodServer>? = lock.withLock {
            guard !isShutDown, namespaces[pod.namespace]?.pods[pod.name]?.uid == pod.uid else { return nil }
            if let existing = podServers[pod.uid]?[containerPort] { return existing }
            let banner = "kube9-sim \(contextName)/\(pod.namespace)/\(pod.name):\(containerPort)\n"
            let started = PodServer.start(group: group, body: banner)
            podServers[pod.uid, default: [:]][containerPort] = started
            return started
        }
        guard let future else { return loop.makeFailedFuture(PodServer.Failure.podGone) }
        return future.map(\.port).hop(to: loop)
    }

    // MARK: Shutdown

    func shutdown() {
        let (channels, servers, watchChannels): ([any Channel], [EventLoopFuture<PodServer>], [any Channel]) = lock.withLock {
            isShutDown = true
            let channels = sessions.values.flatMap(\.values)
            let servers = podServers.values.flatMap(\.values)
            let watchChannels = watches.values.map(\.channel) + namespaceWatches.values.map(\.channel)
            sessions = [:]
            podServers = [:]
            watches = [:]
            namespaceWatches = [:]
            return (channels, servers, watchChannels)
        }
        for channel in channels + watchChannels { channel.close(promise: nil) }
        for server in servers { server.whenSuccess { $0.close() } }
    }

    // MARK: Building records (lock held or during init)

    private func nextResourceVersion() -> Int {
        resourceVersion += 1
        return resourceVersion
    }

    private func allocatePodIP() -> String {
        nextPodIP += 1
        return "10.244.\(nextPodIP / 250).\(nextPodIP % 250 + 2)"
    }

    private func renderNamespace(_ record: inout NamespaceRecord) {
        let namespace = KubeObjects.Namespace(
            metadata: .init(
                name: record.name, uid: record.uid, resourceVersion: String(record.resourceVersion),
                creationTimestamp: KubeObjects.timestamp(record.creationTimestamp),
                labels: ["kubernetes.io/metadata.name": record.name]))
        record.json = (try? Array(encoder.encode(namespace))) ?? []
        record.metadataJSON = String(decoding: (try? encoder.encode(namespace.metadata)) ?? Data("{}".utf8), as: UTF8.self)
    }

    private func makePod(_ pod: ScenarioPod, namespace: String, created: Date) -> PodRecord {
        var owner: KubeObjects.OwnerRef?
        var generateName: String?
        if pod.replaceOnDelete {
            let parts = pod.name.split(separator: "-")
            let base = parts.count >= 3 ? parts.dropLast().joined(separator: "-") : pod.name
            generateName = base + "-"
            owner = KubeObjects.OwnerRef(name: base, uid: SimIDs.hex(seed: "\(contextName)/\(namespace)/\(base)", length: 32).uuidShaped)
        }
        let hasIP = pod.phase != "Pending"
        var record = PodRecord(
            name: pod.name, namespace: namespace, uid: SimIDs.uid(), phase: pod.phase, labels: pod.labels,
            containers: pod.containers, replaceOnDelete: pod.replaceOnDelete, owner: owner,
            generateName: generateName, creationTimestamp: created,
            startTime: hasIP ? created.addingTimeInterval(2) : nil, podIP: hasIP ? allocatePodIP() : nil,
            hostIP: "172.18.0.2", nodeName: "\(contextName)-control-plane", resourceVersion: nextResourceVersion())
        record.render(encoder: encoder)
        return record
    }
}

extension String {
    /// 32 hex digits as 8-4-4-4-12.
    fileprivate var uuidShaped: String {
        let c = Array(self)
        guard c.count >= 32 else { return self }
        return [String(c[0..<8]), String(c[8..<12]), String(c[12..<16]), String(c[16..<20]), String(c[20..<32])]
            .joined(separator: "-")
    }
}

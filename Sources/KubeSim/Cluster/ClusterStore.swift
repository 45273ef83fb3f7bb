import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// The objects of one simulated cluster: namespaces, pods and services with their resourceVersions, each
/// rendered to JSON once per change. Changes are published to the watch hub while the lock is held, so every
/// stream sees them in resourceVersion order.
final class ClusterStore: @unchecked Sendable {
    struct NamespaceRecord {
        var name: String
        var uid: String
        var creationTimestamp: Date
        var resourceVersion: Int
        var forbidPortForward: Bool
        var pods: [String: PodRecord] = [:]
        var services: [String: ServiceRecord] = [:]
        /// By resource (`deployments`), then name.
        var workloads: [String: [String: WorkloadRecord]] = [:]
        var json: [UInt8] = []
        var metadataJSON = ""
    }

    /// What a phase change did to a pod that was serving port-forwards.
    enum PhaseChange {
        case unknownPod
        case changed(stoppedRunning: PodRecord?)
    }

    let contextName: String
    let watches = WatchHub()

    private let lock = NIOLock()
    private let encoder = KubeObjects.encoder()
    private var namespaces: [String: NamespaceRecord] = [:]
    private var resourceVersion = 1000
    /// Namespaces added after startup, for namespace watches that resume from a resourceVersion.
    private var addedNamespaces: [NamespaceRecord] = []
    private var nextPodIP = 10
    private var nextServiceIP = 0

    init(context: ScenarioContext) {
        contextName = context.name
        let clusterStart = Date().addingTimeInterval(-86_400 * 3)
        for namespace in context.namespaces {
            var record = NamespaceRecord(
                name: namespace.name, uid: SimIDs.uid(), creationTimestamp: clusterStart,
                resourceVersion: 0, forbidPortForward: namespace.forbidPortForward)
            record.resourceVersion = nextResourceVersion()
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
            for workload in namespace.workloads {
                var workloadRecord = WorkloadRecord(
                    workload: workload, namespace: namespace.name, uid: SimIDs.uid(),
                    creationTimestamp: clusterStart.addingTimeInterval(1800), resourceVersion: nextResourceVersion())
                let selected = record.pods.values.filter { workloadRecord.selects($0.labels) }.sorted { $0.name < $1.name }
                workloadRecord.render(pods: selected, encoder: encoder)
                record.workloads[workload.resource, default: [:]][workload.name] = workloadRecord
            }
            namespaces[namespace.name] = record
        }
        watches.startHistory(after: resourceVersion)
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
            for pod in sortedPods(namespace: namespace) where filter.matches(pod) {
                if !first { buffer.writeStaticString(",") }
                first = false
                if asTable { TableRenderer.writePodRow(pod, now: now, to: &buffer) } else { buffer.writeBytes(pod.json) }
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
                for (_, service) in record.services.sorted(by: { $0.key < $1.key }) {
                    if !first { buffer.writeStaticString(",") }
                    first = false
                    if asTable {
                        TableRenderer.writeServiceRow(service, now: now, to: &buffer)
                    } else {
                        buffer.writeBytes(service.json)
                    }
                }
            }
            buffer.writeStaticString("]}")
            return buffer
        }
    }

    /// The workloads of `resource` (`deployments`) in one namespace or all (or only `name`), as a list
    /// (`DeploymentList`) or a Table.
    func workloadListJSON(resource: String, namespace: String?, only name: String? = nil, asTable: Bool) -> ByteBuffer {
        let kind = ScenarioWorkload.kind(of: resource)
        return lock.withLock {
            var buffer = ByteBuffer()
            if asTable {
                TableRenderer.writeTableStart(
                    columns: TableRenderer.workloadColumns(kind: kind), resourceVersion: resourceVersion, to: &buffer)
            } else {
                buffer.writeString(#"{"kind":"\#(kind)List","apiVersion":"apps/v1","metadata":{"resourceVersion":"\#(resourceVersion)"},"items":["#)
            }
            let now = Date()
            var first = true
            for namespaceName in namespace.map({ [$0] }) ?? namespaces.keys.sorted() {
                for (_, workload) in (namespaces[namespaceName]?.workloads[resource] ?? [:]).sorted(by: { $0.key < $1.key })
                where name == nil || workload.workload.name == name {
                    if !first { buffer.writeStaticString(",") }
                    first = false
                    if asTable { TableRenderer.writeWorkloadRow(workload, now: now, to: &buffer) } else { buffer.writeBytes(workload.json) }
                }
            }
            buffer.writeStaticString("]}")
            return buffer
        }
    }

    func workload(resource: String, namespace: String, name: String) -> WorkloadRecord? {
        lock.withLock { namespaces[namespace]?.workloads[resource]?[name] }
    }

    func service(namespace: String, name: String) -> ServiceRecord? {
        lock.withLock { namespaces[namespace]?.services[name] }
    }

    func pod(namespace: String, name: String) -> PodRecord? {
        lock.withLock { namespaces[namespace]?.pods[name] }
    }

    /// The pods of a namespace, by name.
    func pods(in namespace: String) -> [PodRecord] {
        lock.withLock { sortedPods(namespace: namespace) }
    }

    /// Is this very pod (same uid) still in the cluster?
    func holds(_ pod: PodRecord) -> Bool {
        lock.withLock { namespaces[pod.namespace]?.pods[pod.name]?.uid == pod.uid }
    }

    // MARK: Watches (the snapshot and the registration happen under the store's lock)

    func watchPods(channel: any Channel, namespace: String?, filter: PodFilter, since: Int?, asTable: Bool) -> ObjectIdentifier {
        lock.withLock {
            watches.watchPods(
                channel: channel, namespace: namespace, filter: filter, since: since, asTable: asTable,
                currentVersion: resourceVersion, snapshot: { sortedPods(namespace: namespace) })
        }
    }

    /// Every namespace as ADDED, or, from a resourceVersion, the namespaces added since (they are only ever added).
    func watchNamespaces(channel: any Channel, since: Int?, asTable: Bool) -> ObjectIdentifier {
        lock.withLock {
            let initial: [NamespaceRecord]
            if let since, since > 0 {
                initial = addedNamespaces.filter { $0.resourceVersion > since }
            } else {
                initial = namespaces.keys.sorted().compactMap { namespaces[$0] }
            }
            return watches.watchNamespaces(channel: channel, initial: initial, asTable: asTable)
        }
    }

    // MARK: Changing pods

    /// Removes a pod (DELETED event) and returns it as deleted; `uid` names the very pod (a pod of that name may
    /// have come back since).
    func deletePod(namespace: String, name: String, uid: String? = nil) -> PodRecord? {
        lock.withLock {
            guard var pod = namespaces[namespace]?.pods[name], uid == nil || pod.uid == uid else { return nil }
            namespaces[namespace]?.pods.removeValue(forKey: name)
            pod.deletionTimestamp = pod.deletionTimestamp ?? Date()
            pod.resourceVersion = nextResourceVersion()
            pod.render(encoder: encoder)
            watches.publish(type: "DELETED", pod: pod)
            return pod
        }
    }

    /// A graceful delete: the pod stays listed until `grace` seconds from now, with its `deletionTimestamp` then
    /// (MODIFIED). nil for an unknown pod; the pod unchanged when it is being deleted already.
    func beginDeletion(namespace: String, name: String, grace: Int) -> (pod: PodRecord, began: Bool)? {
        lock.withLock {
            guard var pod = namespaces[namespace]?.pods[name] else { return nil }
            guard pod.deletionTimestamp == nil else { return (pod, false) }
            pod.deletionTimestamp = Date().addingTimeInterval(TimeInterval(grace))
            pod.deletionGracePeriodSeconds = grace
            pod.resourceVersion = nextResourceVersion()
            pod.render(encoder: encoder)
            namespaces[namespace]?.pods[name] = pod
            watches.publish(type: "MODIFIED", pod: pod)
            return (pod, true)
        }
    }

    /// Adds a pod (ADDED), and its namespace first when new; false (nothing added) when a pod of that name is there,
    /// being deleted or not, as the API server answers AlreadyExists.
    @discardableResult
    func addPod(namespace: String, pod scenarioPod: ScenarioPod) -> Bool {
        lock.withLock {
            guard namespaces[namespace]?.pods[scenarioPod.name] == nil else { return false }
            if namespaces[namespace] == nil {
                var record = NamespaceRecord(
                    name: namespace, uid: SimIDs.uid(), creationTimestamp: Date(),
                    resourceVersion: nextResourceVersion(), forbidPortForward: false)
                renderNamespace(&record)
                namespaces[namespace] = record
                addedNamespaces.append(record)
                watches.publishNamespaceAdded(record)
            }
            let pod = makePod(scenarioPod, namespace: namespace, created: Date())
            namespaces[namespace]?.pods[pod.name] = pod
            watches.publish(type: "ADDED", pod: pod)
            return true
        }
    }

    /// Sets a pod's phase and its containers' readiness (MODIFIED); a pod leaving Pending gets an IP and a start
    /// time.
    func setPodPhase(namespace: String, name: String, phase: String, containersReady: Bool = true) -> PhaseChange {
        lock.withLock {
            guard var pod = namespaces[namespace]?.pods[name] else { return .unknownPod }
            let wasRunning = pod.isRunning
            pod.phase = phase
            pod.containersReady = containersReady
            if phase != "Pending", pod.podIP == nil {
                pod.podIP = allocatePodIP()
                pod.startTime = Date()
            }
            pod.resourceVersion = nextResourceVersion()
            pod.render(encoder: encoder)
            namespaces[namespace]?.pods[name] = pod
            watches.publish(type: "MODIFIED", pod: pod)
            return .changed(stoppedRunning: wasRunning && !pod.isRunning ? pod : nil)
        }
    }

    // MARK: Building records (lock held or during init)

    private func sortedPods(namespace: String?) -> [PodRecord] {
        var pods: [PodRecord] = []
        for name in namespace.map({ [$0] }) ?? namespaces.keys.sorted() {
            guard let record = namespaces[name] else { continue }
            pods += record.pods.sorted { $0.key < $1.key }.map(\.value)
        }
        return pods
    }

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
            containers: pod.containers, initContainers: pod.initContainers, replaceOnDelete: pod.replaceOnDelete, owner: owner,
            generateName: generateName, creationTimestamp: created,
            startTime: hasIP ? created.addingTimeInterval(2) : nil, podIP: hasIP ? allocatePodIP() : nil,
            hostIP: "172.18.0.2", nodeName: "\(SimIDs.dnsLabel(contextName))-control-plane", resourceVersion: nextResourceVersion())
        record.terminationGracePeriodSeconds = pod.terminationGracePeriodSeconds
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

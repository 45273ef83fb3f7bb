import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// The open watch streams of one cluster (pods and namespaces) and the recent pod events they may resume from.
///
/// The store publishes while holding its own lock, so every stream sees events in resourceVersion order; the hub
/// never calls back into the store (lock order: store, then hub).
final class WatchHub: @unchecked Sendable {
    struct PodEvent {
        var type: String
        var pod: PodRecord
    }

    private final class PodSubscription: Sendable {
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

        func matches(_ pod: PodRecord) -> Bool {
            if let namespace, namespace != pod.namespace { return false }
            return filter.matches(pod)
        }
    }

    private struct NamespaceSubscription {
        var channel: any Channel
        var asTable: Bool
    }

    private static let historyLimit = 4096

    private let lock = NIOLock()
    private var podWatches: [ObjectIdentifier: PodSubscription] = [:]
    private var namespaceWatches: [ObjectIdentifier: NamespaceSubscription] = [:]
    private var history: [PodEvent] = []
    /// Every event with a resourceVersion above this is still in `history`.
    private var historyFloor = 0

    /// Events up to `version` (the cluster as it started) are not replayable: a watch from before gets 410.
    func startHistory(after version: Int) {
        lock.withLock { historyFloor = version }
    }

    // MARK: Pods

    /// Registers a pod watch and writes what it must see first: `snapshot` as ADDED when `since` is nil, else the
    /// events after `since` (or a 410 Expired error when they are no longer known; then nothing is registered).
    func watchPods(
        channel: any Channel, namespace: String?, filter: PodFilter, since: Int?, asTable: Bool, currentVersion: Int,
        snapshot: () -> [PodRecord]
    ) -> ObjectIdentifier {
        let subscription = PodSubscription(channel: channel, namespace: namespace, filter: filter, asTable: asTable)
        let id = ObjectIdentifier(subscription)
        lock.withLock {
            let initial: [PodEvent]
            if let since, since > 0 {
                if since < historyFloor {
                    let status = KubeStatus.expired(resourceVersion: since, current: currentVersion)
                    var buffer = ByteBuffer()
                    buffer.writeStaticString(#"{"type":"ERROR","object":"#)
                    buffer.writeBytes(status.json)
                    buffer.writeStaticString("}\n")
                    channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(buffer)), promise: nil)
                    return
                }
                initial = history.filter { $0.pod.resourceVersion > since }
            } else {
                initial = snapshot().map { PodEvent(type: "ADDED", pod: $0) }
            }
            for event in initial where subscription.matches(event.pod) {
                let line = Self.podEventLine(type: event.type, pod: event.pod, asTable: asTable)
                channel.write(HTTPServerResponsePart.body(.byteBuffer(line)), promise: nil)
            }
            channel.flush()
            podWatches[id] = subscription
        }
        return id
    }

    /// Records a pod event and writes it to every matching watch.
    func publish(type: String, pod: PodRecord) {
        lock.withLock {
            history.append(PodEvent(type: type, pod: pod))
            if history.count > Self.historyLimit {
                let drop = history.count - Self.historyLimit
                historyFloor = history[drop - 1].pod.resourceVersion
                history.removeFirst(drop)
            }
            var lines: [Bool: ByteBuffer] = [:]
            for subscription in podWatches.values where subscription.matches(pod) {
                let line = lines[subscription.asTable] ?? Self.podEventLine(type: type, pod: pod, asTable: subscription.asTable)
                lines[subscription.asTable] = line
                subscription.channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(line)), promise: nil)
            }
        }
    }

    /// Open pod watch streams that see `namespace` (their initial events are already written).
    func podWatchCount(namespace: String) -> Int {
        lock.withLock { podWatches.values.count { $0.namespace == nil || $0.namespace == namespace } }
    }

    static func podEventLine(type: String, pod: PodRecord, asTable: Bool) -> ByteBuffer {
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

    // MARK: Namespaces

    /// Registers a namespace watch after writing `initial` as ADDED.
    func watchNamespaces(channel: any Channel, initial: [ClusterStore.NamespaceRecord], asTable: Bool) -> ObjectIdentifier {
        let id = ObjectIdentifier(channel)
        lock.withLock {
            for record in initial {
                let line = Self.namespaceEventLine(type: "ADDED", record, asTable: asTable)
                channel.write(HTTPServerResponsePart.body(.byteBuffer(line)), promise: nil)
            }
            channel.flush()
            namespaceWatches[id] = NamespaceSubscription(channel: channel, asTable: asTable)
        }
        return id
    }

    func publishNamespaceAdded(_ record: ClusterStore.NamespaceRecord) {
        lock.withLock {
            for watch in namespaceWatches.values {
                let line = Self.namespaceEventLine(type: "ADDED", record, asTable: watch.asTable)
                watch.channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(line)), promise: nil)
            }
        }
    }

    private static func namespaceEventLine(type: String, _ record: ClusterStore.NamespaceRecord, asTable: Bool) -> ByteBuffer {
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

    // MARK: Ending watches

    func stopWatch(_ id: ObjectIdentifier) {
        lock.withLock {
            podWatches.removeValue(forKey: id)
            namespaceWatches.removeValue(forKey: id)
        }
    }

    /// Unregisters the pod watches that see `namespace` (all pod and namespace watches when nil) and returns
    /// their connections for the caller to close, as a dropped connection would end them.
    func removeWatches(namespace: String?) -> [any Channel] {
        lock.withLock {
            let matching = podWatches.filter { namespace == nil || $0.value.namespace == nil || $0.value.namespace == namespace }
            for key in matching.keys { podWatches.removeValue(forKey: key) }
            var channels = matching.values.map(\.channel)
            if namespace == nil {
                channels += namespaceWatches.values.map(\.channel)
                namespaceWatches = [:]
            }
            return channels
        }
    }
}

import Foundation
import NIOCore

/// Server-side printing: the `meta.k8s.io/v1` Table kubectl asks for (`Accept: ...;as=Table`) when it prints
/// columns, so `kubectl get pods` shows READY, STATUS, RESTARTS, AGE (and IP, NODE with `-o wide`).
enum TableRenderer {
    static let podColumns = #"[{"name":"Name","type":"string","format":"name","description":"Name must be unique within a namespace.","priority":0},{"name":"Ready","type":"string","format":"","description":"The aggregate readiness state of this pod for accepting traffic.","priority":0},{"name":"Status","type":"string","format":"","description":"The aggregate status of the containers in this pod.","priority":0},{"name":"Restarts","type":"string","format":"","description":"The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.","priority":0},{"name":"Age","type":"string","format":"","description":"CreationTimestamp is a timestamp representing the server time when this object was created.","priority":0},{"name":"IP","type":"string","format":"","description":"The IP address assigned to the pod.","priority":1},{"name":"Node","type":"string","format":"","description":"The name of the node the pod is scheduled to.","priority":1},{"name":"Nominated Node","type":"string","format":"","description":"The node the scheduler nominated for the pod.","priority":1},{"name":"Readiness Gates","type":"string","format":"","description":"The pod's readiness gates.","priority":1}]"#

    static let namespaceColumns = #"[{"name":"Name","type":"string","format":"name","description":"Name must be unique within a namespace.","priority":0},{"name":"Status","type":"string","format":"","description":"The status of the namespace","priority":0},{"name":"Age","type":"string","format":"","description":"CreationTimestamp is a timestamp representing the server time when this object was created.","priority":0}]"#

    static let serviceColumns = #"[{"name":"Name","type":"string","format":"name","description":"Name must be unique within a namespace.","priority":0},{"name":"Type","type":"string","format":"","description":"The type of the service.","priority":0},{"name":"Cluster-IP","type":"string","format":"","description":"The cluster IP of the service.","priority":0},{"name":"External-IP","type":"string","format":"","description":"The external IP of the service.","priority":0},{"name":"Port(s)","type":"string","format":"","description":"The ports of the service.","priority":0},{"name":"Age","type":"string","format":"","description":"CreationTimestamp is a timestamp representing the server time when this object was created.","priority":0},{"name":"Selector","type":"string","format":"","description":"The selector of the service.","priority":1}]"#

    /// The columns `kubectl get deploy` (sts, rs, ds) prints, as the API server's printers define them.
    static func workloadColumns(kind: String) -> String {
        let names: [(String, String)] =
            switch kind {
            case "StatefulSet": [("Name", "string"), ("Ready", "string"), ("Age", "string")]
            case "ReplicaSet": [("Name", "string"), ("Desired", "integer"), ("Current", "integer"), ("Ready", "integer"), ("Age", "string")]
            case "DaemonSet":
                [("Name", "string"), ("Desired", "integer"), ("Current", "integer"), ("Ready", "integer"),
                 ("Up-to-date", "integer"), ("Available", "integer"), ("Node Selector", "string"), ("Age", "string")]
            default: [("Name", "string"), ("Ready", "string"), ("Up-to-date", "integer"), ("Available", "integer"), ("Age", "string")]
            }
        let columns = names.map { name, type in
            #"{"name":"\#(name)","type":"\#(type)","format":"\#(name == "Name" ? "name" : "")","description":"","priority":0}"#
        }
        return "[" + columns.joined(separator: ",") + "]"
    }

    static func writeWorkloadRow(_ workload: WorkloadRecord, now: Date, to buffer: inout ByteBuffer) {
        let name = quote(workload.workload.name)
        let age = quote(humanDuration(now.timeIntervalSince(workload.creationTimestamp)))
        let (total, ready) = (workload.replicas, workload.readyReplicas)
        let cells: [String] =
            switch workload.workload.kind {
            case "StatefulSet": [name, quote("\(ready)/\(total)"), age]
            case "ReplicaSet": [name, "\(total)", "\(total)", "\(ready)", age]
            case "DaemonSet": [name, "\(total)", "\(total)", "\(ready)", "\(total)", "\(ready)", quote("<none>"), age]
            default: [name, quote("\(ready)/\(total)"), "\(total)", "\(ready)", age]
            }
        buffer.writeString(#"{"cells":["# + cells.joined(separator: ",") + #"],"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":"#)
        buffer.writeBytes(workload.metadataJSON)
        buffer.writeStaticString("}}")
    }

    static func writeServiceRow(_ service: ServiceRecord, now: Date, to buffer: inout ByteBuffer) {
        let selector = service.service.selector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let cells = [
            quote(service.service.name), quote(service.service.type), quote(service.clusterIP), quote("<none>"),
            quote(service.portsSummary), quote(humanDuration(now.timeIntervalSince(service.creationTimestamp))),
            quote(selector.isEmpty ? "<none>" : selector),
        ]
        buffer.writeString(#"{"cells":["# + cells.joined(separator: ",") + #"],"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":"#)
        buffer.writeBytes(service.metadataJSON)
        buffer.writeStaticString("}}")
    }

    static func writeTableStart(columns: String, resourceVersion: Int, to buffer: inout ByteBuffer) {
        buffer.writeString(#"{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"\#(resourceVersion)"},"columnDefinitions":"#)
        buffer.writeString(columns)
        buffer.writeStaticString(#","rows":["#)
    }

    /// Opens a list answer: a Table when kubectl asked for server-side printing, else `{"kind":"<kind>",...,"items":[`.
    /// Both are closed with `]}`.
    static func writeListStart(kind: String, columns: String, asTable: Bool, resourceVersion: Int, to buffer: inout ByteBuffer) {
        if asTable {
            writeTableStart(columns: columns, resourceVersion: resourceVersion, to: &buffer)
        } else {
            buffer.writeString(#"{"kind":"\#(kind)","apiVersion":"v1","metadata":{"resourceVersion":"\#(resourceVersion)"},"items":["#)
        }
    }

    static func writeTableEnd(to buffer: inout ByteBuffer) {
        buffer.writeStaticString("]}")
    }

    static func writePodRow(_ pod: PodRecord, now: Date, to buffer: inout ByteBuffer) {
        // As kubectl's printer: native sidecars count.
        let total = pod.runningContainers.count
        let ready = pod.isReady ? total : 0
        let cells = [
            quote(pod.name), quote("\(ready)/\(total)"), quote(status(of: pod)), "0",
            quote(humanDuration(now.timeIntervalSince(pod.creationTimestamp))),
            quote(pod.podIP ?? "<none>"), quote(pod.podIP == nil ? "<none>" : pod.nodeName), quote("<none>"), quote("<none>"),
        ]
        buffer.writeString(#"{"cells":["# + cells.joined(separator: ",") + #"],"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":"#)
        buffer.writeBytes(pod.metadataJSON)
        buffer.writeStaticString("}}")
    }

    static func writeNamespaceRow(name: String, created: Date, metadata: String, now: Date, to buffer: inout ByteBuffer) {
        let cells = [quote(name), quote("Active"), quote(humanDuration(now.timeIntervalSince(created)))]
        buffer.writeString(#"{"cells":["# + cells.joined(separator: ",") + #"],"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":"# + metadata + "}}")
    }

    static func status(of pod: PodRecord) -> String {
        if pod.deletionTimestamp != nil { return "Terminating" }
        switch pod.phase {
        case "Pending": return pod.podIP == nil ? "ContainerCreating" : "Pending"
        case "Succeeded": return "Completed"
        case "Failed": return "Error"
        default: return pod.phase
        }
    }

    /// kubectl's HumanDuration: 45s, 5m10s, 3h20m, 2d4h, 95d, 2y10d.
    static func humanDuration(_ interval: TimeInterval) -> String {
        let seconds = Int(interval)
        if seconds < 0 { return "0s" }
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 { return seconds % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(seconds % 60)s" }
        if minutes < 180 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 { return hours % 24 == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(hours % 24)h" }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = hours / 24 % 365
            return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
        }
        return "\(hours / 24 / 365)y"
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}

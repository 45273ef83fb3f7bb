import Foundation

/// One forward as the control protocol and `kube9 ls --json` show it.
public struct ControlForward: Sendable, Codable, Equatable {
    public var id: String
    /// `localhost:8080 → default/web-0:80`, as everywhere else (``ForwardRecord/label``).
    public var label: String
    public var address: String
    public var localPort: Int
    /// `pod/web-0` or `svc/api`.
    public var target: String
    public var remotePort: Int
    public var context: String
    public var namespace: String
    /// connecting, connected, reconnecting, stopped or error.
    public var state: String
    public var startedAt: Date
    public var uptimeSeconds: Int
    public var connections: Int
    /// Bytes the forward's relay carried (nil from an instance that does not count them).
    public var bytesIn: Int?
    public var bytesOut: Int?
    /// Starts kubectl on the first connection (``ForwardRecord/onDemand``).
    public var onDemand: Bool
    /// Its kubectl runs (always, unless it is on demand and idle); nil from an instance that does not say.
    public var backendRunning: Bool?
    /// Which kube9 holds it: filled in by the client (`kube9 ls`), absent on the wire.
    public var instance: ControlInstance?

    /// The one place a record becomes a control forward.
    public init(_ record: ForwardRecord, now: Date) {
        id = record.id
        label = record.label
        address = record.address
        localPort = record.localPort
        target = record.target.resource
        remotePort = record.remotePort
        context = record.context
        namespace = record.namespace
        state = record.status.rawValue
        startedAt = record.startTime
        uptimeSeconds = max(0, Int(now.timeIntervalSince(record.startTime)))
        connections = record.connectionCount
        bytesIn = Int(record.bytesIn)
        bytesOut = Int(record.bytesOut)
        onDemand = record.onDemand
        backendRunning = record.runsKubectl
        instance = nil
    }

    /// Counted as connected by `kube9 status`.
    public var isConnected: Bool { state == ForwardStatus.connected.rawValue }  // ForwardRecord.isAnswering, on the wire
    /// Counted as failing by `kube9 status` (`!N`): reconnecting, paused (credentials) or in error.
    public var isFailing: Bool {
        [ForwardStatus.reconnecting, .error, .paused].contains { state == $0.rawValue }
    }
}

import Foundation

/// What kind of kube9 process serves a socket.
public enum ControlInstanceKind: String, Sendable, Codable, Equatable {
    case ui
    case up
    case forward

    /// Whether `kube9 forward --attach` may hand forwards to it (the UI and `kube9 up` hold them for good).
    public var acceptsAttach: Bool { self != .forward }
}

/// One running kube9, as its socket describes it.
public struct ControlInstance: Sendable, Codable, Equatable {
    public var pid: Int32
    public var kind: ControlInstanceKind
    public var startedAt: Date

    public init(pid: Int32, kind: ControlInstanceKind, startedAt: Date) {
        self.pid = pid
        self.kind = kind
        self.startedAt = startedAt
    }
}

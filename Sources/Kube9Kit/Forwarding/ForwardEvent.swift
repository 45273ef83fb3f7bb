/// A message for the person: the manager's words, shown verbatim.
public struct Notice: Sendable, Equatable, Hashable {
    /// `warning`: something the person should act on while the forward goes on (`kube9 forward` prints it on stderr).
    public enum Severity: String, Sendable, Equatable, Hashable { case success, info, warning, error }
    public var severity: Severity
    public var text: String

    public init(_ severity: Severity, _ text: String) {
        self.severity = severity
        self.text = text
    }
}

/// What the manager publishes; readers then ask it for the current list.
public enum ForwardEvent: Sendable, Equatable {
    case added(ForwardRecord)
    case updated(ForwardRecord)
    case removed(ForwardRecord)
    /// Something happened that the person should read (a forward stopped unexpectedly, a pod was deleted).
    case notice(Notice)
}

/// What a forward points at: a pod or a service, by name, in a namespace of a context. The one definition of a
/// forward's target: its kubectl argument, how it is named (`default/web-0`, `shop/svc/web`) and its order.
public struct ForwardTarget: Sendable, Hashable, Comparable {
    public var context: String
    public var namespace: String
    public var kind: ForwardTargetKind
    /// The pod's name, or the service's.
    public var name: String

    public init(context: String, namespace: String, kind: ForwardTargetKind = .pod, name: String) {
        self.context = context
        self.namespace = namespace
        self.kind = kind
        self.name = name
    }

    /// The target as kubectl takes it: `pod/web-0` or `svc/web`.
    public var resource: String { "\(kind.resourcePrefix)/\(name)" }

    /// `web-0` for a pod, `svc/web` for a service, `deploy/web` for a deployment: what messages name within a
    /// namespace.
    public var shortName: String { kind == .pod ? name : resource }

    /// `default/web-0`, `shop/svc/web`.
    public var label: String { "\(namespace)/\(shortName)" }

    /// The id of its forward from `localPort` to `remotePort`: `{context}/{namespace}/{web-0 or svc/web}:{local}:{remote}`.
    public func forwardID(localPort: Int, remotePort: Int) -> String {
        "\(context)/\(label):\(localPort):\(remotePort)"
    }

    /// By context, namespace, name, then pods before services (`pod` < `service`).
    public static func < (a: ForwardTarget, b: ForwardTarget) -> Bool {
        (a.context, a.namespace, a.name, a.kind.rawValue) < (b.context, b.namespace, b.name, b.kind.rawValue)
    }
}

/// A forward of a ``ForwardTarget`` from a local port to a remote one, whatever its state: asked for
/// (``ForwardRequest``), running (``ForwardRecord``) or saved (``SavedForward``).
public protocol TargetedForward {
    var target: ForwardTarget { get }
    var localPort: Int { get }
    var remotePort: Int { get }
    /// Where the local port listens (kubectl's `--address`).
    var address: String { get }
}

extension TargetedForward {
    /// `localhost:8080 → default/web-0:80`, `localhost:8080 → shop/svc/web:80`, `0.0.0.0:8080 → …` for other addresses,
    /// an IPv6 one in brackets (`[::1]:8080`), a list as given (`127.0.0.1,[::1]:8080`).
    public var label: String {
        let hosts = address.split(separator: ",").map { $0.contains(":") ? "[\($0)]" : String($0) }.joined(separator: ",")
        return "\(hosts):\(localPort) → \(target.label):\(remotePort)"
    }

    /// The same forward: the same target, local port and remote port (whatever the address, state or settings).
    public func isSameForward(as other: some TargetedForward) -> Bool {
        target == other.target && localPort == other.localPort && remotePort == other.remotePort
    }

    /// The order forwards are listed in: by target, then local port, then remote port.
    public func precedes(_ other: some TargetedForward) -> Bool {
        (target, localPort, remotePort) < (other.target, other.localPort, other.remotePort)
    }
}

/// A failed kubectl call, classified. `message` is what the person reads.
public struct KubeError: Error, Sendable, Equatable, Hashable {
    public enum Kind: String, Sendable, Equatable, Hashable {
        case kubectlNotFound
        case unreachable
        case forbidden
        case notFound
        case timedOut
        case malformedOutput
        case podNotRunning
        case portInUse
        case alreadyActive
        /// The kubelet refused a forwarded connection: nothing listens on the remote port in the pod.
        case nothingListens
        /// A credential plugin failed, or the server answered 401.
        case authentication
        /// The server's certificate is not trusted (x509).
        case untrustedCertificate
        /// The kubeconfig files cannot be found, read or parsed.
        case kubeconfig
        case other
    }

    public var kind: Kind
    public var message: String
    /// For a start refused because its local port is not free: what the check said (in use, or privileged)
    /// with the free port it suggests, so that no one probes again.
    public var portCheck: LocalPortCheck?

    public init(_ kind: Kind, _ message: String, portCheck: LocalPortCheck? = nil) {
        self.kind = kind
        self.message = message
        self.portCheck = portCheck
    }

    /// The free port to use instead, when the local port was taken or privileged and one was found.
    public var suggestedPort: Int? { portCheck?.suggestion }

    /// Local port `port` cannot be used, as `check` says: `Port 8080 is already in use. Try 8081?` (kind
    /// `.portInUse`, the suggestion in ``portCheck`` too); an invalid port is `.other` with its message.
    public static func portUnavailable(_ port: Int, _ check: LocalPortCheck) -> KubeError {
        switch check {
        case .privileged(let suggestion):
            KubeError(.portInUse, Messages.portPrivileged(port: port, suggestion: suggestion), portCheck: check)
        case .inUse(let suggestion):
            KubeError(.portInUse, Messages.portInUse(port: port, suggestion: suggestion), portCheck: check)
        case .available:
            KubeError(.portInUse, Messages.portInUse(port: port, suggestion: nil), portCheck: .inUse(suggestion: nil))
        case .invalid(let message):
            KubeError(.other, message)
        }
    }
}

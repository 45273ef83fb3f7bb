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

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}

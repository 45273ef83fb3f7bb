/// How to reach kubectl and which kubeconfig it reads.
public struct KubectlConfiguration: Sendable, Equatable {
    /// Path or bare name of the kubectl binary (`kubectl` = looked up on PATH).
    public var kubectlPath: String
    /// `--kubeconfig` for every call; `nil` leaves KUBECONFIG / ~/.kube/config to kubectl.
    public var kubeconfig: String?
    /// Extra environment for every kubectl process (e.g. HOME for tests); merged over the inherited one.
    public var environment: [String: String]
    /// Deadline of one read call (get, config view).
    public var requestTimeout: Duration

    public init(
        kubectlPath: String = "kubectl", kubeconfig: String? = nil, environment: [String: String] = [:],
        requestTimeout: Duration = .seconds(10)
    ) {
        self.kubectlPath = kubectlPath
        self.kubeconfig = kubeconfig
        self.environment = environment
        self.requestTimeout = requestTimeout
    }
}

/// The one registry of live forwards. API surface fixed; body to be written.
public actor PortForwardManager {
    public let configuration: KubectlConfiguration

    public init(configuration: KubectlConfiguration) {
        self.configuration = configuration
    }

    /// A fresh stream of events for one reader (each call is a new subscriber).
    public nonisolated func events() -> AsyncStream<ForwardEvent> {
        AsyncStream { $0.finish() }
    }

    /// The current forwards, sorted by context, namespace, pod, local port.
    public func forwards() -> [ForwardRecord] { [] }

    public func activeCount() -> Int { 0 }

    /// Binds 127.0.0.1 and ::1 to tell whether kubectl could listen on `port`.
    public nonisolated func checkLocalPort(_ port: Int) -> LocalPortCheck { .available }

    /// Checks the pod, spawns kubectl, waits for `Forwarding from` (10 s). Returns the connected record.
    public func startForward(_ request: ForwardRequest) async throws(KubeError) -> ForwardRecord {
        throw KubeError(.other, "not implemented")
    }

    public func stopForward(id: String) async throws(KubeError) {}

    public func stopAllForwards() async {}
}

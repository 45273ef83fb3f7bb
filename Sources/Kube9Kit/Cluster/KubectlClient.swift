import Foundation
import Logging

/// Reads the cluster through kubectl: argv arrays, `-o json`, a deadline on every call (also given to kubectl as
/// `--request-timeout`), cancellation (the kubectl process is stopped), and classified errors.
public struct KubectlClient: Sendable {
    public let configuration: KubectlConfiguration
    let runner: ProcessRunner
    let logger: Logger

    public init(configuration: KubectlConfiguration) {
        self.init(configuration: configuration, logger: ProcessRunner.silentLogger)
    }

    public init(configuration: KubectlConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.runner = ProcessRunner(environment: configuration.environment, logger: logger)
    }

    /// Contexts of the kubeconfig, the current one marked.
    public func contexts() async throws(KubeError) -> [KubeContext] {
        let data = try await read(["config", "view", "-o", "json"] + kubeconfigArguments, what: "contexts")
        return try KubeJSONDecoding.contexts(from: data)
    }

    /// The kubeconfig's current-context, nil when none is set.
    public func currentContextName() async throws(KubeError) -> String? {
        let data = try await read(["config", "view", "-o", "json"] + kubeconfigArguments, what: "contexts")
        return try KubeJSONDecoding.currentContextName(from: data)
    }

    public func namespaces(context: String) async throws(KubeError) -> [KubeNamespace] {
        let data = try await read(["get", "namespaces"] + clusterArguments(context: context), what: "namespaces")
        return try KubeJSONDecoding.namespaces(from: data)
    }

    public func pods(context: String, namespace: String) async throws(KubeError) -> [Pod] {
        let data = try await read(
            ["get", "pods", "-n", namespace] + clusterArguments(context: context), what: "pods")
        return try KubeJSONDecoding.pods(from: data)
    }

    public func pod(context: String, namespace: String, name: String) async throws(KubeError) -> Pod {
        try await pod(context: context, namespace: namespace, name: name, timeout: configuration.requestTimeout)
    }

    func pod(context: String, namespace: String, name: String, timeout: Duration) async throws(KubeError) -> Pod {
        let data = try await read(
            ["get", "pod", name, "-n", namespace] + clusterArguments(context: context, timeout: timeout), what: "pod",
            timeout: timeout)
        return try KubeJSONDecoding.pod(from: data)
    }

    // MARK: - argv of the long-running calls

    func portForwardArguments(_ request: ForwardRequest) -> [String] {
        ["port-forward", request.target, "\(request.localPort):\(request.remotePort)", "-n", request.namespace,
            "--context", request.context, "--address", request.address] + kubeconfigArguments
    }

    func watchPodsArguments(context: String, namespace: String) -> [String] {
        ["get", "pods", "-n", namespace, "--context", context, "--watch", "--output-watch-events", "-o", "json"]
            + kubeconfigArguments
    }

    var kubeconfigArguments: [String] {
        configuration.kubeconfig.map { ["--kubeconfig", $0] } ?? []
    }

    func clusterArguments(context: String, timeout: Duration? = nil) -> [String] {
        let seconds = max(1, (timeout ?? configuration.requestTimeout).components.seconds)
        return ["-o", "json", "--context", context, "--request-timeout", "\(seconds)s"] + kubeconfigArguments
    }

    // MARK: - Running kubectl

    func read(_ arguments: [String], what: String, timeout: Duration? = nil) async throws(KubeError) -> Data {
        let deadline = timeout ?? configuration.requestTimeout
        let collected: ProcessRunner.Collected
        do {
            collected = try await runner.collect(
                executable: configuration.kubectlPath, arguments: arguments, timeout: deadline)
        } catch {
            throw Self.kubeError(error, timeout: deadline)
        }
        guard collected.exit.isSuccess else {
            let error = KubectlErrorClassifier.classify(
                stderr: collected.standardError, exitDescription: collected.exit.description, purpose: .read)
            logger.info("kubectl failed", metadata: ["what": "\(what)", "kind": "\(error.kind)"])
            throw error
        }
        return Data(collected.standardOutput)
    }

    static func kubeError(_ error: ProcessRunError, timeout: Duration) -> KubeError {
        switch error {
        case .executableNotFound: KubeError(.kubectlNotFound, Messages.kubectlNotFound)
        case .timedOut:
            KubeError(.timedOut, Messages.requestTimedOut(seconds: Int(max(1, timeout.components.seconds))))
        case .cancelled: KubeError(.other, Messages.cancelled)
        case .launchFailed(let detail): KubeError(.other, Messages.couldNotStartKubectl(detail))
        }
    }
}

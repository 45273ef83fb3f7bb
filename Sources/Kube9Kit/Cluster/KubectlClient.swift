import Foundation
import Logging

/// Reads the cluster through kubectl: argv arrays, `-o json`, a deadline on every call (also given to kubectl as
/// `--request-timeout`), cancellation (the kubectl process is stopped), and classified errors.
public struct KubectlClient: Sendable {
    public let configuration: KubectlConfiguration
    private(set) var runner: ProcessRunner
    let logger: Logger
    /// Told at once when a call's credential plugin asks the person to log in (`context`, the plugin's line);
    /// that call then waits up to ``CredentialPrompt/loginWait``.
    public var onLoginPrompt: (@Sendable (_ context: String, _ line: String) -> Void)?

    public init(configuration: KubectlConfiguration) {
        self.init(configuration: configuration, logger: ProcessRunner.silentLogger)
    }

    public init(configuration: KubectlConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.runner = ProcessRunner(environment: configuration.environment, logger: logger)
    }

    /// The same client, its kubectl at nice 10 from its first instruction: for observers in the background
    /// (a namespace's watch) that must not take the CPU from forwarded traffic or the screen.
    func inBackground() -> KubectlClient {
        var client = self
        client.runner.niceness = 10
        return client
    }

    /// Contexts of the kubeconfig, the current one marked: read from the kubeconfig files themselves (the files
    /// kubectl reads, merged as kubectl merges them), without kubectl or a cluster.
    public func contexts() async throws(KubeError) -> [KubeContext] {
        try kubeconfig().contexts
    }

    /// The kubeconfig's current-context, nil when none is set.
    public func currentContextName() async throws(KubeError) -> String? {
        try kubeconfig().currentContext
    }

    /// The kubeconfig files kubectl reads for this configuration, merged; `.kubeconfig` errors name file and reason.
    public func kubeconfig() throws(KubeError) -> Kubeconfig {
        try Kubeconfig.load(KubeconfigSource(configuration))
    }

    public func namespaces(context: String) async throws(KubeError) -> [KubeNamespace] {
        let data = try await read(
            rawListArguments(context: context, path: "/api/v1/namespaces"), what: "namespaces", context: context)
        return try KubeJSONDecoding.namespaces(from: data)
    }

    public func pods(context: String, namespace: String) async throws(KubeError) -> [Pod] {
        let data = try await read(
            rawListArguments(context: context, path: Self.namespacedPath(namespace, "pods")), what: "pods",
            context: context)
        return try KubeJSONDecoding.pods(from: data)
    }

    public func pod(context: String, namespace: String, name: String) async throws(KubeError) -> Pod {
        try await pod(context: context, namespace: namespace, name: name, timeout: configuration.requestTimeout)
    }

    func pod(context: String, namespace: String, name: String, timeout: Duration) async throws(KubeError) -> Pod {
        let data = try await read(
            ["get", "pod", name, "-n", namespace] + clusterArguments(context: context, timeout: timeout), what: "pod",
            context: context, timeout: timeout)
        return try KubeJSONDecoding.pod(from: data)
    }

    // MARK: - argv of the long-running calls

    /// The namespace's pods and the list's resourceVersion, for a watch that follows from there.
    func podList(context: String, namespace: String) async throws(KubeError) -> (pods: [Pod], resourceVersion: String) {
        let data = try await read(
            rawListArguments(context: context, path: Self.namespacedPath(namespace, "pods")), what: "pods",
            context: context)
        return try KubeJSONDecoding.podList(from: data)
    }

    /// The pods' changes after `resourceVersion` (the API server's watch stream, one JSON event a line; no
    /// `--request-timeout`: it runs until ended).
    func watchPodsArguments(context: String, namespace: String, resourceVersion: String) -> [String] {
        let path = Self.namespacedPath(namespace, "pods") + "?watch=1&resourceVersion=\(Self.percentEncoded(resourceVersion))"
        return ["get", "--raw", path, "--context", context] + kubeconfigArguments
    }

    var kubeconfigArguments: [String] {
        configuration.kubeconfig.map { ["--kubeconfig", $0] } ?? []
    }

    /// A list read as the API server sends it (`kubectl get --raw PATH`): no discovery round trips, no decoding and
    /// re-printing by kubectl (a 5,000-pod namespace: ~0.1 s instead of ~2 s for `get pods -o json`), one request.
    /// kubectl still does the authentication, the context and the timeout.
    func rawListArguments(context: String, path: String) -> [String] {
        let seconds = max(1, configuration.requestTimeout.components.seconds)
        return ["get", "--raw", path, "--context", context, "--request-timeout", "\(seconds)s"] + kubeconfigArguments
    }

    /// `/api/v1/namespaces/{namespace}/{resource}`, the namespace percent-encoded.
    static func namespacedPath(_ namespace: String, _ resource: String) -> String {
        "/api/v1/namespaces/\(percentEncoded(namespace))/\(resource)"
    }

    /// `text` with everything but unreserved characters (RFC 3986) percent-encoded.
    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    func clusterArguments(context: String, timeout: Duration? = nil) -> [String] {
        let seconds = max(1, (timeout ?? configuration.requestTimeout).components.seconds)
        return ["-o", "json", "--context", context, "--request-timeout", "\(seconds)s"] + kubeconfigArguments
    }

    // MARK: - Running kubectl

    /// Runs kubectl for `what` in `context` (named in authentication and certificate messages).
    func read(_ arguments: [String], what: String, context: String, timeout: Duration? = nil) async throws(KubeError) -> Data {
        let deadline = timeout ?? configuration.requestTimeout
        let collected: ProcessRunner.Collected
        var onPrompt: (@Sendable (String) -> Void)?
        if let told = onLoginPrompt { onPrompt = { line in told(context, line) } }
        do {
            collected = try await runner.collect(
                executable: configuration.kubectlPath, arguments: arguments, timeout: deadline, onPrompt: onPrompt)
        } catch {
            throw Self.kubeError(error, timeout: deadline)
        }
        guard collected.exit.isSuccess else {
            let error = KubectlErrorClassifier.classify(
                stderr: collected.standardError, exitDescription: collected.exit.description, purpose: .read,
                context: context)
            logger.info(
                "kubectl failed",
                metadata: ["what": "\(what)", "context": "\(context)", "kind": "\(error.kind)", "message": "\(error.message)"])
            throw error
        }
        return Data(collected.standardOutput)
    }

    static func kubeError(_ error: ProcessRunError, timeout: Duration) -> KubeError {
        switch error {
        case .executableNotFound(let executable, let missing):
            KubeError(.kubectlNotFound, Messages.kubectlNotFound(executable, missing: missing))
        case .timedOut:
            KubeError(.timedOut, Messages.requestTimedOut(seconds: Int(max(1, timeout.components.seconds))))
        case .cancelled: KubeError(.other, Messages.cancelled)
        case .launchFailed(let detail): KubeError(.other, Messages.couldNotStartKubectl(detail))
        }
    }
}

extension KubectlClient {
    /// Every pod of the context in one list call (`kubectl get --raw /api/v1/pods`): what the UI's jump-to-pod
    /// finder searches.
    public func podsInAllNamespaces(context: String) async throws(KubeError) -> [Pod] {
        let data = try await read(rawListArguments(context: context, path: "/api/v1/pods"), what: "pods", context: context)
        return try KubeJSONDecoding.pods(from: data)
    }
}

import Foundation
import Logging
import Synchronization

/// A context/namespace's pods as the API server knows them, followed as client-go's reflector does: one list
/// (`kubectl get --raw …/pods`, reported whole) and one watch from that list's resourceVersion (`kubectl get --raw
/// …/pods?watch=1&resourceVersion=V`), so no change between the two is missed. When the watch ends (connection
/// dropped, server restarted, resourceVersion expired) the pods are listed and watched again after a backoff
/// (0.5 s doubling to 5 s; reset once a watch has lasted 10 s). `stop()` ends kubectl and returns once it has exited.
/// The manager shares one per namespace between its forwards (deleted pods, replacements) and the UI's open lists.
/// Its kubectl runs at nice 10 from its first instruction (both calls; a Go binary started twice, through the
/// dispatcher four times): an observer in the background must not take the CPU from the forwards' traffic.
/// A list refused for the context's credentials (401, a failing plugin, an untrusted certificate) is not tried again
/// until ``resume()``: another try fails the same way (and runs the credential plugin) until a person acts. A list or
/// watch RBAC refuses (a Role with `get` and `pods/portforward` but not `list` or `watch`, common on shared clusters)
/// is tried again after ``forbiddenRetry``, not within seconds: the forwards go on without it (kubectl's exit tells
/// of a pod gone), and a list that works is followed at that pace.
final class PodDeletionWatch: Sendable {
    typealias Change = PodListChange

    let context: String
    let namespace: String
    private let loop: Task<Void, Never>
    private let resumes: AsyncStream<Void>.Continuation
    /// The context's credentials are known to fail: no list until ``resume()``.
    private let held = Flag()

    init(
        context: String, namespace: String, client: KubectlClient, logger: Logger,
        onChange: @escaping @Sendable (Change) async -> Void
    ) {
        self.context = context
        self.namespace = namespace
        let (resumed, resumes) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.resumes = resumes
        let held = held
        let client = client.inBackground()
        loop = Task {
            var backoff: Duration = .milliseconds(500)
            var toldForbidden = false
            while !Task.isCancelled {
                if held.isSet {
                    for await _ in resumed where !held.isSet { break }
                    backoff = .milliseconds(500)
                    continue
                }
                let began = ContinuousClock.now
                var refusal: String?
                do throws(KubeError) {
                    let list = try await client.podList(context: context, namespace: namespace)
                    if Task.isCancelled { break }
                    await onChange(.listed(list.pods))
                    refusal = await Self.follow(
                        client: client, context: context, namespace: namespace, from: list.resourceVersion,
                        logger: logger, onChange: onChange)
                } catch {
                    logger.info("pod list for the watch failed", metadata: ["namespace": "\(namespace)", "error": "\(error.message)"])
                    if PortForwardManager.isCredentialFailure(error) {
                        held.set(true)  // until the context's credentials are said to work again
                        continue
                    }
                    if error.kind == .forbidden { refusal = error.message }
                }
                if Task.isCancelled { break }
                if let refusal {
                    if !toldForbidden {
                        logger.notice(
                            "pods of the namespace cannot be followed; retrying every minute",
                            metadata: ["namespace": "\(namespace)", "error": "\(refusal)"])
                        toldForbidden = true
                    }
                    try? await Task.sleep(for: Self.forbiddenRetry)
                    continue
                }
                if ContinuousClock.now - began > .seconds(10) { backoff = .milliseconds(500) }
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
    }

    /// How long the loop waits after RBAC refused its list or its watch.
    static let forbiddenRetry: Duration = .seconds(60)

    /// One watch from `resourceVersion` until it ends (an `ERROR` event, such as an expired version, ends it).
    /// Returns kubectl's refusal when RBAC forbids the watch.
    private static func follow(
        client: KubectlClient, context: String, namespace: String, from resourceVersion: String, logger: Logger,
        onChange: @Sendable (Change) async -> Void
    ) async -> String? {
        let arguments = client.watchPodsArguments(context: context, namespace: namespace, resourceVersion: resourceVersion)
        let process: RunningProcess
        do {
            process = try await client.runner.launch(executable: client.configuration.kubectlPath, arguments: arguments)
        } catch {
            logger.info("pod watch could not start", metadata: ["error": "\(error)"])
            return nil
        }
        logger.debug("pod watch started", metadata: ["context": "\(context)", "namespace": "\(namespace)"])
        var splitter = JSONObjectStreamSplitter()
        var errors = ""
        reading: for await chunk in process.output {
            if case .standardError(let bytes) = chunk, errors.utf8.count < 4096 { errors += String(decoding: bytes, as: UTF8.self) }
            guard case .standardOutput(let bytes) = chunk else { continue }
            for object in splitter.append(bytes) {
                let data = Data(object)
                guard let event = try? KubeJSONDecoding.watchEvent(from: data) else {
                    if KubeJSONDecoding.watchEventType(from: data) == "ERROR" { break reading }
                    continue
                }
                switch event.type {
                case "DELETED": await onChange(.deleted(event.pod))
                case "ADDED": await onChange(.added(event.pod))
                case "MODIFIED": await onChange(.modified(event.pod))
                default: break
                }
            }
        }
        let exit = await process.terminate()
        logger.debug("pod watch ended", metadata: ["namespace": "\(namespace)", "exit": "\(exit)"])
        guard exit != .exited(0), !errors.isEmpty else { return nil }
        let refusal = KubectlErrorClassifier.classify(stderr: errors, exitDescription: exit.description, purpose: .read, context: context)
        return refusal.kind == .forbidden ? refusal.message : nil
    }

    /// The context's credentials work again: a list held back by their failure is tried now.
    func resume() {
        held.set(false)
        resumes.yield()
    }

    /// The context's credentials fail (a forward's kubectl said so): no list until ``resume()``.
    func hold() {
        held.set(true)
    }

    func stop() async {
        loop.cancel()
        resumes.finish()
        await loop.value
    }
}

/// A flag shared by the watch and its loop.
private final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set(_ newValue: Bool) { value.withLock { $0 = newValue } }
}

import Foundation
import Logging

/// A context/namespace's pods as the API server knows them, followed as client-go's reflector does: one list
/// (`kubectl get --raw …/pods`, reported whole) and one watch from that list's resourceVersion (`kubectl get --raw
/// …/pods?watch=1&resourceVersion=V`), so no change between the two is missed. When the watch ends (connection
/// dropped, server restarted, resourceVersion expired) the pods are listed and watched again after a backoff
/// (0.5 s doubling to 5 s; reset once a watch has lasted 10 s). `stop()` ends kubectl and returns once it has exited.
/// The manager shares one per namespace between its forwards (deleted pods, replacements) and the UI's open lists.
final class PodDeletionWatch: Sendable {
    typealias Change = PodListChange

    let context: String
    let namespace: String
    private let loop: Task<Void, Never>

    init(
        context: String, namespace: String, client: KubectlClient, logger: Logger,
        onChange: @escaping @Sendable (Change) async -> Void
    ) {
        self.context = context
        self.namespace = namespace
        loop = Task {
            var backoff: Duration = .milliseconds(500)
            while !Task.isCancelled {
                let began = ContinuousClock.now
                do throws(KubeError) {
                    let list = try await client.podList(context: context, namespace: namespace)
                    if Task.isCancelled { break }
                    await onChange(.listed(list.pods))
                    await Self.follow(
                        client: client, context: context, namespace: namespace, from: list.resourceVersion,
                        logger: logger, onChange: onChange)
                } catch {
                    logger.info("pod list for the watch failed", metadata: ["namespace": "\(namespace)", "error": "\(error.message)"])
                }
                if Task.isCancelled { break }
                if ContinuousClock.now - began > .seconds(10) { backoff = .milliseconds(500) }
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
    }

    /// One watch from `resourceVersion` until it ends (an `ERROR` event, such as an expired version, ends it).
    private static func follow(
        client: KubectlClient, context: String, namespace: String, from resourceVersion: String, logger: Logger,
        onChange: @Sendable (Change) async -> Void
    ) async {
        let arguments = client.watchPodsArguments(context: context, namespace: namespace, resourceVersion: resourceVersion)
        let process: RunningProcess
        do {
            process = try await client.runner.launch(executable: client.configuration.kubectlPath, arguments: arguments)
        } catch {
            logger.info("pod watch could not start", metadata: ["error": "\(error)"])
            return
        }
        // A background observer: its start (a Go binary, twice through the dispatcher) must not take the CPU from
        // the forwards' traffic (its group, every thread in it: nice 10).
        _ = setpriority(__priority_which_t(PRIO_PGRP.rawValue), id_t(process.processID), 10)
        logger.debug("pod watch started", metadata: ["context": "\(context)", "namespace": "\(namespace)"])
        var splitter = JSONObjectStreamSplitter()
        reading: for await chunk in process.output {
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
    }

    func stop() async {
        loop.cancel()
        await loop.value
    }
}

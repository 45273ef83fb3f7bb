import Foundation
import Logging

/// One `kubectl get pods --watch --output-watch-events -o json` for a context/namespace, reporting added,
/// changed and deleted pods. When kubectl ends (connection dropped, server restarted) it is started again
/// after a backoff (0.5 s doubling to 5 s; reset once a watch has lasted 10 s). `stop()` ends kubectl and returns
/// once it has exited.
final class PodDeletionWatch: Sendable {
    enum Change: Sendable, Equatable {
        case deleted(Pod)
        case added(Pod)
        /// A pod changed (its phase, say): how a replacement becomes Running.
        case modified(Pod)
    }

    let context: String
    let namespace: String
    private let loop: Task<Void, Never>

    init(
        context: String, namespace: String, runner: ProcessRunner, kubectlPath: String, arguments: [String],
        logger: Logger, onChange: @escaping @Sendable (Change) async -> Void
    ) {
        self.context = context
        self.namespace = namespace
        loop = Task {
            var backoff: Duration = .milliseconds(500)
            while !Task.isCancelled {
                let began = ContinuousClock.now
                do {
                    let process = try await runner.launch(executable: kubectlPath, arguments: arguments)
                    // A background observer: its start (a Go binary, twice through the dispatcher) must not take
                    // the CPU from the forwards' traffic (its group, every thread in it: nice 10).
                    _ = setpriority(__priority_which_t(PRIO_PGRP.rawValue), id_t(process.processID), 10)
                    logger.debug("pod watch started", metadata: ["context": "\(context)", "namespace": "\(namespace)"])
                    var splitter = JSONObjectStreamSplitter()
                    for await chunk in process.output {
                        guard case .standardOutput(let bytes) = chunk else { continue }
                        for object in splitter.append(bytes) {
                            guard let event = try? KubeJSONDecoding.watchEvent(from: Data(object)) else { continue }
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
                } catch {
                    logger.info("pod watch could not start", metadata: ["error": "\(error)"])
                }
                if Task.isCancelled { break }
                if ContinuousClock.now - began > .seconds(10) { backoff = .milliseconds(500) }
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
    }

    func stop() async {
        loop.cancel()
        await loop.value
    }
}

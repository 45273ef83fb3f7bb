import Dispatch
import Glibc
import Kube9Kit
import Logging
import Synchronization

/// What the headless commands (`forward`, `up`) share: from creation on, SIGINT/SIGTERM/SIGHUP stop every forward
/// of the manager (even while they connect) instead of killing kube9, and the command can ask whether that happened.
struct SignalStop {
    private final class Flag: Sendable {
        let value = Atomic<Bool>(false)
    }

    private let watcher: SignalWatcher
    private let flag = Flag()
    /// Ends once the manager has stopped everything after a signal.
    let stopper: Task<Void, Never>

    init(stopping manager: PortForwardManager) {
        watcher = SignalWatcher(signals: [SIGINT, SIGTERM, SIGHUP])
        let stream = watcher.stream
        stopper = Task { [flag] in
            for await _ in stream {
                flag.value.store(true, ordering: .sequentiallyConsistent)
                await manager.stopAllForwards()
                return
            }
        }
    }

    var signalled: Bool { flag.value.load(ordering: .sequentiallyConsistent) }

    /// Back to the default signal handling.
    func cancel() {
        stopper.cancel()
        watcher.cancel()
    }

    /// stderr at debug level with `--verbose`, else nothing.
    static func logger(verbose: Bool) -> Logger {
        verbose
            ? Logger(label: "kube9") { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = .debug
                return handler
            } : Logger(label: "kube9") { _ in SwiftLogNoOpLogHandler() }
    }
}

import Dispatch
import Kube9Kit
import Logging
import Synchronization

/// Runs effects as Tasks (never on the UI thread) and posts their answers back as events.
/// `quit`, `copyToClipboard`, `redraw` and `suspend` need the terminal and are handled by the run loop itself.
public struct EffectRunner: Sendable {
    public let backend: any KubeBackend
    public let inbox: EventInbox
    public let logger: Logger
    private let follows = PodListFollows()
    private let reads = ListReads()

    public init(backend: any KubeBackend, inbox: EventInbox, logger: Logger) {
        self.backend = backend
        self.inbox = inbox
        self.logger = logger
    }

    /// Stops following every pod list; returns once their readings and the watches only they needed have ended.
    public func stopFollowingPods() async {
        await follows.stopAll()
        await backend.unfollowAllPods()
    }

    /// Ctrl-Z: hands the connected forwards to a holder and returns once it answers them (nil) or why it cannot.
    /// Blocks the calling thread (the UI's, about to stop).
    func holdForwardsWhileStopped() -> KubeError? {
        let answer = BlockingAnswer<KubeError?>()
        let backend = self.backend
        Task { answer.give(await backend.holdForwardsWhileStopped()) }
        return answer.wait()
    }

    public func run(_ effect: Effect) {
        logger.debug("effect", metadata: ["effect": "\(effect)"])
        let backend = self.backend
        let inbox = self.inbox
        switch effect {
        case .loadContexts:
            Task { inbox.post(.contextsLoaded(await backend.contexts())) }
        case .loadNamespaces(let context):
            reads.start(.namespaces(context: context), inbox: inbox) {
                .namespacesLoaded(context: context, await backend.namespaces(context: context))
            }
        case .loadPods(let context, let namespace):
            reads.start(.pods(NamespaceKey(context: context, namespace: namespace)), inbox: inbox) {
                .podsLoaded(context: context, namespace: namespace, await backend.pods(context: context, namespace: namespace))
            }
        case .loadServices(let context, let namespace):
            reads.start(.services(NamespaceKey(context: context, namespace: namespace)), inbox: inbox) {
                .servicesLoaded(context: context, namespace: namespace, await backend.services(context: context, namespace: namespace))
            }
        case .cancelListRead(let read):
            reads.cancel(read)
        case .followPods(let key):
            follows.follow(key, backend: backend, inbox: inbox)
        case .unfollowPods(let key):
            follows.unfollow(key)
        case .loadAllPods(let context):
            reads.start(.allPods(context: context), inbox: inbox) {
                .allPodsLoaded(context: context, await backend.allPods(context: context))
            }
        case .loadAllServices(let context):
            reads.start(.allServices(context: context), inbox: inbox) {
                .allServicesLoaded(context: context, await backend.allServices(context: context))
            }
        case .loadSavedForwards:
            Task {
                let loaded = await backend.loadSavedForwards()
                inbox.post(.savedForwardsLoaded(loaded.forwards, notice: loaded.notice))
            }
        case .saveForwards(let list):
            Task { inbox.post(.savedForwardsWritten(await backend.saveForwards(list))) }
        case .setHealing(let enabled, let id):
            Task { inbox.post(.healingSet(enabled, forwardID: id, await backend.setHealing(enabled, forwardID: id))) }
        case .refreshForwards(let revision):
            Task { inbox.post(.forwardsRefreshed(await backend.forwards(), asOf: revision)) }
        case .resumePausedForwards:
            Task { await backend.resumePausedForwards() }
        case .checkLocalPort(let port):
            Task { inbox.post(.portChecked(port: port, await backend.checkLocalPort(port))) }
        case .startForward(let request):
            Task { inbox.post(Self.startEvent(request, await backend.startForward(request))) }
        case .startForwards(let requests):
            Task {
                let result = await backend.startForwards(requests)
                for event in Self.startEvents(requests, result) { inbox.post(event) }
            }
        case .setOnDemand(let enabled, let idleTimeout, let id):
            Task {
                let error = await backend.setOnDemand(enabled, idleTimeout: idleTimeout, forwardID: id)
                inbox.post(.onDemandSet(enabled, forwardID: id, error))
            }
        case .stopForward(let record):
            Task { inbox.post(.forwardStopped(record, await backend.stopForward(id: record.id))) }
        case .restartForward(let record):
            let request = record.request
            Task { inbox.post(Self.startEvent(request, await backend.restartForward(id: record.id))) }
        case .stopAllForwards:
            Task {
                let count = await backend.forwards().count
                await backend.stopAllForwards()
                inbox.post(.allForwardsStopped(count: count))
            }
        case .copyToClipboard, .quit, .redraw, .suspend:
            break
        }
    }

    /// One answer per request of an all-or-none start: each started one, or each failed with the one error.
    static func startEvents(_ requests: [ForwardRequest], _ result: Result<[ForwardRecord], KubeError>) -> [AppEvent] {
        switch result {
        case .success(let records): zip(requests, records).map { .forwardStarted($0, $1) }
        case .failure(let error): requests.map { .forwardFailed($0, error) }
        }
    }

    private static func startEvent(_ request: ForwardRequest, _ result: Result<ForwardRecord, KubeError>) -> AppEvent {
        switch result {
        case .success(let record): .forwardStarted(request, record)
        case .failure(let error): .forwardFailed(request, error)
        }
    }
}

/// A value one task gives and one thread waits for.
private final class BlockingAnswer<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)
    private let given = DispatchSemaphore(value: 0)

    func give(_ answer: Value) {
        value.withLock { $0 = answer }
        given.signal()
    }

    func wait() -> Value {
        given.wait()
        return value.withLock { $0! }
    }
}

import Foundation
import Kube9Kit
import Logging

/// What the UI needs from kubectl and the manager. `LiveKubeBackend` is the real one; tests and the run loop's
/// callers may pass another.
public protocol KubeBackend: Sendable {
    func contexts() async -> Result<[KubeContext], KubeError>
    func namespaces(context: String) async -> Result<[KubeNamespace], KubeError>
    func pods(context: String, namespace: String) async -> Result<[Pod], KubeError>
    func services(context: String, namespace: String) async -> Result<[KubeService], KubeError>
    func loadSavedForwards() async -> SavedForwardStore.Loaded
    func saveForwards(_ forwards: [SavedForward]) async -> KubeError?
    func setHealing(_ enabled: Bool, forwardID: String) async -> KubeError?
    func forwards() async -> [ForwardRecord]
    func checkLocalPort(_ port: Int) async -> LocalPortCheck
    func startForward(_ request: ForwardRequest) async -> Result<ForwardRecord, KubeError>
    /// Starts several forwards, all or none; forwards to one pod share one kubectl. Records in request order.
    func startForwards(_ requests: [ForwardRequest]) async -> Result<[ForwardRecord], KubeError>
    /// Switches a forward to on demand (kubectl stops after `idleTimeout` with no connection open) or always on.
    func setOnDemand(_ enabled: Bool, idleTimeout: Duration, forwardID: String) async -> KubeError?
    func stopForward(id: String) async -> KubeError?
    func restartForward(id: String) async -> Result<ForwardRecord, KubeError>
    func stopAllForwards() async
    func events() -> AsyncStream<ForwardEvent>
    /// Every pod of the context (all namespaces), for the finder.
    func allPods(context: String) async -> Result<[Pod], KubeError>
    /// Every service of the context (all namespaces), for the finder.
    func allServices(context: String) async -> Result<[KubeService], KubeError>
    /// The changes of a namespace's pods (first the whole list) until the reading ends.
    func followPods(context: String, namespace: String) async -> AsyncStream<PodListChange>
    /// Ends every pod list's following (quitting); returns once their watches (unless forwards need them) have ended.
    func unfollowAllPods() async
    /// Forwards paused because their context's credentials failed try again.
    func resumePausedForwards() async
    /// The list reads' credential plugins asking the person to log in (the context, the plugin's line), as they
    /// come. One reader (the UI).
    func listLoginPrompts() -> AsyncStream<ListLoginPrompt>
    /// Before kube9 stops as a job: hands the connected forwards' listeners to a holder process that answers them
    /// meanwhile; returns once it does (nil), or why it could not.
    func holdForwardsWhileStopped() async -> KubeError?
    /// kube9 was continued: the holder stops accepting (it exits once its connections have closed), then kube9
    /// accepts again.
    func releaseHeldForwards() async
}

extension KubeBackend {
    public func resumePausedForwards() async {}

    /// A backend whose forwards need no holder.
    public func holdForwardsWhileStopped() async -> KubeError? { nil }

    public func releaseHeldForwards() async {}

    /// A backend whose reads never ask for a login.
    public func listLoginPrompts() -> AsyncStream<ListLoginPrompt> {
        AsyncStream { $0.finish() }
    }

    public func allPods(context: String) async -> Result<[Pod], KubeError> {
        .failure(KubeError(.other, "This backend cannot list every pod"))
    }

    /// A backend without watches: lists change on `r` only.
    public func followPods(context: String, namespace: String) async -> AsyncStream<PodListChange> {
        AsyncStream { $0.finish() }
    }

    public func unfollowAllPods() async {}

    /// One start after the other; the first failure stops those started before it.
    public func startForwards(_ requests: [ForwardRequest]) async -> Result<[ForwardRecord], KubeError> {
        var records: [ForwardRecord] = []
        for request in requests {
            switch await startForward(request) {
            case .success(let record): records.append(record)
            case .failure(let error):
                for record in records { _ = await stopForward(id: record.id) }
                return .failure(error)
            }
        }
        return .success(records)
    }

    public func setOnDemand(_ enabled: Bool, idleTimeout: Duration, forwardID: String) async -> KubeError? {
        KubeError(.other, "This backend cannot switch forwards on demand")
    }

    public func allServices(context: String) async -> Result<[KubeService], KubeError> {
        .failure(KubeError(.other, "This backend cannot list every service"))
    }
}

/// The backend over Kube9Kit: `KubectlClient` for reading, `PortForwardManager` for forwards.
public struct LiveKubeBackend: KubeBackend {
    public let client: KubectlClient
    public let manager: PortForwardManager
    public let savedStore: SavedForwardStore
    /// False with `--no-heal`: every forward starts with healing off.
    public let healsByDefault: Bool
    /// Answers the forwards while kube9 is stopped (Ctrl-Z).
    public let handover: ForwardHandover
    private let prompts: AsyncStream<ListLoginPrompt>

    public init(
        configuration: KubectlConfiguration, logger: Logger,
        savedStore: SavedForwardStore = SavedForwardStore(environment: ProcessInfo.processInfo.environment),
        healsByDefault: Bool = true
    ) {
        let manager = PortForwardManager(configuration: configuration, logger: logger)
        var client = KubectlClient(configuration: configuration, logger: logger)
        // A list's credential plugin asks for a login: told to the UI at once (it shows the line, Esc gives up).
        let (prompts, promptSink) = AsyncStream.makeStream(of: ListLoginPrompt.self, bufferingPolicy: .bufferingNewest(64))
        client.onLoginPrompt = { context, line in promptSink.yield(ListLoginPrompt(context: context, line: line)) }
        self.prompts = prompts
        self.client = client
        self.manager = manager
        self.savedStore = savedStore
        self.healsByDefault = healsByDefault
        self.handover = ForwardHandover(
            runner: ProcessRunner(environment: configuration.environment, logger: logger),
            executable: ForwardHandover.currentExecutable, logger: logger)
    }

    public func services(context: String, namespace: String) async -> Result<[KubeService], KubeError> {
        await reading(context) { () async throws(KubeError) in try await client.services(context: context, namespace: namespace) }
    }

    /// A read in `context`; its outcome tells the manager whether the context's credentials work (a success resumes
    /// forwards paused there).
    private func reading<T>(_ context: String, _ body: () async throws(KubeError) -> T) async -> Result<T, KubeError> {
        do {
            let value = try await body()
            await manager.noteCall(context: context, error: nil)
            return .success(value)
        } catch {
            await manager.noteCall(context: context, error: error)
            return .failure(error)
        }
    }

    public func resumePausedForwards() async { await manager.resumeAllContexts() }

    public func listLoginPrompts() -> AsyncStream<ListLoginPrompt> { prompts }

    public func loadSavedForwards() async -> SavedForwardStore.Loaded { savedStore.load() }

    public func saveForwards(_ forwards: [SavedForward]) async -> KubeError? {
        do {
            try savedStore.save(forwards)
            return nil
        } catch {
            return error
        }
    }

    public func setHealing(_ enabled: Bool, forwardID: String) async -> KubeError? {
        do {
            try await manager.setHealing(enabled, forwardID: forwardID)
            return nil
        } catch {
            return error
        }
    }

    public func contexts() async -> Result<[KubeContext], KubeError> {
        do { return .success(try await client.contexts()) } catch { return .failure(error) }
    }

    public func namespaces(context: String) async -> Result<[KubeNamespace], KubeError> {
        await reading(context) { () async throws(KubeError) in try await client.namespaces(context: context) }
    }

    public func pods(context: String, namespace: String) async -> Result<[Pod], KubeError> {
        await reading(context) { () async throws(KubeError) in try await client.pods(context: context, namespace: namespace) }
    }

    public func forwards() async -> [ForwardRecord] { await manager.forwards() }

    public func allPods(context: String) async -> Result<[Pod], KubeError> {
        await reading(context) { () async throws(KubeError) in try await client.podsInAllNamespaces(context: context) }
    }

    public func allServices(context: String) async -> Result<[KubeService], KubeError> {
        do { return .success(try await client.servicesInAllNamespaces(context: context)) } catch { return .failure(error) }
    }

    public func followPods(context: String, namespace: String) async -> AsyncStream<PodListChange> {
        await manager.followPods(context: context, namespace: namespace)
    }

    public func unfollowAllPods() async { await manager.unfollowAllPods() }

    public func checkLocalPort(_ port: Int) async -> LocalPortCheck { manager.checkLocalPort(port) }

    public func startForward(_ request: ForwardRequest) async -> Result<ForwardRecord, KubeError> {
        do { return .success(try await manager.startForward(withHealing(request))) } catch { return .failure(error) }
    }

    /// `request` as started: healing off with `--no-heal`.
    private func withHealing(_ request: ForwardRequest) -> ForwardRequest {
        var request = request
        if !healsByDefault { request.heals = false }
        return request
    }

    public func startForwards(_ requests: [ForwardRequest]) async -> Result<[ForwardRecord], KubeError> {
        do { return .success(try await manager.startForwards(requests.map(withHealing))) } catch { return .failure(error) }
    }

    public func setOnDemand(_ enabled: Bool, idleTimeout: Duration, forwardID: String) async -> KubeError? {
        do {
            try await manager.setOnDemand(enabled, idleTimeout: idleTimeout, forwardID: forwardID)
            return nil
        } catch {
            return error
        }
    }

    public func stopForward(id: String) async -> KubeError? {
        do {
            try await manager.stopForward(id: id)
            return nil
        } catch {
            return error
        }
    }

    public func restartForward(id: String) async -> Result<ForwardRecord, KubeError> {
        do { return .success(try await manager.restartForward(id: id)) } catch { return .failure(error) }
    }

    /// Every forward stops, and any holder still answering for them (quit, a signal, `X`).
    public func stopAllForwards() async {
        await handover.endAll()
        await manager.stopAllForwards()
    }

    /// kube9's listeners stop accepting on the ports handed over (never two acceptors at once), until released.
    public func holdForwardsWhileStopped() async -> KubeError? {
        let targets = ForwardHandover.unambiguous(await manager.handoverTargets())
        let ports = Set(targets.map(\.localPort))
        await manager.setAccepting(false, localPorts: ports)
        do {
            try await handover.hold(targets)
            return nil
        } catch {
            await manager.setAccepting(true, localPorts: await handover.release())
            return error
        }
    }

    public func releaseHeldForwards() async {
        await manager.setAccepting(true, localPorts: await handover.release())
    }

    public func events() -> AsyncStream<ForwardEvent> { manager.events() }
}

import Foundation
import Kube9Kit
import Testing
@testable import Kube9TUI

/// The pieces of the run loop that do not need a terminal.
@Suite struct RuntimeTests {
    /// A backend that answers from memory and counts stopAll calls.
    final class FakeBackend: KubeBackend, @unchecked Sendable {
        let lock = NSLock()
        var stopAllCalls = 0

        func contexts() async -> Result<[KubeContext], KubeError> { .success(Fixtures.contexts) }
        func namespaces(context: String) async -> Result<[KubeNamespace], KubeError> { .success(Fixtures.namespaces) }
        func pods(context: String, namespace: String) async -> Result<[Pod], KubeError> { .success(Fixtures.pods) }
        func forwards() async -> [ForwardRecord] { [Fixtures.forward()] }
        func checkLocalPort(_ port: Int) async -> LocalPortCheck { port == 8080 ? .inUse(suggestion: 8081) : .available }
        func startForward(_ request: ForwardRequest) async -> Result<ForwardRecord, KubeError> { .success(Fixtures.forward()) }
        func stopForward(id: String) async -> KubeError? { KubeError(.notFound, "Forward \(id) not found") }
        func restartForward(id: String) async -> Result<ForwardRecord, KubeError> { .success(Fixtures.forward()) }
        func stopAllForwards() async { lock.withLock { stopAllCalls += 1 } }
        func events() -> AsyncStream<ForwardEvent> { AsyncStream { $0.finish() } }
        func services(context: String, namespace: String) async -> Result<[KubeService], KubeError> { .success(Fixtures.services) }
        func loadSavedForwards() async -> SavedForwardStore.Loaded { .init(forwards: [Fixtures.saved()], notice: nil) }
        func saveForwards(_ forwards: [SavedForward]) async -> KubeError? { nil }
        func setHealing(_ enabled: Bool, forwardID: String) async -> KubeError? { nil }
    }

    @Test func inboxQueuesEventsAndWakesThePipe() throws {
        let inbox = try EventInbox()
        inbox.post(.tick(Fixtures.start))
        inbox.post(.copied("x"))
        var byte = UInt8(SIGTERM)
        _ = write(inbox.writeFD, &byte, 1)
        var fds = [pollfd(fd: inbox.readFD, events: Int16(POLLIN), revents: 0)]
        #expect(poll(&fds, 1, 1000) == 1)
        #expect(inbox.drainWakeups() == [SIGTERM])
        #expect(inbox.drain().count == 2)
        #expect(inbox.drain().isEmpty)
        #expect(poll(&fds, 1, 0) == 0)
    }

    @Test func effectsComeBackAsEvents() async throws {
        let inbox = try EventInbox()
        let runner = EffectRunner(backend: FakeBackend(), inbox: inbox, logger: .init(label: "test"))
        runner.run(.loadContexts)
        runner.run(.checkLocalPort(8080))
        runner.run(.stopForward(Fixtures.forward()))
        let events = try await Fixtures.events(from: inbox, count: 3)
        #expect(events.count == 3)
        var state = Fixtures.state()
        for event in events { state = AppUpdate.update(state, event).0 }
        #expect(state.tree.contexts.value == Fixtures.contexts)
        #expect(state.message == MessageLine(.error, "Forward dev/default/web-0/8080 not found"))
    }

    @Test func withoutATerminalKube9SaysSoAndStopsNothing() async {
        let backend = FakeBackend()
        let status = await Kube9App.run(backend: backend, options: AppOptions(), hasTerminal: false)
        #expect(status == 1)
        #expect(backend.lock.withLock { backend.stopAllCalls } == 0)
    }

    @Test func theStartEffectsFillTheTreeWithContextsForwardsAndSavedForwards() async throws {
        let inbox = try EventInbox()
        let runner = EffectRunner(backend: FakeBackend(), inbox: inbox, logger: .init(label: "test"))
        for effect in AppUpdate.initialEffects { runner.run(effect) }
        var state = Fixtures.state()
        let deadline = Date().addingTimeInterval(20)
        var received = 0
        while received < AppUpdate.initialEffects.count, Date() < deadline {
            try await Task.sleep(for: .milliseconds(10))
            _ = inbox.drainWakeups()
            for event in inbox.drain() {
                state = AppUpdate.update(state, event).0
                received += 1
            }
        }
        #expect(state.tree.contexts.value == Fixtures.contexts)
        #expect(state.tree.forwards == [Fixtures.forward()])
        #expect(state.tree.saved == [Fixtures.saved()])
    }

    @Test func exitStatusesForSignals() {
        #expect(SignalTrap.exitStatus(for: SIGINT) == 130)
        #expect(SignalTrap.exitStatus(for: SIGTERM) == 143)
        #expect(SignalTrap.exitStatus(for: SIGHUP) == 129)
    }

    @Test func logFileLivesUnderXDGStateHome() throws {
        #expect(FileLogHandler.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/kube9/kube9.log")
        #expect(FileLogHandler.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/state/kube9/kube9.log")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kube9-log-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = try #require(FileLogHandler.LogFile(path: directory + "/kube9/kube9.log"))
        var handler = FileLogHandler(label: "kube9", file: file)
        handler[metadataKey: "context"] = "dev"
        handler.log(event: .init(level: .info, message: "hello", metadata: ["port": "80"], source: "t", file: #fileID, function: #function, line: #line))
        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        #expect(text.hasSuffix(" info kube9: hello context=dev port=80\n"))
    }

    @Test func kubeconfigLabel() {
        #expect(Kube9App.kubeconfigLabel(KubectlConfiguration(kubeconfig: "/tmp/k")) == "/tmp/k")
    }
}

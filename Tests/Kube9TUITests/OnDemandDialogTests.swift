import Foundation
import Kube9Kit
import Testing
@testable import Kube9TUI

/// The port dialog's on-demand checkbox (issue 13): `d`, Space on its row, a click; the forwards it starts; several
/// marked ports start together through the manager's `startForwards`.
@Suite struct OnDemandDialogTests {
    /// The dialog on web-0 (ports 80 and 9090), local 80 reported free.
    static func opened(width: Int = 80, height: Int = 24) -> AppState {
        let s = Fixtures.press(Fixtures.loaded(width: width, height: height), .down, .character("f")).0
        return Fixtures.apply(s, .portChecked(port: 80, .available))
    }

    static func request(local: Int = 80, remote: Int = 80, onDemand: Bool = true) -> ForwardRequest {
        ForwardRequest(
            context: "dev", namespace: "default", name: "web-0", localPort: local, remotePort: remote,
            onDemand: onDemand)
    }

    @Test func theCheckboxRowExplainsTheIdleTimeoutAt80x24() {
        let s = Self.opened()
        let lines = Fixtures.lines(s).map { String($0.dropFirst(8)) }
        // Between the local port's lines and the address (the whole box: PortDialogTests).
        func inner(_ text: String) -> String { "│ " + text.padding(toLength: 60, withPad: " ", startingAt: 0) + " │" }
        #expect(lines[12] == inner("Port 80 is free"))
        #expect(lines[13] == inner("  On demand   [ ] kubectl from first use until 10 min idle"))
        #expect(lines[14] == inner("  Address     localhost"))
        // d ticks it; Tab from the local port reaches its row, which is then marked as focused.
        let ticked = Fixtures.press(s, .character("d"), .tab, .tab)
        #expect(ticked.1.isEmpty)
        #expect(ticked.0.dialog?.onDemand == true)
        #expect(ticked.0.dialog?.focus == .onDemand)
        let tickedLines = Fixtures.lines(ticked.0).map { String($0.dropFirst(8)) }
        #expect(tickedLines[13] == inner("▸ On demand   [x] kubectl from first use until 10 min idle"))
    }

    @Test func theCheckboxFitsAt40x12() {
        let s = Fixtures.press(Self.opened(width: 40, height: 12), .character("d")).0
        let lines = Fixtures.lines(s)
        #expect(lines.count == 12)
        let row = try! #require(lines.first { $0.contains("On demand") })
        #expect(row.contains("On demand   [x] kubectl from"))
        #expect(row.contains("…"))
        #expect(lines.contains { $0.contains("Local port") })
        #expect(lines.contains { $0.contains("[ ] 80 (http)") })
        #expect(lines.allSatisfy { CharacterWidth.of($0) <= 40 })
    }

    @Test func dOnThePortsAndTheLocalFieldSpaceOnItsRowTickAndUntick() {
        var s = Self.opened()
        // On the port list and in the local field, d ticks (it is no port digit); Space on the row unticks.
        s = Fixtures.press(s, .character("d")).0
        #expect(s.dialog?.onDemand == true && s.dialog?.note == nil)
        s = Fixtures.press(s, .tab, .character("d")).0
        #expect(s.dialog?.onDemand == false && s.dialog?.localText == "80")
        s = Fixtures.press(s, .tab, .character(" ")).0
        #expect(s.dialog?.focus == .onDemand && s.dialog?.onDemand == true)
        s = Fixtures.press(s, .character("d")).0
        #expect(s.dialog?.onDemand == false)
        // Shift-Tab from the ports still reaches the address; Esc on the row steps back to the ports.
        #expect(Fixtures.press(s, .tab).0.dialog?.focus == .address)
        #expect(Fixtures.press(s, .escape).0.dialog?.focus == .remote)
        #expect(Fixtures.press(s, .escape).0.dialog != nil)
        // In the address field d is a letter of a host name.
        s = Fixtures.press(s, .tab, .character("d")).0
        #expect(s.dialog?.addressText == "localhostd" && s.dialog?.onDemand == false)
        #expect(Fixtures.press(s, .tab).0.dialog?.focus == .remote)
    }

    @Test func enterWithTheBoxTickedStartsAnOnDemandForward() {
        var (s, effects) = Fixtures.press(Self.opened(), .character("d"), .enter)
        #expect(effects == [.startForward(Self.request())])
        #expect(Self.request().idleTimeout == .seconds(600))
        #expect(s.dialog == nil)
        #expect(s.message == MessageLine(.progress, "Starting port forward for web-0..."))
        var record = Fixtures.forward(local: 80)
        record.onDemand = true
        (s, effects) = Fixtures.run(s, [.forwardEvent(.added(record)), .forwardStarted(Self.request(), record)])
        #expect(s.message == MessageLine(.success, "Port forward established: localhost:80 → default/web-0:80"))
        // The row says it costs nothing yet; the status line counts it (it answers).
        let lines = Fixtures.lines(s)
        #expect(lines.contains { $0.contains("localhost:80 → default/web-0:80  dev • on demand • idle") })
        #expect(lines[23].hasSuffix("kube9: 1 forward active"))
        record.backendRunning = true
        s = Fixtures.apply(s, .forwardEvent(.updated(record)))
        #expect(Fixtures.lines(s).contains { $0.contains("dev • on demand • active") })
    }

    @Test func aClickOnTheRowTicksItLikeAClickOnAField() {
        var s = Self.opened()
        let layout = PortDialogView.layout(s.dialog!, size: s.size, glyphs: s.glyphs)
        #expect(layout.onDemandRow == layout.addressRow - 1)
        let click = Key.mouse(MouseEvent(.click, x: layout.box.x + 4, y: layout.onDemandRow))
        s = Fixtures.press(s, click).0
        #expect(s.dialog?.focus == .onDemand && s.dialog?.onDemand == true)
        s = Fixtures.press(s, click).0
        #expect(s.dialog?.onDemand == false)
        // The other fields' rows still focus theirs.
        s = Fixtures.press(s, .mouse(MouseEvent(.click, x: layout.box.x + 4, y: layout.addressRow))).0
        #expect(s.dialog?.focus == .address && s.dialog?.onDemand == false)
    }

    @Test func aForwardOrSavedRowReopensTheDialogWithItsSetting() {
        var saved = Fixtures.saved()
        saved.setOnDemand(true, idleTimeout: .seconds(90))
        var s = Fixtures.apply(Fixtures.loaded(), .savedForwardsLoaded([saved], notice: nil), .key(.home), .key(.right), .key(.down))
        #expect(s.selectedRow?.id == .savedForward(saved))
        s = Fixtures.press(s, .character("f")).0
        #expect(s.dialog?.onDemand == true)
        #expect(s.dialog?.idleTimeout == .seconds(90))
        #expect(Fixtures.lines(s).contains { $0.contains("[x] kubectl from first use until 90 s idle") })
    }

    /// Marked ports go to the manager together (one kubectl per pod, all or none), with the on-demand setting;
    /// the messages are the ones several separate starts gave.
    @Test func markedPortsStartTogetherEagerOrOnDemand() {
        for onDemand in [false, true] {
            var s = Self.opened()
            var effects: [Effect]
            if onDemand { s = Fixtures.press(s, .character("d")).0 }
            s = Fixtures.press(s, .character(" "), .down, .character(" ")).0
            s = Fixtures.run(s, [.portChecked(port: 80, .available), .portChecked(port: 9090, .available)]).0
            (s, effects) = Fixtures.press(s, .enter)
            let first = Self.request(local: 80, remote: 80, onDemand: onDemand)
            let second = Self.request(local: 9090, remote: 9090, onDemand: onDemand)
            #expect(effects == [.startForwards([first, second])])
            #expect(s.message == MessageLine(.progress, "Starting 2 port forwards..."))
            #expect(s.startingForwards == [first, second])
            // Both started: each reported, then the sum.
            let records = [Fixtures.forward(local: 80), Fixtures.forward(local: 9090, remote: 9090)]
            let started = Fixtures.run(s, EffectRunner.startEvents([first, second], .success(records))).0
            #expect(started.message == MessageLine(.success, "Started 2 port forwards"))
            #expect(started.startingForwards.isEmpty && started.batch == nil)
            // None started: the one error, counted as today's partial starts were.
            let failed = Fixtures.run(s, EffectRunner.startEvents([first, second], .failure(KubeError(.other, "boom")))).0
            #expect(failed.message == MessageLine(.error, "Started 0 of 2 port forwards; boom"))
            #expect(failed.startingForwards.isEmpty && failed.batch == nil && failed.dialog == nil)
        }
    }

    @Test func markedPortsOnANonLoopbackAddressStartTogetherOnceConfirmed() {
        var s = Fixtures.press(Self.opened(), .character(" "), .down, .character(" ")).0
        s = Fixtures.run(s, [.portChecked(port: 80, .available), .portChecked(port: 9090, .available)]).0
        s = Fixtures.run(s, [.key(.backTab), .key(.control("u"))] + Fixtures.type("0.0.0.0") + [.key(.enter)]).0
        #expect(s.confirmation != nil)
        let effects = Fixtures.press(s, .character("y")).1
        var first = Self.request(local: 80, remote: 80, onDemand: false)
        var second = Self.request(local: 9090, remote: 9090, onDemand: false)
        first.address = "0.0.0.0"
        second.address = "0.0.0.0"
        #expect(effects == [.startForwards([first, second])])
    }

    @Test func startAllSavedStillStartsOneByOne() {
        let saved = [Fixtures.saved(), Fixtures.saved(local: 9090, remote: 9090)]
        let (s, effects) = Fixtures.press(Fixtures.apply(Fixtures.loaded(), .savedForwardsLoaded(saved, notice: nil)), .character("S"))
        #expect(effects == saved.map { .startForward($0.request()) })
        #expect(s.batch?.isSaved == true)
    }
}

/// The runtime's side: `.startForwards` and `.setOnDemand` reach the backend and come back as events.
@Suite struct OnDemandEffectTests {
    /// Starts fail on one local port; records the stops and the on-demand switches.
    final class Backend: KubeBackend, @unchecked Sendable {
        let lock = NSLock()
        let failingPort: Int?
        var stopped: [String] = []
        var switched: [String] = []

        init(failingPort: Int?) { self.failingPort = failingPort }

        func contexts() async -> Result<[KubeContext], KubeError> { .success(Fixtures.contexts) }
        func namespaces(context: String) async -> Result<[KubeNamespace], KubeError> { .success(Fixtures.namespaces) }
        func pods(context: String, namespace: String) async -> Result<[Pod], KubeError> { .success(Fixtures.pods) }
        func services(context: String, namespace: String) async -> Result<[KubeService], KubeError> { .success([]) }
        func loadSavedForwards() async -> SavedForwardStore.Loaded { .init(forwards: [], notice: nil) }
        func saveForwards(_ forwards: [SavedForward]) async -> KubeError? { nil }
        func setHealing(_ enabled: Bool, forwardID: String) async -> KubeError? { nil }
        func forwards() async -> [ForwardRecord] { [] }
        func checkLocalPort(_ port: Int) async -> LocalPortCheck { .available }
        func startForward(_ request: ForwardRequest) async -> Result<ForwardRecord, KubeError> {
            if request.localPort == failingPort { return .failure(KubeError(.portInUse, "Port \(request.localPort) is already in use")) }
            return .success(Fixtures.forward(local: request.localPort, remote: request.remotePort))
        }
        func stopForward(id: String) async -> KubeError? {
            lock.withLock { stopped.append(id) }
            return nil
        }
        func restartForward(id: String) async -> Result<ForwardRecord, KubeError> { .failure(KubeError(.other, "no")) }
        func stopAllForwards() async {}
        func events() -> AsyncStream<ForwardEvent> { AsyncStream { $0.finish() } }
    }

    @Test func startForwardsIsAllOrNoneAndAnsweredPerRequest() async throws {
        let first = OnDemandDialogTests.request(local: 80, remote: 80)
        let second = OnDemandDialogTests.request(local: 9090, remote: 9090)
        for failing in [nil, 9090] {
            let backend = Backend(failingPort: failing)
            let inbox = try EventInbox()
            EffectRunner(backend: backend, inbox: inbox, logger: .init(label: "test")).run(.startForwards([first, second]))
            let events = try await Fixtures.events(from: inbox, count: 2)
            var state = Fixtures.loaded()
            state.startingForwards = [first, second]
            state.batch = StartBatch(requests: [first, second])
            for event in events { state = AppUpdate.update(state, event).0 }
            if failing == nil {
                #expect(state.message == MessageLine(.success, "Started 2 port forwards"))
                #expect(backend.lock.withLock { backend.stopped }.isEmpty)
            } else {
                // The one that started is stopped again; both are answered with the one error.
                #expect(state.message == MessageLine(.error, "Started 0 of 2 port forwards; Port 9090 is already in use"))
                #expect(backend.lock.withLock { backend.stopped } == [Fixtures.forward(local: 80).id])
                #expect(state.dialog == nil)
            }
        }
    }

    @Test func setOnDemandComesBackAsAnEvent() async throws {
        let inbox = try EventInbox()
        EffectRunner(backend: Backend(failingPort: nil), inbox: inbox, logger: .init(label: "test"))
            .run(.setOnDemand(true, idleTimeout: .seconds(600), forwardID: "dev/default/web-0/8080"))
        let events = try await Fixtures.events(from: inbox, count: 1)
        guard case .onDemandSet(true, "dev/default/web-0/8080", let error?) = events.first else {
            Issue.record("unexpected \(events)")
            return
        }
        // This backend has no manager: it says so (the live one asks PortForwardManager.setOnDemand).
        #expect(error.message == "This backend cannot switch forwards on demand")
    }
}

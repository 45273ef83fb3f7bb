import Foundation
import Kube9Kit
import Testing
@testable import Kube9TUI

/// Issue 7 in the TUI: the Services node, saved forwards, activity and healing on forward rows.
@Suite struct ServicesSavedActivityTests {
    static let servicesID = NodeID.services(context: "dev", namespace: "default")

    /// `loaded()` with the namespace's Services node expanded and its services loaded.
    static func withServices(width: Int = 80, height: Int = 24) -> AppState {
        var s = Fixtures.loaded(width: width, height: height)
        s.select(servicesID)
        return Fixtures.apply(s, .key(.right), .servicesLoaded(context: "dev", namespace: "default", .success(Fixtures.services)))
    }

    @Test func servicesNodeLoadsOnFirstExpandWithALoadingRow() {
        var s = Fixtures.loaded()
        s.select(Self.servicesID)
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .right)
        #expect(effects == [.loadServices(context: "dev", namespace: "default")])
        #expect(Fixtures.lines(s).contains { $0.contains("Loading…") })
        s = Fixtures.apply(s, .servicesLoaded(context: "dev", namespace: "default", .success(Fixtures.services)))
        let lines = Fixtures.lines(s)
        #expect(lines.contains("    ▾ Services"))
        #expect(lines.contains("        web  ClusterIP   80/TCP,9090/TCP"))
        #expect(lines.contains("        db   NodePort    5432/TCP"))
        // Collapsed and opened again: no second load.
        (s, effects) = Fixtures.press(s, .left, .right)
        #expect(effects.isEmpty)
        // `r` on a service reloads the list.
        (s, effects) = Fixtures.press(s, .down, .character("r"))
        #expect(effects == [.loadServices(context: "dev", namespace: "default")])
    }

    @Test func failedAndEmptyServiceLists() {
        var s = Fixtures.loaded()
        s.select(Self.servicesID)
        s = Fixtures.apply(s, .key(.right), .servicesLoaded(context: "dev", namespace: "default", .failure(KubeError(.forbidden, "nope"))))
        #expect(Fixtures.lines(s).contains("        ✗ nope"))
        s = Fixtures.apply(s, .key(.character("r")), .servicesLoaded(context: "dev", namespace: "default", .success([])))
        #expect(Fixtures.lines(s).contains("        No services"))
    }

    @Test func enterOnAServiceOpensTheDialogWithItsPortsAndForwardsTheService() {
        var s = Self.withServices()
        s.select(.service(context: "dev", namespace: "default", name: "web"))
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .enter)
        #expect(s.dialog?.kind == .service)
        #expect(s.dialog?.options.map(\.label) == ["80 (http)", "9090 (metrics)"])
        #expect(effects == [.checkLocalPort(80)])
        let text = Fixtures.lines(s).joined(separator: "\n")
        #expect(text.contains("Port forward dev: default/svc/web"))
        s = Fixtures.apply(s, .portChecked(port: 80, .available))
        (s, effects) = Fixtures.press(s, .enter)
        let request = ForwardRequest(context: "dev", namespace: "default", name: "web", localPort: 80, remotePort: 80, kind: .service)
        #expect(effects == [.startForward(request)])
        #expect(s.message == MessageLine(.progress, "Starting port forward for svc/web..."))
        let record = Fixtures.forward("web", local: 80, kind: .service)
        s = Fixtures.apply(s, .forwardStarted(request, record))
        #expect(s.message == MessageLine(.success, "Port forward established: localhost:80 → default/svc/web:80"))
        // `f` works too; a service forward does not badge a pod of the same name.
        s.select(.service(context: "dev", namespace: "default", name: "db"))
        (s, _) = Fixtures.press(s, .character("f"))
        #expect(s.dialog?.podName == "db")
    }

    @Test func serviceForwardRowReadsSvc() {
        let s = Fixtures.apply(Fixtures.loaded(forwards: [Fixtures.forward("web", kind: .service)]), .key(.home), .key(.right))
        #expect(Fixtures.lines(s)[2] == "    localhost:8080 → default/svc/web:80  dev • connected • 5m 32s")
    }

    @Test func activityReconnectingHealingAndExposedAddressOnForwardRows() {
        let forwards = [
            Fixtures.forward(connections: 3, lastConnectionAge: 12),
            Fixtures.forward("api", local: 9000, status: .reconnecting, heals: true, attempt: 2),
            Fixtures.forward("db", local: 9100, address: "0.0.0.0", heals: false),
        ]
        let s = Fixtures.apply(Fixtures.loaded(width: 120, height: 40, forwards: forwards), .key(.home), .key(.right))
        let lines = Fixtures.lines(s)
        #expect(lines[2] == "    localhost:9000 → default/api:80  dev • reconnecting (attempt 2) • 5m 32s")
        #expect(lines[3] == "    ⚠ 0.0.0.0:9100 → default/db:80  dev • connected • 5m 32s • no-heal")
        #expect(lines[4] == "    localhost:8080 → default/web-0:80  dev • connected • 5m 32s • 3 conns • last 12s ago")
        // Reconnecting counts as live (asks before quit) but not as active on the status line.
        #expect(s.connectedForwardCount == 2)
        #expect(s.liveForwardCount == 3)
        let ascii = Fixtures.apply(Fixtures.loaded(width: 120, height: 40, unicode: false, forwards: forwards), .key(.home), .key(.right))
        #expect(Fixtures.lines(ascii)[3] == "    ! 0.0.0.0:9100 -> default/db:80  dev - connected - 5m 32s - no-heal")
        #expect(Fixtures.lines(ascii)[4].hasSuffix("3 conns - last 12s ago"))
    }

    @Test func healingKeyTogglesThroughTheManagerAndCopyURLUsesTheAddress() {
        let forwards = [Fixtures.forward(), Fixtures.forward("db", local: 9100, address: "192.168.1.5", heals: false)]
        var s = Fixtures.apply(Fixtures.loaded(forwards: forwards), .key(.home), .key(.right), .key(.down))
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .character("H"), .character("c"))
        #expect(effects == [.setHealing(true, forwardID: "dev/default/db/9100"), .copyToClipboard("http://192.168.1.5:9100")])
        s = Fixtures.apply(s, .healingSet(true, forwardID: "dev/default/db/9100", nil))
        #expect(s.message == MessageLine(.info, UIText.healingOn))
        (s, effects) = Fixtures.press(s, .down, .character("H"), .character("c"))
        #expect(effects == [.setHealing(false, forwardID: "dev/default/web-0/8080"), .copyToClipboard("http://localhost:8080")])
        s = Fixtures.apply(s, .healingSet(false, forwardID: "x", KubeError(.notFound, "Forward x not found")))
        #expect(s.message == MessageLine(.error, "Forward x not found"))
    }

    @Test func noticesShowOnTheMessageLine() {
        let s = Fixtures.apply(Fixtures.loaded(), .forwardEvent(.notice(Notice(.info, Messages.forwardMoved(namespace: "default", pod: "web-1")))))
        #expect(s.message == MessageLine(.info, "Port forward moved to default/web-1"))
    }

    @Test func savingAForwardListsItAndWritesTheFile() {
        var s = Fixtures.apply(Fixtures.loaded(forwards: [Fixtures.forward()]), .key(.home), .key(.right), .key(.down))
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .character("s"))
        #expect(effects == [.saveForwards([Fixtures.saved()])])
        #expect(s.message == MessageLine(.success, "Saved localhost:8080 → default/web-0:80"))
        #expect(Fixtures.lines(s)[2].hasSuffix("5m 32s (saved)"))
        (s, effects) = Fixtures.press(s, .character("s"))
        #expect(effects.isEmpty)
        #expect(s.message == MessageLine(.info, "Already saved: localhost:8080 → default/web-0:80"))
        s = Fixtures.apply(s, .savedForwardsWritten(KubeError(.other, "Saved forwards could not be written to /x: full")))
        #expect(s.message?.kind == .error)
        // Stopped: it stays listed as saved.
        s = Fixtures.apply(s, .forwardEvent(.removed(Fixtures.forward())), .forwardStopped(Fixtures.forward(), nil))
        #expect(Fixtures.lines(s)[2] == "    localhost:8080 → default/web-0:80  dev • ○ stopped (saved)")
    }

    @Test func savedForwardsLoadAtStartStartWithEnterOrAllWithS() {
        var s = Fixtures.apply(Fixtures.loaded(), .savedForwardsLoaded([Fixtures.saved(), Fixtures.saved("web", local: 9090, kind: .service)], notice: nil))
        s = Fixtures.apply(s, .key(.home), .key(.right))
        let lines = Fixtures.lines(s)
        #expect(lines[1] == "▾ Port Forwarding  0 active")
        #expect(lines[2] == "    localhost:8080 → default/web-0:80  dev • ○ stopped (saved)")
        #expect(lines[3] == "    localhost:9090 → default/svc/web:80  dev • ○ stopped (saved)")
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .down, .enter)
        #expect(effects == [.startForward(Fixtures.saved().request())])
        #expect(s.message == MessageLine(.progress, "Starting port forward for web-0..."))
        (s, effects) = Fixtures.press(s, .character("S"))
        #expect(effects == [.startForward(Fixtures.saved().request()), .startForward(Fixtures.saved("web", local: 9090, kind: .service).request())])
        #expect(s.message == MessageLine(.progress, "Starting 2 port forwards..."))
        // Running: the saved row gives way to the forward row.
        s = Fixtures.apply(s, .forwardsRefreshed([Fixtures.forward()], asOf: 0))
        #expect(Fixtures.lines(s)[2].hasPrefix("    localhost:8080 → default/web-0:80  dev • connected"))
        #expect(Fixtures.lines(s)[3] == "    localhost:9090 → default/svc/web:80  dev • ○ stopped (saved)")
    }

    @Test func removingASavedForwardAsksFirst() {
        var s = Fixtures.apply(Fixtures.loaded(), .savedForwardsLoaded([Fixtures.saved(), Fixtures.saved("db", local: 5432, remote: 5432)], notice: nil))
        s = Fixtures.apply(s, .key(.home), .key(.right), .key(.down))
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .character("x"))
        #expect(s.confirmation == .removeSaved(Fixtures.saved()))
        #expect(Fixtures.lines(s).joined().contains("Remove saved port forward localhost:8080 → default/web-0:80?"))
        (s, effects) = Fixtures.press(s, .character("n"))
        #expect(effects.isEmpty && s.tree.saved.count == 2)
        (s, effects) = Fixtures.press(s, .character("x"), .character("y"))
        #expect(effects == [.saveForwards([Fixtures.saved("db", local: 5432, remote: 5432)])])
        #expect(s.tree.saved.count == 1)
    }

    @Test func aCorruptFileNoticeShowsAtStartAndStartAllWithNothingSavedSaysSo() {
        var s = Fixtures.apply(Fixtures.loaded(), .savedForwardsLoaded([], notice: Notice(.error, Messages.savedForwardsCorrupt(keptAt: "/tmp/x.corrupt-1", reason: "not valid JSON"))))
        #expect(s.message == MessageLine(.error, "Saved forwards could not be read (not valid JSON); the file was kept as /tmp/x.corrupt-1"))
        (s, _) = Fixtures.press(s, .character("S"))
        #expect(s.message == MessageLine(.info, UIText.noSavedForwards))
    }
}

/// The port dialog's marks (several ports at once) and bind address.
@Suite struct PortDialogMarksAndAddressTests {
    static func opened() -> AppState {
        Fixtures.press(Fixtures.loaded(width: 80, height: 24), .down, .character("f")).0
    }

    @Test func spaceMarksPortsEachWithItsOwnCheckedLocalPort() {
        var s = Self.opened()
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .character(" "), .down, .character(" "))
        // The marks' checks (80, 9090); the local field shows the selected mark's port (checked with it).
        #expect(effects == [.checkLocalPort(80), .checkLocalPort(9090)])
        #expect(s.dialog?.localText == "9090")
        // 80 is free; 9090 is busy: the suggestion is taken and checked.
        (s, effects) = Fixtures.run(s, [.portChecked(port: 80, .available), .portChecked(port: 9090, .inUse(suggestion: 9091))])
        #expect(effects.contains(.checkLocalPort(9091)))
        #expect(s.dialog?.marked.map(\.local) == [80, 9091])
        // Enter while a check is pending: it says so and starts nothing.
        (s, effects) = Fixtures.press(s, .enter)
        #expect(effects.isEmpty && s.dialog?.note == UIText.checkingPort)
        s = Fixtures.apply(s, .portChecked(port: 9091, .available))
        let text = Fixtures.lines(s).joined(separator: "\n")
        #expect(text.contains("[x] 80 (http)  local 80"))
        #expect(text.contains("[x] 9090 (metrics)  local 9091"))
        (s, effects) = Fixtures.press(s, .enter)
        // Together, so the manager runs one kubectl for the pod (all or none).
        let first = ForwardRequest(context: "dev", namespace: "default", name: "web-0", localPort: 80, remotePort: 80)
        let second = ForwardRequest(context: "dev", namespace: "default", name: "web-0", localPort: 9091, remotePort: 9090)
        #expect(effects == [.startForwards([first, second])])
        #expect(s.dialog == nil)
        #expect(s.message == MessageLine(.progress, "Starting 2 port forwards..."))
        #expect(s.startingForwards.count == 2)
        // Each outcome is reported; the last answer sums the batch up.
        s = Fixtures.apply(s, .forwardStarted(first, Fixtures.forward(local: 80)))
        #expect(s.message == MessageLine(.success, "Port forward established: localhost:80 → default/web-0:80"))
        s = Fixtures.apply(s, .forwardFailed(second, KubeError(.other, "boom")))
        #expect(s.message == MessageLine(.error, "Started 1 of 2 port forwards; boom"))
        #expect(s.batch == nil && s.startingForwards.isEmpty)
    }

    @Test func marksGetDistinctLocalPortsAndSpaceUnmarks() {
        var s = Self.opened()
        (s, _) = Fixtures.press(s, .character(" "))
        s = Fixtures.apply(s, .portChecked(port: 80, .inUse(suggestion: 81)))
        #expect(s.dialog?.marked.first?.local == 81)
        (s, _) = Fixtures.press(s, .character(" "))
        #expect(s.dialog?.marked.isEmpty == true)
    }

    @Test func aSuggestionAnotherMarkUsesMovesUpToTheNextPort() {
        var s = Self.opened()
        var effects: [Effect]
        (s, _) = Fixtures.press(s, .character(" "), .down, .character(" "))
        s = Fixtures.apply(s, .portChecked(port: 9090, .available))
        // 80 is busy and the manager offers 9090, which the other mark holds: 9091 is taken and checked.
        (s, effects) = Fixtures.run(s, [.portChecked(port: 80, .inUse(suggestion: 9090))])
        #expect(s.dialog?.marked.map(\.local) == [9091, 9090])
        #expect(effects.contains(.checkLocalPort(9091)))
    }

    @Test func aNonLoopbackAddressAsksBeforeStarting() {
        var s = Fixtures.apply(Self.opened(), .portChecked(port: 80, .available))
        var effects: [Effect]
        s = Fixtures.run(s, [.key(.backTab), .key(.control("u"))] + Fixtures.type("0.0.0.0")).0
        let dialogBefore = s.dialog
        (s, effects) = Fixtures.press(s, .enter)
        #expect(s.dialog?.focus == nil)
        let request = ForwardRequest(context: "dev", namespace: "default", name: "web-0", localPort: 80, remotePort: 80, address: "0.0.0.0")
        #expect(s.confirmation == .exposeForwards([request], dialog: dialogBefore))
        #expect(effects.isEmpty)
        #expect(Fixtures.lines(s).joined().contains("Listen on 0.0.0.0?"))
        // No: back to the dialog with what was typed; yes: it starts.
        let declined = Fixtures.press(s, .character("n")).0
        #expect(declined.confirmation == nil)
        #expect(declined.dialog == dialogBefore)
        #expect(Fixtures.lines(declined).joined().contains("0.0.0.0"))
        (s, effects) = Fixtures.press(s, .character("y"))
        #expect(effects == [.startForward(request)])
    }

    @Test func localhostStartsAtOnceAndAnEmptyOrInvalidAddressIsRefused() {
        var s = Fixtures.apply(Self.opened(), .portChecked(port: 80, .available))
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .backTab, .control("u"), .enter)
        #expect(effects.isEmpty && s.dialog?.note == Messages.addressEmpty)
        (s, effects) = Fixtures.run(s, Fixtures.type("web") + [.key(.enter)])
        #expect(effects.isEmpty && s.dialog?.note == Messages.addressInvalid("web"))
        (s, _) = Fixtures.press(s, .control("u"))
        (s, effects) = Fixtures.run(s, Fixtures.type("127.0.0.1") + [.key(.enter)])
        #expect(s.confirmation == nil)
        #expect(effects == [.startForward(ForwardRequest(context: "dev", namespace: "default", name: "web-0", localPort: 80, remotePort: 80, address: "127.0.0.1"))])
    }
}

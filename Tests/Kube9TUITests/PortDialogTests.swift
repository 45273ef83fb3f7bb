import Kube9Kit
import Testing
@testable import Kube9TUI

/// The port dialog: opening, editing, validation as you type, the manager's suggestion, Enter and Esc.
@Suite struct PortDialogTests {
    /// The dialog on web-0 (ports 80 and 9090), local prefilled with 80 and reported free.
    static func opened() -> (AppState, [Effect]) {
        let (s, effects) = Fixtures.press(Fixtures.loaded(), .down, .character("f"))
        return (Fixtures.apply(s, .portChecked(port: 80, .available)), effects)
    }

    @Test func opensOnARunningPodWithItsPortsAndChecksTheLocalPort() {
        let (s, effects) = Self.opened()
        #expect(effects == [.checkLocalPort(80)])
        let dialog = try! #require(s.dialog)
        #expect(dialog.options.map(\.label) == ["80 (http)", "9090 (metrics)"])
        #expect(dialog.localText == "80")
        #expect(dialog.localStatus == .available(80))
        // The dialog covers columns 8–71; the tree shows around it.
        let lines = Fixtures.lines(s).map { String($0.dropFirst(8)) }
        func inner(_ text: String) -> String { "│ " + text.padding(toLength: 60, withPad: " ", startingAt: 0) + " │" }
        // No blank rows: the box is as tall as its lines.
        #expect(lines[6] == "┌─ Port forward dev: default/web-0 " + String(repeating: "─", count: 28) + "┐")
        #expect(lines[7] == inner("▸ Remote port"))
        #expect(lines[8] == inner("[ ] 80 (http)"))
        #expect(lines[9] == inner("[ ] 9090 (metrics)"))
        #expect(lines[10] == inner("    Custom…"))
        #expect(lines[11] == inner("  Local port  80"))
        #expect(lines[12] == inner("Port 80 is free"))
        #expect(lines[13] == inner("  On demand   [ ] kubectl from first use until 10 min idle"))
        #expect(lines[14] == inner("  Address     localhost"))
        #expect(lines[15] == inner("Tab: next field  Space: mark  Enter: start  Esc: cancel"))
        #expect(lines[16] == "└" + String(repeating: "─", count: 62) + "┘")
        // The focused field is marked (▸, readable without colour); the selected remote option is reversed.
        #expect(ScreenView.render(s)[12, 8].style.reverse)
        let onLocal = Fixtures.lines(Fixtures.press(s, .tab).0).map { String($0.dropFirst(8)) }
        #expect(onLocal[7] == inner("  Remote port"))
        #expect(onLocal[11] == inner("▸ Local port  80▏"))
    }

    @Test func aPodThatIsNotRunningNeverOpensTheDialog() {
        for (downs, name, phase) in [(2, "queue-0", "Pending"), (3, "job-1", "Succeeded"), (4, "job-2", "Failed"), (5, "ghost", "Unknown")] {
            let keys = Array(repeating: Key.down, count: downs) + [.character("f")]
            let (s, effects) = Fixtures.run(Fixtures.loaded(), keys.map(AppEvent.key))
            #expect(s.dialog == nil)
            #expect(effects.isEmpty)
            #expect(s.message == MessageLine(.error, "Cannot port forward: Pod '\(name)' is not in Running state (current: \(phase))"))
        }
    }

    @Test func severalContainersNameTheContainer() {
        let pod = Fixtures.pod("multi", containers: 2)
        let s = Fixtures.press(Fixtures.loaded(pods: [pod]), .down, .character("f")).0
        #expect(s.dialog?.options.map(\.label) == ["80 (http) [main]", "9001 (side) [sidecar1]"])
    }

    /// A native sidecar's ports (an Istio or Linkerd proxy's) are offered after the app's, named by their container,
    /// and the row counts the sidecar in READY as kubectl does.
    @Test func aNativeSidecarsPortsAreOffered() {
        var pod = Fixtures.pod("meshed")
        pod.containers.append(
            Container(name: "istio-proxy", ports: [ContainerPort(containerPort: 15020, name: "status")], ready: true, isSidecar: true))
        let loaded = Fixtures.loaded(pods: [pod])
        #expect(Fixtures.lines(loaded).contains { $0.contains("meshed") && $0.contains("Running     2/2") })
        let s = Fixtures.press(loaded, .down, .character("f")).0
        #expect(s.dialog?.options.map(\.label) == ["80 (http) [main]", "15020 (status) [istio-proxy]"])
    }

    @Test func aPodWithoutPortsOffersCustom() {
        var (s, effects) = Fixtures.press(Fixtures.loaded(pods: [Fixtures.pod("bare", ports: [])]), .down, .character("f"))
        #expect(effects.isEmpty)
        #expect(s.dialog?.isCustomSelected == true)
        (s, effects) = Fixtures.run(s, Fixtures.type("8000"))
        #expect(s.dialog?.customText == "8000")
        #expect(s.dialog?.localText == "8000")
        #expect(effects.last == .checkLocalPort(8000))
    }

    @Test func remoteSelectionDrivesTheLocalPortUntilItIsTyped() {
        var (s, effects) = Fixtures.press(Self.opened().0, .down)
        #expect(s.dialog?.localText == "9090")
        #expect(effects == [.checkLocalPort(9090)])
        (s, effects) = Fixtures.press(s, .tab, .control("u"), .character("7"), .backTab, .up)
        #expect(s.dialog?.localText == "7")
        #expect(s.dialog?.focus == .remote)
        #expect(s.dialog?.selectedOption == 0)
        #expect(effects == [.checkLocalPort(7)])
    }

    @Test func busyPortShowsTheManagerMessageAndTabOrYTakesTheSuggestion() {
        for take in [Key.tab, .character("y")] {
            var (s, effects) = Fixtures.run(Self.opened().0, [.key(.tab), .key(.control("u"))] + Fixtures.type("8080"))
            #expect(effects.last == .checkLocalPort(8080))
            s = Fixtures.apply(s, .portChecked(port: 8080, .inUse(suggestion: 8081)))
            #expect(s.dialog?.localStatus == .unavailable(port: 8080, message: "Port 8080 is already in use. Try 8081?", suggestion: 8081))
            let lines = Fixtures.lines(s)
            #expect(lines.contains { $0.contains("Port 8080 is already in use. Try 8081?") })
            #expect(lines.contains { $0.contains("Tab or y: use 8081") })
            // Enter refuses while the port is busy.
            (s, effects) = Fixtures.press(s, .enter)
            #expect(s.dialog != nil && effects.isEmpty)
            (s, effects) = Fixtures.press(s, take)
            #expect(s.dialog?.localText == "8081")
            #expect(effects == [.checkLocalPort(8081)])
        }
    }

    @Test func stalePortAnswersAreIgnored() {
        var s = Fixtures.run(Self.opened().0, [.key(.tab), .key(.control("u"))] + Fixtures.type("8080")).0
        s = Fixtures.apply(s, .portChecked(port: 808, .inUse(suggestion: 809)), .portChecked(port: 80, .available))
        #expect(s.dialog?.localStatus == .checking(8080))
    }

    @Test func aTakenOrPrivilegedPrefillIsReplacedByTheSuggestion() {
        var (s, _) = Fixtures.press(Fixtures.loaded(), .down, .character("f"))
        var effects: [Effect]
        (s, effects) = Fixtures.run(s, [.portChecked(port: 80, .privileged(suggestion: 1080))])
        #expect(s.dialog?.localText == "1080")
        #expect(s.dialog?.note == UIText.prefilledSuggestion(remote: 80, local: 1080))
        #expect(effects == [.checkLocalPort(1080)])
        s = Fixtures.apply(s, .portChecked(port: 1080, .available))
        #expect(s.dialog?.localStatus == .available(1080))
    }

    @Test func badInputIsRefusedWithAClearMessage() {
        var s = Fixtures.press(Self.opened().0, .tab, .control("u")).0
        #expect(s.dialog?.localStatus == .empty)
        #expect(Fixtures.lines(s).contains { $0.contains(Messages.portEmpty) })
        s = Fixtures.run(s, Fixtures.type("0")).0
        #expect(s.dialog?.localStatus == .invalid(Messages.portZero))
        s = Fixtures.run(s, [.key(.control("u"))] + Fixtures.type("65536")).0
        #expect(s.dialog?.localStatus == .invalid(Messages.portTooLarge))
        s = Fixtures.run(s, [.key(.control("u"))] + Fixtures.type("0080")).0
        #expect(s.dialog?.localStatus == .invalid(Messages.portZero) || s.dialog?.localStatus == .invalid(Messages.portLeadingZero))
        s = Fixtures.run(s, [.key(.control("u"))] + Fixtures.type("-1a٣x")).0
        #expect(s.dialog?.localText == "1")
        #expect(s.dialog?.note == Messages.portNotNumber)
        // A 1,000-character paste keeps at most six digits and says the port is too large.
        s = Fixtures.run(s, [.key(.control("u"))] + Fixtures.type(String(repeating: "9", count: 1000))).0
        #expect(s.dialog?.localText == "999999")
        #expect(s.dialog?.localStatus == .invalid(Messages.portTooLarge))
        let (after, effects) = Fixtures.press(s, .enter)
        #expect(after.dialog != nil && effects.isEmpty)
        #expect(after.dialog?.note == Messages.portTooLarge)
    }

    @Test func customRemotePortIsValidated() {
        var (s, effects) = Fixtures.press(Self.opened().0, .end, .enter)
        #expect(effects.isEmpty)
        #expect(s.dialog?.note == Messages.portEmpty)
        (s, effects) = Fixtures.run(s, Fixtures.type("3000") + [.key(.backspace), .key(.character("1"))])
        #expect(s.dialog?.customText == "3001")
        #expect(s.dialog?.localText == "3001")
        s = Fixtures.apply(s, .portChecked(port: 3001, .available))
        (s, effects) = Fixtures.press(s, .enter)
        #expect(effects == [.startForward(ForwardRequest(context: "dev", namespace: "default", name: "web-0", localPort: 3001, remotePort: 3001))])
    }

    @Test func escapeCancelsWithNoEffect() {
        var (s, effects) = Fixtures.run(Self.opened().0, [.key(.tab)] + Fixtures.type("1") + [.key(.escape)])
        // Esc steps back one level: the field to the port list (what was typed kept), then closes.
        #expect(s.dialog?.focus == .remote && s.dialog?.localText == "801")
        s = Fixtures.press(s, .escape).0
        #expect(s.dialog == nil)
        #expect(effects == [.checkLocalPort(801)])
        let (again, none) = Fixtures.press(Self.opened().0, .escape)
        #expect(again.dialog == nil && none.isEmpty && again.message == nil)
    }

    @Test func enterStartsTheForwardWithASpinnerThenTheManagerMessage() {
        var (s, effects) = Fixtures.press(Self.opened().0, .enter)
        let request = ForwardRequest(context: "dev", namespace: "default", name: "web-0", localPort: 80, remotePort: 80)
        #expect(effects == [.startForward(request)])
        #expect(s.dialog == nil)
        #expect(s.message == MessageLine(.progress, "Starting port forward for web-0..."))
        #expect(Fixtures.lines(s)[22] == "⠋ Starting port forward for web-0...")
        let record = Fixtures.forward(local: 80)
        (s, effects) = Fixtures.run(s, [.forwardEvent(.added(record)), .forwardStarted(request, record)])
        #expect(s.message == MessageLine(.success, "Port forward established: localhost:80 → default/web-0:80"))
        #expect(effects.isEmpty)
        #expect(Fixtures.lines(s)[23].hasSuffix("kube9: 1 forward active"))
        #expect(s.startingForwards.isEmpty)
        s = Fixtures.apply(s, .forwardFailed(request, KubeError(.alreadyActive, "This forward is already active")))
        #expect(s.message == MessageLine(.error, "This forward is already active"))
    }

    @Test func dialogFitsAt40x12() {
        let s = Fixtures.press(Fixtures.loaded(width: 40, height: 12), .down, .character("f")).0
        let lines = Fixtures.lines(s)
        #expect(lines.count == 12)
        #expect(lines.contains { $0.contains("Port forward dev: default/web-0") })
        #expect(lines.contains { $0.contains("[ ] 80 (http)") })
        #expect(lines.contains { $0.contains("Local port") })
        #expect(lines.allSatisfy { CharacterWidth.of($0) <= 40 })
    }
}

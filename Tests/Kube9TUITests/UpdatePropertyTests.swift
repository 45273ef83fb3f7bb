import Foundation
import Kube9Kit
import PropertyBased
import Testing
@testable import Kube9TUI

/// No sequence of keys and events crashes the update function or the views, or leaves the selection or the
/// scroll offset out of range.
@Suite struct UpdatePropertyTests {
    static let keys: [Key] = [
        .up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .enter, .escape, .tab, .backTab, .backspace, .delete,
        .function(1), .unknown, .control("c"), .control("u"), .control("b"), .control("f"), .control("r"),
    ] + "jkhlgGnNrfxXcyq/?0123456789 aé日⚡-".map { Key.character($0) }

    static let request = ForwardRequest(context: "dev", namespace: "default", name: "web-0", localPort: 8080, remotePort: 80)

    static let events: [AppEvent] = keys.map(AppEvent.key) + [
        .contextsLoaded(.success(Fixtures.contexts)),
        .contextsLoaded(.failure(KubeError(.unreachable, "unreachable"))),
        .contextsLoaded(.success([])),
        .namespacesLoaded(context: "dev", .success(Fixtures.namespaces)),
        .namespacesLoaded(context: "prod", .failure(KubeError(.forbidden, "forbidden"))),
        .namespacesLoaded(context: "dev", .success([])),
        .podsLoaded(context: "dev", namespace: "default", .success(Fixtures.pods)),
        .podsLoaded(context: "dev", namespace: "default", .success((0..<300).map { Fixtures.pod("p\($0)") })),
        .podsLoaded(context: "dev", namespace: "kube-system", .success([])),
        .podsLoaded(context: "dev", namespace: "default", .failure(KubeError(.malformedOutput, "bad json"))),
        .forwardsRefreshed([], asOf: 0),
        .forwardsRefreshed([Fixtures.forward(), Fixtures.forward("queue-0", local: 9000)], asOf: 0),
        .forwardEvent(.added(Fixtures.forward())),
        .forwardEvent(.removed(Fixtures.forward())),
        .forwardEvent(.updated(Fixtures.forward(status: .error))),
        .forwardEvent(.notice(Notice(.error, "Port forward stopped unexpectedly: localhost:8080 → default/web-0:80"))),
        .forwardStarted(request, Fixtures.forward()),
        .forwardFailed(request, KubeError(.portInUse, "Port 8080 is already in use. Try 8081?")),
        .forwardStopped(Fixtures.forward(), nil),
        .forwardStopped(Fixtures.forward(), KubeError(.notFound, "Forward x not found")),
        .allForwardsStopped(count: 2),
        .portChecked(port: 80, .inUse(suggestion: 81)),
        .portChecked(port: 80, .available),
        .portChecked(port: 8080, .privileged(suggestion: 8080)),
        .portChecked(port: 1, .invalid(message: "no")),
        .resize(TerminalSize(width: 80, height: 24)),
        .resize(TerminalSize(width: 40, height: 12)),
        .resize(TerminalSize(width: 12, height: 4)),
        .resize(TerminalSize(width: 0, height: 0)),
        .resize(TerminalSize(width: 200, height: 60)),
        .tick(Fixtures.start.addingTimeInterval(3)),
        .copied("web-0"),
    ]

    static func checkInvariants(_ state: AppState) {
        #expect(!state.rows.isEmpty)
        #expect(state.rows.indices.contains(state.selection))
        #expect(state.scrollOffset >= 0 && state.scrollOffset <= max(0, state.rows.count - 1))
        if !state.size.isTooSmall {
            #expect(state.selection >= state.scrollOffset && state.selection < state.scrollOffset + state.size.treeHeight)
        }
        if let dialog = state.dialog {
            #expect(dialog.selectedOption >= 0 && dialog.selectedOption <= dialog.options.count)
            #expect(dialog.localText.count <= PortText.maximumLength)
        }
        if let menu = state.menu { #expect(menu.actions.indices.contains(menu.selected)) }
        let grid = ScreenView.render(state)
        #expect(grid.lines().count == state.size.height)
    }

    @Test func anySequenceOfEventsKeepsTheStateValid() async {
        await propertyCheck(count: 150, input: Gen.int(in: 0...(Self.events.count - 1)).array(of: 0...100)) { indices in
            var state = Fixtures.loaded()
            for index in indices {
                let (next, effects) = AppUpdate.update(state, Self.events[index])
                state = next
                for effect in effects {
                    if case .checkLocalPort(let port) = effect { #expect((1...65535).contains(port)) }
                    if case .startForward(let request) = effect {
                        #expect((1...65535).contains(request.localPort) && (1...65535).contains(request.remotePort))
                    }
                }
                Self.checkInvariants(state)
                // Seconds of CPU in one test body: give the 2-thread pool back between events so the timers
                // of tests running alongside (process deadlines) are not starved.
                await Task.yield()
            }
        }
    }

    @Test func anyTypingInThePortFieldsNeverYieldsAWrongPort() async {
        let typable = Gen.int(in: 0...(Self.keys.count - 1)).array(of: 0...40)
        await propertyCheck(count: 300, input: typable) { indices in
            var state = Fixtures.press(Fixtures.loaded(), .down, .character("f"), .tab).0
            var effects: [Effect] = []
            for index in indices {
                let key = Self.keys[index]
                if key == .control("c") || key == .escape || key == .enter { continue }
                (state, effects) = AppUpdate.update(state, .key(key))
                guard let dialog = state.dialog else { break }
                for case .checkLocalPort(let port) in effects {
                    // The local field's port, or the local port of a port marked with Space.
                    #expect(String(port) == dialog.localText || dialog.marked.contains { $0.local == port })
                }
                if case .success(let port) = PortText.parse(dialog.localText) {
                    #expect(String(port) == dialog.localText)
                }
            }
        }
    }
}

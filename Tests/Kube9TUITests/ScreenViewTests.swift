import Foundation
import Kube9Kit
import Testing
@testable import Kube9TUI

/// Whole screens rendered into the cell grid and compared as text, at 120×40, 80×24 and 40×12.
@Suite struct ScreenViewTests {
    static let twoForwards = [
        Fixtures.forward(),
        Fixtures.forward("api", local: 9090, remote: 9090, context: "prod", namespace: "shop", status: .connecting, age: 3),
    ]

    static func everything(width: Int, height: Int, unicode: Bool = true) -> AppState {
        let s = Fixtures.loaded(width: width, height: height, unicode: unicode, forwards: twoForwards)
        return Fixtures.apply(s, .key(.home), .key(.right))
    }

    @Test func everyNodeKindAndPhaseAt80x24() {
        let lines = Fixtures.lines(Self.everything(width: 80, height: 24))
        #expect(Array(lines.prefix(14)) == [
            " kube9  ~/.kube/config  context: dev",
            "▾ Port Forwarding  1 active",
            "    localhost:8080 → default/web-0:80  dev • connected • 5m 32s",
            "    localhost:9090 → shop/api:9090  prod • connecting • 3s",
            "▾ dev (current)",
            "  ▾ default (default)",
            "      ● web-0    Running     1/1 ⚡",
            "      ◌ queue-0  Pending     0/1",
            "      ✓ job-1    Succeeded   0/1",
            "      ✗ job-2    Failed      0/1",
            "      ? ghost    Unknown     0/1",
            "    ▸ Services",
            "  ▸ kube-system",
            "▸ prod",
        ])
        #expect(lines.count == 24)
        // At 80 columns the hints shorten to a set that fits whole, never cut.
        #expect(lines[23] == " ?:help  f:forward  x:stop  s:save  /:filter  q:quit    kube9: 1 forward active")
    }

    @Test func at120x40TheStatusLineHasAllHintsAndTheCountOnTheRight() {
        let lines = Fixtures.lines(Self.everything(width: 120, height: 40))
        #expect(lines.count == 40)
        #expect(lines[39].hasPrefix(" " + UIText.keyHints))
        #expect(lines[39].hasSuffix("kube9: 1 forward active"))
        #expect(lines[39].count == 119)
        #expect(lines[6] == "      ● web-0    Running     1/1 ⚡")
    }

    @Test func at40x12RowsAreCutAndAScrollMarkShows() {
        let lines = Fixtures.lines(Self.everything(width: 40, height: 12))
        #expect(lines == [
            " kube9  ~/.kube/config  context: dev",
            "▾ Port Forwarding  1 active",
            "    localhost:8080 → default/web-0:80 …",
            "    localhost:9090 → shop/api:9090  pr…",
            "▾ dev (current)",
            "  ▾ default (default)",
            "      ● web-0    Running     1/1 ⚡",
            "      ◌ queue-0  Pending     0/1",
            "      ✓ job-1    Succeeded   0/1",
            "      ✗ job-2    Failed      0/1       ▼",
            "",
            " ?:help         kube9: 1 forward active",
        ])
    }

    @Test func asciiFallbackWhenTheLocaleIsNotUTF8() {
        let lines = Fixtures.lines(Self.everything(width: 80, height: 24, unicode: false))
        #expect(lines[1] == "v Port Forwarding  1 active")
        #expect(lines[2] == "    localhost:8080 -> default/web-0:80  dev - connected - 5m 32s")
        #expect(lines[6] == "      * web-0    Running     1/1 [pf]")
        #expect(lines[7] == "      ~ queue-0  Pending     0/1")
        #expect(lines[8] == "      + job-1    Succeeded   0/1")
        #expect(lines[9] == "      x job-2    Failed      0/1")
        #expect(lines.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) })
    }

    @Test func statusLineSingularPluralAndHidden() {
        let one = Fixtures.lines(Fixtures.loaded(forwards: [Fixtures.forward()]))
        #expect(one[23].hasSuffix("kube9: 1 forward active"))
        let two = Fixtures.lines(Fixtures.loaded(forwards: [Fixtures.forward(), Fixtures.forward("job-1", local: 7000)]))
        #expect(two[23].hasSuffix("kube9: 2 forwards active"))
        // twoForwards has one connected and one still connecting: only the connected one is counted.
        let connecting = Fixtures.lines(Fixtures.loaded(forwards: Self.twoForwards))
        #expect(connecting[23].hasSuffix("kube9: 1 forward active"))
        let none = Fixtures.lines(Fixtures.loaded())
        #expect(!none[23].contains("kube9:"))
        #expect(none[23] == " " + UIText.keyHints)
        // A forward that is not connecting/connected is not counted.
        let stopped = Fixtures.lines(Fixtures.loaded(forwards: [Fixtures.forward(status: .error)]))
        #expect(!stopped[23].contains("forward active"))
    }

    @Test func noActiveForwardsRow() {
        let s = Fixtures.apply(Fixtures.loaded(), .key(.home), .key(.right))
        #expect(Fixtures.lines(s)[2] == "    No active port forwards")
    }

    @Test func loadingRowSpinsAndFailedNodeShowsItsErrorInline() {
        var s = Fixtures.state(width: 120, height: 40)
        #expect(Fixtures.lines(s)[2] == "  ⠋ Loading…")
        s = Fixtures.apply(s, .contextsLoaded(.success(Fixtures.contexts)), .key(.end), .key(.right))
        #expect(Fixtures.lines(s)[4] == "    ⠋ Loading…")
        s = Fixtures.apply(s, .tick(Fixtures.start.addingTimeInterval(0.2)))
        #expect(Fixtures.lines(s)[4] == "    ⠙ Loading…")
        #expect(ScreenView.tickInterval(s) == 0.2)
        let message = "Connection failed: Unable to reach the cluster. Check cluster connectivity."
        s = Fixtures.apply(s, .namespacesLoaded(context: "prod", .failure(KubeError(.unreachable, message))))
        #expect(Fixtures.lines(s)[4] == "    ✗ " + message)
        #expect(ScreenView.tickInterval(s) == nil)
    }

    @Test func emptyListsSaySo() {
        let s = Fixtures.loaded(pods: [])
        #expect(Fixtures.lines(s)[4] == "      No pods")
    }

    @Test func messageLineShowsManagerMessagesAndTheStartingSpinner() {
        var s = Fixtures.loaded()
        s = Fixtures.apply(s, .forwardEvent(.notice(Notice(.error, "Port forward stopped: Pod 'web-0' was deleted"))))
        #expect(Fixtures.lines(s)[22] == "Port forward stopped: Pod 'web-0' was deleted")
        #expect(ScreenView.render(s)[0, 22].style.foreground == .red)
        s.message = MessageLine(.progress, UIText.startingForward("web-0"))
        #expect(Fixtures.lines(s)[22] == "⠋ Starting port forward for web-0...")
        #expect(ScreenView.tickInterval(s) == 0.2)
    }

    @Test func titleMarksDemo() {
        var s = Fixtures.loaded()
        s.isDemo = true
        #expect(Fixtures.lines(s)[0] == " kube9 DEMO  ~/.kube/config  context: dev")
    }

    @Test func uptimeTicksOnlyWhileAForwardRowIsVisible() {
        let open = Fixtures.apply(Fixtures.loaded(forwards: [Fixtures.forward()]), .key(.home), .key(.right))
        #expect(ScreenView.tickInterval(open) == 1.0)
        let closed = Fixtures.loaded(forwards: [Fixtures.forward()])
        #expect(ScreenView.tickInterval(closed) == nil)
        let later = Fixtures.apply(open, .tick(Fixtures.start.addingTimeInterval(28)))
        #expect(Fixtures.lines(later)[2].hasSuffix("dev • connected • 6m 0s"))
    }

    @Test func helpListsEveryKey() {
        let s = Fixtures.apply(Fixtures.loaded(width: 120, height: 40), .key(.character("?")))
        let text = Fixtures.lines(s).joined(separator: "\n")
        #expect(text.contains(UIText.helpTitle))
        for (key, description) in UIText.helpLines {
            #expect(text.contains(key))
            #expect(text.contains(description))
        }
        #expect(text.contains(UIText.helpClose))
        let closed = Fixtures.apply(s, .key(.escape))
        #expect(!Fixtures.lines(closed).joined().contains(UIText.helpTitle))
    }

    @Test func helpAt40x12IsClippedNotBroken() {
        let s = Fixtures.apply(Fixtures.loaded(width: 40, height: 12), .key(.character("?")))
        let lines = Fixtures.lines(s)
        #expect(lines.count == 12)
        #expect(lines[0].contains("kube9 keys"))
        #expect(lines[11].hasPrefix(" └"))
        #expect(lines.allSatisfy { CharacterWidth.of($0) <= 40 })
    }

    @Test func terminalTooSmall() {
        for size in [(29, 24), (80, 7), (10, 3), (1, 1), (0, 0)] {
            let s = Fixtures.apply(Fixtures.loaded(), .resize(TerminalSize(width: size.0, height: size.1)))
            let lines = Fixtures.lines(s)
            #expect(lines.count == size.1)
            if size.1 >= 3 && size.0 >= 18 { #expect(lines.joined().contains(UIText.tooSmall)) }
            #expect(ScreenView.tickInterval(s) == nil)
        }
        let s = Fixtures.apply(Fixtures.loaded(), .resize(TerminalSize(width: 29, height: 10)))
        #expect(Fixtures.lines(s)[4] == "     Terminal too small")
        #expect(Fixtures.lines(s)[5] == "          need 30x8")
        // Growing again redraws the tree.
        let back = Fixtures.apply(s, .resize(TerminalSize(width: 80, height: 24)))
        #expect(Fixtures.lines(back)[1] == "▸ Port Forwarding  0 active")
    }

    @Test func namesAtTheKubernetesMaximumAreTruncated() {
        let long = String(repeating: "a", count: 242) + "-0123456789"
        #expect(long.count == 253)
        let pods = [Fixtures.pod(long), Fixtures.pod("web-0")]
        for (width, height) in [(120, 40), (80, 24), (40, 12)] {
            var s = Fixtures.loaded(width: width, height: height, pods: pods, forwards: [Fixtures.forward(long)])
            s = Fixtures.apply(s, .key(.home), .key(.right))
            let lines = Fixtures.lines(s)
            #expect(lines.count == height)
            #expect(lines.allSatisfy { CharacterWidth.of($0) <= width })
            #expect(lines.contains { $0.contains("aaaa…") })
            #expect(lines.last!.hasSuffix("kube9: 1 forward active"))
        }
        let lines = Fixtures.lines(Fixtures.loaded(width: 120, height: 40, pods: pods))
        // Pod names are cut to a 48-column name column so phase and ready count stay visible.
        #expect(lines[4] == "      ● " + String(repeating: "a", count: 47) + "…  Running     1/1")
        #expect(lines[5] == "      ● web-0" + String(repeating: " ", count: 43) + "  Running     1/1")
    }

    @Test func wideCharactersInNamesKeepTheLayout() {
        let pods = [Fixtures.pod("日本語-pod"), Fixtures.pod("emoji-🚀")]
        let lines = Fixtures.lines(Fixtures.loaded(pods: pods))
        #expect(lines[4] == "      ● 日本語-pod  Running     1/1")
        #expect(lines[5] == "      ● emoji-🚀    Running     1/1")
    }

    @Test func aPodBeingDeletedReadsTerminating() {
        var pod = Fixtures.pod("old-0")
        pod.deletionTimestamp = Fixtures.start
        let lines = Fixtures.lines(Fixtures.loaded(pods: [pod]))
        #expect(lines[4] == "      ● old-0  Terminating 1/1")
    }
}

import Kube9Kit
import Testing
@testable import Kube9TUI

/// A forward beyond `localhost` is announced, stopped and copied with the address it really listens on.
@Suite struct ForwardAddressWordingTests {
    static let exposed = Fixtures.forward(local: 19005, address: "127.0.0.2")
    static let wildcard = Fixtures.forward("db", local: 19006, address: "0.0.0.0")

    @Test func establishedAndStoppedNameTheRealAddress() {
        let request = Self.exposed.request
        var s = Fixtures.apply(Fixtures.loaded(), .forwardEvent(.added(Self.exposed)), .forwardStarted(request, Self.exposed))
        #expect(s.message?.text == "Port forward established: 127.0.0.2:19005 → default/web-0:80")
        s = Fixtures.apply(s, .forwardStopped(Self.wildcard, nil))
        #expect(s.message?.text == "Port forward stopped: 0.0.0.0:19006 → default/db:80")
        // The default keeps the words of the spec.
        s = Fixtures.apply(s, .forwardStarted(Fixtures.forward().request, Fixtures.forward()))
        #expect(s.message?.text == "Port forward established: localhost:8080 → default/web-0:80")
    }

    @Test func copyURLUsesTheAddressTheForwardListensOn() {
        let s = Fixtures.apply(Fixtures.loaded(forwards: [Self.exposed, Self.wildcard]), .key(.home), .key(.right), .key(.down))
        #expect(s.selectedRow?.id == .forward(id: Self.wildcard.id))
        let (_, effects) = Fixtures.press(s, .character("c"), .down, .character("c"))
        #expect(effects == [.copyToClipboard("http://0.0.0.0:19006"), .copyToClipboard("http://127.0.0.2:19005")])
        #expect(UIText.url(Fixtures.forward(address: "::1")) == "http://[::1]:8080")
        // The label too: an IPv6 address in brackets, a list as given.
        #expect(Fixtures.forward(address: "::1").label == "[::1]:8080 → default/web-0:80")
        #expect(Fixtures.forward(address: "127.0.0.1,::1").label == "127.0.0.1,[::1]:8080 → default/web-0:80")
        #expect(UIText.url(Fixtures.forward()) == "http://localhost:8080")
    }

    @Test func theMessageLineShowsItAt80x24And40x12() {
        for (width, height) in [(80, 24), (40, 12)] {
            let s = Fixtures.apply(
                Fixtures.loaded(width: width, height: height), .forwardEvent(.added(Self.exposed)),
                .forwardStarted(Self.exposed.request, Self.exposed))
            let line = Fixtures.lines(s)[height - 2]
            #expect(line.hasPrefix("Port forward established: 127.0.0.2:"), "\(width)x\(height): \(line)")
        }
    }
}

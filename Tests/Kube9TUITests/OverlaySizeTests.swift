import Foundation
import Kube9Kit
import Testing
@testable import Kube9TUI

/// Every overlay at 120×40, 80×24 and 40×12: its texts are on screen and nothing spills past the width.
@Suite struct OverlaySizeTests {
    static let sizes = [(120, 40), (80, 24), (40, 12)]

    static func screens(width: Int, height: Int) -> [(String, AppState, [String])] {
        let base = Fixtures.loaded(width: width, height: height, forwards: [Fixtures.forward(), Fixtures.forward("job-1", local: 7000)])
        let onForward = Fixtures.apply(base, .key(.home), .key(.right), .key(.down))
        let dialog = Fixtures.apply(Fixtures.press(base, .end, .up, .up, .up, .up, .up, .up, .up, .character("f")).0,
                                    .key(.tab), .key(.control("u")), .key(.character("8")), .key(.character("0")), .key(.character("8")), .key(.character("0")),
                                    .portChecked(port: 8080, .inUse(suggestion: 8081)))
        return [
            ("dialog", dialog, ["Port forward dev: default/web-0", "Remote port", "Local port", "Port 8080 is already in use. Try 8081?"]),
            ("stop", Fixtures.press(onForward, .character("x")).0, ["Confirm", "Stop port forward", "y: yes"]),
            ("stop all", Fixtures.press(base, .character("X")).0, ["Stop all 2 active port", "y: yes"]),
            ("quit", Fixtures.press(base, .character("q")).0, ["Quit kube9 and stop 2", "y: yes"]),
            ("pod menu", Fixtures.press(base, .down, .enter).0, ["web-0", "Port Forward…", "Copy Name", "Refresh"]),
            ("forward menu", Fixtures.press(onForward, .enter).0, ["Stop", "Restart", "Copy URL"]),
            ("filter", Fixtures.run(base, [.key(.character("/"))] + Fixtures.type("web")).0, ["/web"]),
        ]
    }

    @Test(arguments: sizes)
    func overlaysFit(width: Int, height: Int) {
        for (name, state, texts) in Self.screens(width: width, height: height) {
            let lines = Fixtures.lines(state)
            #expect(lines.count == height, "\(name)")
            #expect(lines.allSatisfy { CharacterWidth.of($0) <= width }, "\(name)")
            // Box contents joined, so wrapped messages read as one text.
            let screen = lines.map { line in
                line.split(separator: "│").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
            }.joined(separator: " ")
            for text in texts {
                #expect(screen.contains(text), "\(name) at \(width)x\(height) lacks \(text)")
            }
        }
    }
}

import Foundation
import Kube9Kit
import Testing
@testable import Kube9TUI

/// Keypress-to-frame time (update + render) on a 5,000-pod namespace and a 10,000-node tree.
@Suite struct PerformanceTests {
    static func bigTree() -> AppState {
        let pods = (0..<5000).map { Fixtures.pod("pod-\(String(format: "%05d", $0))") }
        var s = Fixtures.loaded(width: 120, height: 40, pods: pods)
        let morePods = (0..<5000).map { Fixtures.pod("other-\($0)") }
        s = Fixtures.apply(s, .key(.end), .key(.up), .key(.right),
                           .podsLoaded(context: "dev", namespace: "kube-system", .success(morePods)))
        return s
    }

    /// Median milliseconds for one key: update plus a full render.
    static func frameTime(_ state: AppState, _ keys: [Key]) -> Double {
        var s = state
        var samples: [Double] = []
        for key in keys {
            let start = DispatchTime.now().uptimeNanoseconds
            s = AppUpdate.update(s, .key(key)).0
            let grid = ScreenView.render(s)
            _ = grid.width
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
        }
        return samples.sorted()[samples.count / 2]
    }

    @Test func scrollingA10000NodeTreeIsFarBelowAFrame() {
        let s = Self.bigTree()
        #expect(s.rows.count > 10_000)
        let down = Self.frameTime(Fixtures.press(s, .home).0, Array(repeating: .down, count: 200))
        let pages = Self.frameTime(s, Array(repeating: .pageUp, count: 100) + Array(repeating: .pageDown, count: 100))
        // Debug build, shared machine: a generous bound that still catches whole-tree work per key.
        #expect(down < 8, "median \(down) ms per key")
        #expect(pages < 8, "median \(pages) ms per key")
    }

    @Test func filteringA10000NodeTreeStaysQuick() {
        let s = Fixtures.run(Self.bigTree(), [.key(.character("/"))] + Fixtures.type("pod-04999")).0
        let start = DispatchTime.now().uptimeNanoseconds
        let found = AppUpdate.update(s, .key(.enter)).0
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
        #expect(found.selectedRow?.id == .pod(context: "dev", namespace: "default", name: "pod-04999"))
        #expect(elapsed < 500, "\(elapsed) ms")
        let next = Self.frameTime(found, Array(repeating: .character("n"), count: 5))
        #expect(next < 500, "\(next) ms")
    }
}

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

/// `/` on a 5,000-pod namespace: the kept index (laid out once, growing queries narrowing the last matches) against
/// laying out and lowercasing the whole tree on every key, as the filter did before.
@Suite struct FilterPerformanceTests {
    static func milliseconds(_ work: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        work()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
    }

    @Test func typingAFilterNarrowsTheLastMatchesInsteadOfSearchingTheWholeTreeAgain() {
        let opened = AppUpdate.update(PerformanceTests.bigTree(), .key(.character("/"))).0
        let query = "pod-04321"
        var perKey = opened
        var kept: [AppState] = []
        let keptTime = Self.milliseconds {
            for character in query {
                perKey = AppUpdate.update(perKey, .key(.character(character))).0
                kept.append(perKey)
            }
        }
        var whole: [(rows: [TreeRow], matches: [NodeID])] = []
        let wholeTime = Self.milliseconds {
            for length in 1...query.count { whole.append(opened.tree.filteredRows(String(query.prefix(length)))) }
        }
        print("filter \(query) key by key on 10,000 pods: kept index \(keptTime) ms, whole tree per key \(wholeTime) ms")
        // Same rows and matches as searching the whole tree.
        for (state, full) in zip(kept, whole) {
            #expect(state.rows == full.rows)
            #expect(state.filter.matches == full.matches)
        }
        #expect(perKey.selectedRow?.id == .pod(context: "dev", namespace: "default", name: "pod-04321"))
        #expect(keptTime * 2 < wholeTime, "kept \(keptTime) ms, whole \(wholeTime) ms")
    }

    @Test func aQueryThatShrinksOrChangesSearchesEverythingAgain() {
        var s = AppUpdate.update(PerformanceTests.bigTree(), .key(.character("/"))).0
        for character in "pod-0432x" { s = AppUpdate.update(s, .key(.character(character))).0 }
        #expect(s.filter.matches.isEmpty)
        s = AppUpdate.update(s, .key(.backspace)).0
        #expect(s.filter.matches.count == 10)
        #expect(s.rows == s.tree.filteredRows("pod-0432").rows)
        s = AppUpdate.update(s, .key(.control("u"))).0
        for character in "other-49" { s = AppUpdate.update(s, .key(.character(character))).0 }
        #expect(s.filter.matches == s.tree.filteredRows("other-49").matches)
        #expect(s.filter.matches.count == 111)
    }
}

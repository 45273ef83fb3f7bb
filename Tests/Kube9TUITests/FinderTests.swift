import Foundation
import Kube9Kit
import Testing
@testable import Kube9TUI

/// `:` / Ctrl-P: every pod of the context from one list call, fuzzy and ranked; Enter selects it in the tree.
@Suite struct FinderTests {
    static func pods(_ count: Int, namespace: String = "bulk") -> [Pod] {
        (0..<count).map { index in
            var pod = Fixtures.pod("pod-\(String(format: "%05d", index))")
            pod.namespace = namespace
            return pod
        }
    }

    @Test func opensOnTheSelectedContextAndListsEveryPodInOneCall() {
        var s = Fixtures.loaded()
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .character(":"))
        #expect(effects == [.loadAllPods(context: "dev")])
        #expect(Fixtures.lines(s).joined().contains("Listing every pod of dev"))
        (_, effects) = Fixtures.press(Fixtures.loaded(), .control("p"))
        #expect(effects == [.loadAllPods(context: "dev")])
    }

    @Test func rankingPutsTheBestMatchFirstAndEnterSelectsItAt80x24And40x12() {
        for (width, height) in [(80, 24), (40, 12)] {
            var s = Fixtures.press(Fixtures.loaded(width: width, height: height), .character(":")).0
            s = Fixtures.apply(s, .allPodsLoaded(context: "dev", .success(Fixtures.pods + Self.pods(5000))))
            s = Fixtures.run(s, Fixtures.type("p4999")).0
            #expect(s.finder?.results.first?.label == "bulk/pod-04999", "\(width)x\(height)")
            let lines = Fixtures.lines(s)
            #expect(lines.contains { $0.contains("> p4999▏") })
            #expect(lines.contains { $0.contains("bulk/pod-04999") })
            #expect(lines.allSatisfy { CharacterWidth.of($0) <= width })
            var effects: [Effect]
            (s, effects) = Fixtures.press(s, .enter)
            // `bulk` is not among the loaded namespaces' pods: the namespace list is asked for again…
            #expect(s.finder == nil)
            if effects.isEmpty {
                #expect(s.selectedRow?.id == .pod(context: "dev", namespace: "bulk", name: "pod-04999"))
            } else {
                #expect(effects == [.loadNamespaces(context: "dev")])
                s = Fixtures.apply(s, .namespacesLoaded(context: "dev", .success(Fixtures.namespaces + [KubeNamespace(name: "bulk")])))
                #expect(s.selectedRow?.id == .pod(context: "dev", namespace: "bulk", name: "pod-04999"))
            }
            let row = s.selection - s.scrollOffset + 1
            #expect(Fixtures.lines(s)[row].contains("pod-04999"))
            #expect(ScreenView.render(s)[0, row].style.reverse)
        }
    }

    @Test func aPodOfAnUnloadedContextWaitsForItsNamespaces() {
        var s = Fixtures.apply(Fixtures.state(), .contextsLoaded(.success(Fixtures.contexts)))
        s = Fixtures.press(s, .down, .down, .character(":")).0
        #expect(s.finder?.context == "prod")
        s = Fixtures.apply(s, .allPodsLoaded(context: "prod", .success(Self.pods(3, namespace: "shop"))))
        var effects: [Effect]
        (s, effects) = Fixtures.run(s, Fixtures.type("02") + [.key(.enter)])
        #expect(effects == [.loadNamespaces(context: "prod")])
        s = Fixtures.apply(s, .namespacesLoaded(context: "prod", .success([KubeNamespace(name: "shop")])))
        #expect(s.selectedRow?.id == .pod(context: "prod", namespace: "shop", name: "pod-00002"))
    }

    @Test func loadedServicesAreSearchedTooAndEscCloses() {
        var s = Fixtures.apply(Fixtures.loaded(), .servicesLoaded(context: "dev", namespace: "default", .success(Fixtures.services)))
        s = Fixtures.press(s, .character(":")).0
        s = Fixtures.apply(s, .allPodsLoaded(context: "dev", .success(Fixtures.pods)))
        s = Fixtures.run(s, Fixtures.type("svcdb")).0
        #expect(s.finder?.results.first?.id == .service(context: "dev", namespace: "default", name: "db"))
        s = Fixtures.press(s, .enter).0
        #expect(s.selectedRow?.id == .service(context: "dev", namespace: "default", name: "db"))
        s = Fixtures.press(s, .character(":"), .escape).0
        #expect(s.finder == nil)
    }

    @Test func rankingFiveThousandPodsTakesFarLessThanASecond() {
        var s = Fixtures.press(Fixtures.loaded(), .character(":")).0
        let start = DispatchTime.now().uptimeNanoseconds
        s = Fixtures.apply(s, .allPodsLoaded(context: "dev", .success(Self.pods(5000))))
        s = Fixtures.run(s, Fixtures.type("pod-04321")).0
        _ = ScreenView.render(s)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
        #expect(s.finder?.results.first?.label == "bulk/pod-04321")
        #expect(elapsed < 1000, "\(elapsed) ms")
    }
}

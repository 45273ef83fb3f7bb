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

    static func services(_ count: Int, namespace: String = "bulk") -> [KubeService] {
        (0..<count).map { KubeService(name: "svc-\(String(format: "%05d", $0))", namespace: namespace, ports: [ServicePort(port: 80)]) }
    }

    @Test func opensOnTheSelectedContextAndListsEveryPodAndEveryServiceInOneCallEach() {
        var s = Fixtures.loaded()
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, .character(":"))
        #expect(effects == [.loadAllPods(context: "dev"), .loadAllServices(context: "dev")])
        #expect(Fixtures.lines(s).joined().contains("Listing every pod and service of dev"))
        (_, effects) = Fixtures.press(Fixtures.loaded(), .control("p"))
        #expect(effects == [.loadAllPods(context: "dev"), .loadAllServices(context: "dev")])
    }

    /// A service of a namespace never opened (its services never loaded) is found through the services list, and
    /// Enter opens its namespace and its Services node and selects it.
    @Test func everyServiceIsSearchedLoadedOrNotAndEnterOpensItsNamespaceAt80x24And40x12() {
        for (width, height) in [(80, 24), (40, 12)] {
            var s = Fixtures.press(Fixtures.loaded(width: width, height: height), .character(":")).0
            let system = [KubeService(name: "metrics-server", namespace: "kube-system", ports: [ServicePort(port: 443)])]
            let systemPods = [Fixtures.pod("metrics-server-7d9f").with(namespace: "kube-system")]
            s = Fixtures.apply(
                s, .allServicesLoaded(context: "dev", .success(Fixtures.services + system + Self.services(500))),
                .allPodsLoaded(context: "dev", .success(Fixtures.pods + systemPods + Self.pods(5000))))
            s = Fixtures.run(s, Fixtures.type("svcmetrics")).0
            #expect(s.finder?.results.first?.id == .service(context: "dev", namespace: "kube-system", name: "metrics-server"), "\(width)x\(height)")
            #expect(Fixtures.lines(s).contains { $0.contains("kube-system/svc/metrics-server") })
            #expect(Fixtures.lines(s).joined().contains("of 5509"))
            var effects: [Effect]
            (s, effects) = Fixtures.press(s, .enter)
            // No list call (the finder's lists fill the namespace); its pod list is followed live from now on.
            #expect(effects == [.followPods(NamespaceKey(context: "dev", namespace: "kube-system"))])
            #expect(s.selectedRow?.id == .service(context: "dev", namespace: "kube-system", name: "metrics-server"))
            #expect(s.tree.expanded.isSuperset(of: [.namespace(context: "dev", name: "kube-system"), .services(context: "dev", namespace: "kube-system")]))
            // The namespace's pods came from the same list (no Loading… row left behind).
            #expect(s.tree.pods[NamespaceKey(context: "dev", namespace: "kube-system")] == .loaded(systemPods))
            let row = s.selection - s.scrollOffset + 1
            #expect(Fixtures.lines(s)[row].contains("metrics-server"))
            #expect(ScreenView.render(s)[0, row].style.reverse)
            #expect(Fixtures.lines(s).allSatisfy { CharacterWidth.of($0) <= width })
        }
    }

    /// A list that fails (a user who may not list services cluster-wide): the pods and the services the tree has
    /// are searched, and the finder says why the rest is missing.
    @Test func aRefusedListLeavesTheOtherAndTheLoadedOnesAndSaysWhy() {
        var s = Fixtures.apply(Fixtures.loaded(), .servicesLoaded(context: "dev", namespace: "default", .success(Fixtures.services)))
        s = Fixtures.press(s, .character(":")).0
        let refused = KubeError(.forbidden, "services is forbidden: User \"alice\" cannot list resource \"services\"")
        s = Fixtures.apply(s, .allServicesLoaded(context: "dev", .failure(refused)), .allPodsLoaded(context: "dev", .success(Self.pods(10))))
        #expect(s.finder?.items.value?.count == 12)
        #expect(s.finder?.problem == refused.message)
        #expect(Fixtures.lines(s).contains { $0.contains("✗ services is forbidden") })
        s = Fixtures.run(s, Fixtures.type("db")).0
        #expect(s.finder?.results.first?.id == .service(context: "dev", namespace: "default", name: "db"))
        // Both refused and nothing loaded in another context: the finder says so instead of listing nothing.
        var other = Fixtures.press(Fixtures.apply(Fixtures.state(), .contextsLoaded(.success(Fixtures.contexts))), .down, .down, .character(":")).0
        other = Fixtures.apply(other, .allPodsLoaded(context: "prod", .failure(refused)), .allServicesLoaded(context: "prod", .failure(refused)))
        #expect(other.finder?.items == .failed(refused.message))
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
            if effects == [.cancelListRead(.allServices(context: "dev"))] {
                #expect(s.selectedRow?.id == .pod(context: "dev", namespace: "bulk", name: "pod-04999"))
            } else {
                // (…and the services' read, unanswered, is given up with the finder.)
                #expect(effects == [.cancelListRead(.allServices(context: "dev")), .loadNamespaces(context: "dev")])
                s = Fixtures.apply(s, .namespacesLoaded(context: "dev", .success(Fixtures.namespaces + [KubeNamespace(name: "bulk")])))
                #expect(s.selectedRow?.id == .pod(context: "dev", namespace: "bulk", name: "pod-04999"))
            }
            let row = s.selection - s.scrollOffset + 1
            #expect(Fixtures.lines(s)[row].contains("pod-04999"))
            #expect(ScreenView.render(s)[0, row].style.reverse)
        }
    }

    /// A match in the name beats one spread over the namespace: `api` in `payments` found `payments/pending-pod`
    /// first (its `a` in the namespace, `p` and `i` in the name).
    @Test func aMatchInTheNameRanksAboveOneThatBorrowsTheNamespace() {
        let labels = ["payments/pending-pod", "payments/svc/api", "payments/api-7d9f8b6c5-x2k4p", "payments/worker-0"]
        let needle = Array("api".unicodeScalars)
        let ranked = labels.compactMap { label in FuzzyMatch.score(needle, in: label).map { (label, $0) } }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.count < $1.0.count }.map(\.0)
        #expect(ranked == ["payments/svc/api", "payments/api-7d9f8b6c5-x2k4p", "payments/pending-pod"])
        // The query whole, later in the name, beats its letters scattered earlier.
        let web = Array("web".unicodeScalars)
        #expect(FuzzyMatch.score(web, in: "shop/my-weird-web")! > FuzzyMatch.score(web, in: "shop/wide-eye-bob")!)
        #expect(FuzzyMatch.score(Array("xyz".unicodeScalars), in: "shop/web-0") == nil)
    }

    @Test func aPodOfAnUnloadedContextWaitsForItsNamespaces() {
        var s = Fixtures.apply(Fixtures.state(), .contextsLoaded(.success(Fixtures.contexts)))
        s = Fixtures.press(s, .down, .down, .character(":")).0
        #expect(s.finder?.context == "prod")
        s = Fixtures.apply(s, .allPodsLoaded(context: "prod", .success(Self.pods(3, namespace: "shop"))))
        var effects: [Effect]
        (s, effects) = Fixtures.run(s, Fixtures.type("02") + [.key(.enter)])
        #expect(effects == [.cancelListRead(.allServices(context: "prod")), .loadNamespaces(context: "prod")])
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

    /// From the second list's arrival to the ranked, drawn answer: within 1 s for 5,000 pods and 2,000 services.
    @Test func rankingFiveThousandPodsAndTheServicesAnswersWithinASecondOfTheLists() {
        var s = Fixtures.press(Fixtures.loaded(), .character(":")).0
        s = Fixtures.run(s, Fixtures.type("pod-04321")).0
        let pods = Self.pods(5000)
        let services = Self.services(2000)
        let start = DispatchTime.now().uptimeNanoseconds
        s = Fixtures.apply(s, .allPodsLoaded(context: "dev", .success(pods)), .allServicesLoaded(context: "dev", .success(services)))
        _ = ScreenView.render(s)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
        #expect(s.finder?.results.first?.label == "bulk/pod-04321")
        #expect(elapsed < 1000, "\(elapsed) ms")
        // And each key after it.
        let keyStart = DispatchTime.now().uptimeNanoseconds
        s = Fixtures.run(s, [.key(.control("u"))] + Fixtures.type("svc-01999")).0
        _ = ScreenView.render(s)
        let keys = Double(DispatchTime.now().uptimeNanoseconds - keyStart) / 1_000_000
        #expect(s.finder?.results.first?.label == "bulk/svc/svc-01999")
        #expect(keys < 1000, "\(keys) ms for 10 keys")
        print("finder, 5,000 pods + 2,000 services: lists to ranked screen \(Int(elapsed)) ms; 10 keys \(Int(keys)) ms")
    }
}

extension Pod {
    func with(namespace: String) -> Pod {
        var pod = self
        pod.namespace = namespace
        return pod
    }
}

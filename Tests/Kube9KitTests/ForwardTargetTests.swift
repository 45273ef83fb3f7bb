import Foundation
import Testing

@testable import Kube9Kit

/// The one definition of a forward's target and of "the same forward": identity, label, order, matching.
@Suite struct ForwardTargetTests {
    static let web = ForwardTarget(context: "dev", namespace: "default", name: "web-0")
    static let service = ForwardTarget(context: "dev", namespace: "shop", kind: .service, name: "web")

    @Test func namesAPodOrAService() {
        #expect(Self.web.resource == "pod/web-0")
        #expect(Self.web.shortName == "web-0")
        #expect(Self.web.label == "default/web-0")
        #expect(Self.service.resource == "svc/web")
        #expect(Self.service.shortName == "svc/web")
        #expect(Self.service.label == "shop/svc/web")
    }

    /// Workloads are named as kubectl takes them, and parsed from every form kubectl accepts.
    @Test func namesAWorkloadAndParsesKubectlsForms() throws {
        let deployment = ForwardTarget(context: "dev", namespace: "shop", kind: .deployment, name: "web")
        #expect(deployment.resource == "deploy/web" && deployment.label == "shop/deploy/web")
        #expect(ForwardTarget(context: "c", namespace: "n", kind: .statefulSet, name: "db").label == "n/sts/db")
        let forms: [(String, ForwardTargetKind)] = [
            ("web-0", .pod), ("pod/web-0", .pod), ("pods/web-0", .pod), ("po/web-0", .pod), ("svc/web-0", .service),
            ("service/web-0", .service), ("deploy/web-0", .deployment), ("Deployment/web-0", .deployment),
            ("deployments/web-0", .deployment), ("sts/web-0", .statefulSet), ("statefulset/web-0", .statefulSet),
            ("rs/web-0", .replicaSet), ("replicasets/web-0", .replicaSet), ("ds/web-0", .daemonSet), ("daemonset/web-0", .daemonSet),
            ("deployments.apps/web-0", .deployment), ("statefulset.apps/web-0", .statefulSet),
        ]
        for (text, kind) in forms {
            let parsed = try #require(ForwardTargetKind.parse(text), "\(text)")
            #expect(parsed.0 == kind && parsed.1 == "web-0", "\(text)")
        }
        #expect(ForwardTargetKind.parse("cronjob/x") == nil)
        #expect(ForwardTargetKind.parse("job/x") == nil)
        #expect(ForwardTargetKind.parse("pod.apps/x") == nil)
        // Saved forwards keep the kind by its raw value.
        #expect(ForwardTargetKind.allCases.map(\.rawValue) == ["pod", "service", "deployment", "statefulset", "replicaset", "daemonset"])
    }

    @Test func identityIsContextNamespaceKindAndName() {
        #expect(Self.web == ForwardTarget(context: "dev", namespace: "default", kind: .pod, name: "web-0"))
        #expect(Self.web != ForwardTarget(context: "prod", namespace: "default", name: "web-0"))
        #expect(Self.web != ForwardTarget(context: "dev", namespace: "other", name: "web-0"))
        #expect(Self.web != ForwardTarget(context: "dev", namespace: "default", kind: .service, name: "web-0"))
        #expect(Self.web != ForwardTarget(context: "dev", namespace: "default", name: "web-1"))
    }

    @Test func forwardIDNamesTargetAndPorts() {
        #expect(Self.web.forwardID(localPort: 8080, remotePort: 80) == "dev/default/web-0:8080:80")
        #expect(Self.service.forwardID(localPort: 8080, remotePort: 80) == "dev/shop/svc/web:8080:80")
        let request = ForwardRequest(Self.service, localPort: 8080, remotePort: 80)
        #expect(PortForwardManager.forwardID(for: request) == "dev/shop/svc/web:8080:80")
    }

    @Test func labelSaysWhereItListensAndWhatItReaches() {
        let pod = ForwardRequest(Self.web, localPort: 8080, remotePort: 80)
        #expect(pod.label == "localhost:8080 → default/web-0:80")
        let exposed = ForwardRequest(Self.service, localPort: 18080, remotePort: 80, address: "0.0.0.0")
        #expect(exposed.label == "0.0.0.0:18080 → shop/svc/web:80")
        // A request, its running record and its saved entry read the same.
        let record = ForwardRecord(
            id: "x", target: Self.service, localPort: 18080, remotePort: 80, status: .connected, startTime: Date(),
            address: "0.0.0.0")
        #expect(record.label == exposed.label)
        #expect(SavedForward(exposed).label == exposed.label)
        // The end messages say it as the start does: where it listened, ns/svc/NAME for a service.
        #expect(Messages.stoppedUnexpectedly(record.label) == "Port forward stopped unexpectedly: 0.0.0.0:18080 → shop/svc/web:80")
        #expect(Messages.stoppedBeforeConnecting(pod.label) == "Port forward stopped before it connected: localhost:8080 → default/web-0:80")
    }

    @Test func sortsByContextNamespaceNameThenPodsBeforeServices() {
        let targets = [
            ForwardTarget(context: "dev", namespace: "b", name: "a"),
            ForwardTarget(context: "dev", namespace: "a", kind: .service, name: "z"),
            ForwardTarget(context: "alpha", namespace: "z", name: "z"),
            ForwardTarget(context: "dev", namespace: "a", kind: .service, name: "web"),
            ForwardTarget(context: "dev", namespace: "a", name: "web"),
        ]
        #expect(targets.sorted().map { "\($0.context)/\($0.label)" } == [
            "alpha/z/z", "dev/a/web", "dev/a/svc/web", "dev/a/svc/z", "dev/b/a",
        ])
        #expect(!(Self.web < Self.web))
    }

    @Test func forwardsSortByTargetThenLocalThenRemotePort() {
        let requests = [
            ForwardRequest(Self.web, localPort: 9000, remotePort: 80),
            ForwardRequest(Self.web, localPort: 8080, remotePort: 81),
            ForwardRequest(Self.service, localPort: 1, remotePort: 1),
            ForwardRequest(Self.web, localPort: 8080, remotePort: 80),
        ]
        #expect(requests.sorted { $0.precedes($1) }.map(\.label) == [
            "localhost:8080 → default/web-0:80", "localhost:8080 → default/web-0:81",
            "localhost:9000 → default/web-0:80", "localhost:1 → shop/svc/web:1",
        ])
    }

    @Test func theSameForwardHasTheSameTargetLocalAndRemotePort() {
        let request = ForwardRequest(Self.web, localPort: 8080, remotePort: 80)
        let record = ForwardRecord(
            id: "x", target: Self.web, localPort: 8080, remotePort: 80, status: .reconnecting, startTime: Date(),
            address: "0.0.0.0", heals: false)
        let saved = SavedForward(request)
        // Address, state and settings do not make another forward.
        #expect(record.isSameForward(as: request) && saved.isSameForward(as: record) && request.isSameForward(as: saved))
        // The remote port does.
        #expect(!saved.isSameForward(as: ForwardRequest(Self.web, localPort: 8080, remotePort: 81)))
        #expect(!record.isSameForward(as: ForwardRequest(Self.web, localPort: 8080, remotePort: 81)))
        // So do the local port and every part of the target.
        #expect(!saved.isSameForward(as: ForwardRequest(Self.web, localPort: 8081, remotePort: 80)))
        var pod = Self.web
        pod.kind = .service
        #expect(!saved.isSameForward(as: ForwardRequest(pod, localPort: 8080, remotePort: 80)))
        pod = Self.web
        pod.context = "prod"
        #expect(!saved.isSameForward(as: ForwardRequest(pod, localPort: 8080, remotePort: 80)))
    }

    @Test func savedFileKeepsItsFormat() throws {
        let saved = SavedForward(
            context: "dev", namespace: "shop", kind: .service, name: "web", localPort: 18080, remotePort: 80,
            address: "localhost", heals: false)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(saved), as: UTF8.self)
        #expect(text == #"{"address":"localhost","context":"dev","heals":false,"kind":"service","localPort":18080,"name":"web","namespace":"shop","remotePort":80}"#)
        #expect(try JSONDecoder().decode(SavedForward.self, from: Data(text.utf8)) == saved)
        #expect(saved.target == Self.service)
    }
}

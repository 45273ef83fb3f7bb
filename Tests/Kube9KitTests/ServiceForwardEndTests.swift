import KubeSim
import Kube9TestSupport
import Foundation
import Testing

@testable import Kube9Kit

/// The end of a forward to a service names the service as its target does (`ns/svc/NAME`), never as a pod.
@Suite struct ServiceForwardEndTests {
    static let service = ForwardTarget(context: "dev", namespace: "shop", kind: .service, name: "web")

    @Test func deletedNamesAPodInTheSpecsWordsAndAServiceByItsLabel() {
        #expect(Messages.deleted(ForwardTarget(context: "dev", namespace: "default", name: "web-0"))
            == "Port forward stopped: Pod 'web-0' was deleted")
        #expect(Messages.deleted(Self.service) == "Port forward stopped: Service 'shop/svc/web' was deleted")
        #expect(Messages.podBehindServiceDeleted(pod: "web-7f9c-x2", service: Self.service)
            == "Port forward stopped: Pod 'web-7f9c-x2' behind shop/svc/web was deleted")
    }

    @Test func aServiceSelectsThePodsCarryingEachOfItsLabels() {
        let service = KubeService(name: "web", namespace: "shop", selector: ["app": "web", "tier": "front"])
        func pod(_ labels: [String: String], namespace: String = "shop") -> Pod {
            Pod(name: "web-1", namespace: namespace, phase: .running, labels: labels)
        }
        #expect(service.selects(pod(["app": "web", "tier": "front", "extra": "x"])))
        #expect(!service.selects(pod(["app": "web"])))
        #expect(!service.selects(pod(["app": "web", "tier": "back"])))
        #expect(!service.selects(pod(["app": "web", "tier": "front"], namespace: "other")))
        #expect(!KubeService(name: "web", namespace: "shop").selects(pod(["app": "web"])))
    }

    /// kubectl forwarded svc/api to api-0; api-0 is deleted: the notice names the pod that went and the service,
    /// not a pod called `api`.
    @Test func aDeletedPodBehindAServiceForwardIsNamedWithTheService() async throws {
        try await KitSim.with(ForwardScenarios.standard()) { sim in
            let manager = sim.manager()
            let events = EventRecorder(manager.events())
            let target = ForwardTarget(context: "dev", namespace: "default", kind: .service, name: "api")
            let record = try await manager.startForward(
                ForwardRequest(target, localPort: freeTCPPort(), remotePort: 80, heals: false))
            // The forward's namespace watch has listed (it is what sees the pod go), then the pod goes.
            let reader = PodListFollowTests.Reader(await manager.followPods(context: "dev", namespace: "default"))
            #expect(await reader.wait { if case .listed = $0 { true } else { false } })
            reader.task.cancel()
            try await sim.deletePod(namespace: "default", name: "api-0")
            let named = await events.waitFor(timeout: .seconds(15)) {
                $0 == .notice(Notice(.info, "Port forward stopped: Pod 'api-0' behind default/svc/api was deleted"))
            }
            let notices = await events.notices
            #expect(named, "notices: \(notices)")
            #expect(await events.waitFor { if case .removed(let r) = $0 { r.id == record.id } else { false } })
            #expect(await manager.forwards().isEmpty)
            #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
        }
    }

    /// A pod that merely shares the service's name is not the service's pod: after it is deleted, the healing svc/api
    /// forward whose kubectl then dies reconnects (it ended, as if its own pod had gone).
    @Test func aDeletedPodNamedLikeTheServiceDoesNotEndItsForward() async throws {
        try await KitSim.with(ForwardScenarios.standard()) { sim in
            let manager = sim.manager()
            let target = ForwardTarget(context: "dev", namespace: "default", kind: .service, name: "api")
            let record = try await manager.startForward(ForwardRequest(target, localPort: freeTCPPort(), remotePort: 80, heals: true))
            let reader = PodListFollowTests.Reader(await manager.followPods(context: "dev", namespace: "default"))
            #expect(await reader.wait { if case .listed = $0 { true } else { false } })
            await sim.server.addPod(context: "dev", namespace: "default", pod: ScenarioPod(name: "api", phase: "Running"))
            #expect(await reader.wait { if case .added(let pod) = $0 { pod.name == "api" } else { false } })
            try await sim.deletePod(namespace: "default", name: "api")
            #expect(await reader.wait { if case .deleted(let pod) = $0 { pod.name == "api" } else { false } })
            reader.task.cancel()
            kill(try #require(record.processId), SIGKILL)
            let reconnected = await pollUntil(timeout: .seconds(30)) {
                guard let now = await manager.forwards().first else { return false }
                return now.status == .connected && now.processId != record.processId
            }
            let forwards = await manager.forwards()
            #expect(reconnected, "\(forwards)")
            await manager.stopAllForwards()
            #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
        }
    }
}

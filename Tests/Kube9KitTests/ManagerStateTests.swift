import Kube9TestSupport
import Foundation
import Testing

@testable import Kube9Kit

/// Manager behaviour that needs no cluster.
@Suite struct ManagerStateTests {
    let manager = PortForwardManager(configuration: KubectlConfiguration(kubectlPath: "/nonexistent/kubectl"))

    @Test func idsAreReadableAndDeterministic() {
        let request = ForwardRequest(context: "dev", namespace: "shop", name: "api-0", localPort: 18080, remotePort: 8080)
        #expect(PortForwardManager.forwardID(for: request) == "dev/shop/api-0:18080:8080")
    }

    @Test func stoppingAnUnknownForwardNamesIt() async {
        await #expect(throws: KubeError(.notFound, "Forward dev/x/y:1:2 not found")) {
            try await manager.stopForward(id: "dev/x/y:1:2")
        }
    }

    @Test func invalidPortsAreRefusedBeforeAnythingRuns() async {
        await #expect(throws: KubeError(.other, "Port 0 is not allowed: use 1–65535.")) {
            try await manager.startForward(ForwardRequest(context: "c", namespace: "n", name: "p", localPort: 0, remotePort: 80))
        }
        await #expect(throws: KubeError(.other, "Ports go up to 65535.")) {
            try await manager.startForward(ForwardRequest(context: "c", namespace: "n", name: "p", localPort: 8080, remotePort: 70000))
        }
        #expect(await manager.forwards().isEmpty)
        #expect(await manager.activeCount() == 0)
    }

    /// The seeds' sentence, then the path tried and what is wrong with it.
    @Test func missingKubectlIsTheVerbatimMessageAndThePathTried() async {
        let message = "kubectl not found. Please install kubectl to use port forwarding. /nonexistent/kubectl: no such file."
        await #expect(throws: KubeError(.kubectlNotFound, message)) {
            try await manager.startForward(ForwardRequest(context: "c", namespace: "n", name: "p", localPort: 18081, remotePort: 80))
        }
        await #expect(throws: KubeError(.kubectlNotFound, message)) {
            try await KubectlClient(configuration: manager.configuration).namespaces(context: "c")
        }
    }

    /// No kubectl on PATH (a reduced PATH under sudo or ssh): the seeds' sentence, the name looked for and where
    /// kubectl is to be had.
    @Test func kubectlMissingFromPathSaysWhereToGetIt() async throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("kube9-empty-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let client = KubectlClient(configuration: KubectlConfiguration(environment: ["PATH": empty]))
        await #expect(
            throws: KubeError(
                .kubectlNotFound,
                "kubectl not found. Please install kubectl to use port forwarding. No 'kubectl' on PATH; see https://kubernetes.io/docs/tasks/tools/")
        ) {
            try await client.namespaces(context: "c")
        }
    }

    @Test func everySubscriberGetsEveryEventAndASlowOneBlocksNobody() async {
        let broadcaster = EventBroadcaster<Int>()
        let slow = broadcaster.subscribe()
        let fast = broadcaster.subscribe()
        #expect(broadcaster.subscriberCount == 2)
        for value in 0..<10_000 { broadcaster.publish(value) }
        broadcaster.finishAll()
        var fastValues: [Int] = []
        for await value in fast { fastValues.append(value) }
        var slowValues: [Int] = []
        for await value in slow { slowValues.append(value) }
        #expect(fastValues == Array(0..<10_000))
        #expect(slowValues == fastValues)
    }

    @Test func aReaderThatStopsIsForgotten() async {
        let broadcaster = EventBroadcaster<Int>()
        do {
            let stream = broadcaster.subscribe()
            let reader = Task {
                for await value in stream where value == 1 { return }
            }
            broadcaster.publish(1)
            await reader.value
        }
        #expect(await pollUntil { broadcaster.subscriberCount == 0 })
    }
}

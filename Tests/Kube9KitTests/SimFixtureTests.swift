import Foundation
import Testing

@testable import Kube9Kit

/// Decoding and classification on output captured from the real kubectl talking to kube9-sim's demo cluster
/// (Fixtures/sim-*.json, Fixtures/stderr-*.txt).
@Suite struct SimFixtureTests {
    @Test func demoContexts() throws {
        let text = String(decoding: try FixtureLoader.data("sim-config-view.json"), as: UTF8.self)
        let contexts = Kubeconfig.merge([try KubeconfigFile.parse(text, path: "sim-config-view.json")]).contexts
        #expect(contexts.map(\.name) == ["kind-dev", "prod-eu", "staging"])
        #expect(contexts.filter(\.isCurrent).map(\.name) == ["kind-dev"])
        #expect(contexts.map(\.defaultNamespace) == ["default", "default", "shop"])
        #expect(contexts.map(\.user) == ["kind-dev-user", "prod-eu-user", "staging-user"])
    }

    @Test func demoPodsWithPortsPhasesAndMultipleContainers() throws {
        let pods = try KubeJSONDecoding.pods(from: FixtureLoader.data("sim-pods-default.json"))
        #expect(pods.map(\.name) == ["api-7d9f8b6c5-x2k4p", "frontend-6b7c9d8f5-m4n2p", "queue-consumer-0", "web-0", "web-1"])
        #expect(pods.map(\.phase) == [.running, .running, .pending, .running, .running])
        let frontend = pods[1]
        #expect(frontend.containers.count == 2)
        #expect(frontend.containers.flatMap(\.ports).map(\.containerPort) == [3000, 15000, 15001])
        #expect(frontend.containers.flatMap(\.ports).map(\.name) == ["http", "admin", "proxy"])
        let api = pods[0]
        #expect(api.ownerReferences.first?.kind == "ReplicaSet")
        #expect(api.podIP != nil)
        #expect(api.startTime != nil)
        #expect(api.readyCount == api.containers.count)
        let jobs = try KubeJSONDecoding.pods(from: FixtureLoader.data("sim-pods-jobs.json"))
        #expect(Set(jobs.map(\.phase)) == [.failed, .running, .succeeded])
    }

    @Test func demoSinglePod() throws {
        let pod = try KubeJSONDecoding.pod(from: FixtureLoader.data("sim-pod-web-0.json"))
        #expect(pod.name == "web-0")
        #expect(pod.namespace == "default")
        #expect(pod.containers.flatMap(\.ports) == [ContainerPort(containerPort: 80, name: "http", protocolName: "TCP")])
    }

    @Test func demoWatchStreamEndsWithTheDeletion() throws {
        var splitter = JSONObjectStreamSplitter()
        let events = try splitter.append(FixtureLoader.data("sim-watch-data.txt")).map {
            try KubeJSONDecoding.watchEvent(from: Data($0))
        }
        #expect(events.map(\.type) == ["ADDED", "ADDED", "DELETED"])
        #expect(events.last?.pod.name == "redis-0")
    }

    @Test func capturedStderrIsClassified() throws {
        func stderr(_ name: String) throws -> String { String(decoding: try FixtureLoader.data(name), as: UTF8.self) }
        #expect(
            KubectlErrorClassifier.classify(
                stderr: try stderr("stderr-forbidden.txt"), purpose: .portForward(ForwardTarget(context: "dev", namespace: "vault", name: "vault-0"), localPort: 18999))
                == KubeError(.forbidden, "Permission denied. You need pods/portforward permission in namespace 'vault'."))
        #expect(
            KubectlErrorClassifier.classify(
                stderr: try stderr("stderr-pending.txt"),
                purpose: .portForward(ForwardTarget(context: "dev", namespace: "default", name: "queue-consumer-0"), localPort: 18998))
                == KubeError(.podNotRunning, "Cannot port forward: Pod 'queue-consumer-0' is not in Running state (current: Pending)"))
        #expect(
            KubectlErrorClassifier.classify(stderr: try stderr("stderr-unreachable.txt"), purpose: .read)
                == KubeError(.unreachable, "Connection failed: Unable to reach the cluster. Check cluster connectivity."))
    }
}

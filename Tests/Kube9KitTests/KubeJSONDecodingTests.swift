import Foundation
import Testing

@testable import Kube9Kit

@Suite struct KubeJSONDecodingTests {
    @Test func namespacesWithPhases() throws {
        let namespaces = try KubeJSONDecoding.namespaces(from: FixtureLoader.data("namespaces.json"))
        #expect(namespaces.map(\.name) == ["default", "old", "bare"])
        #expect(namespaces.map(\.phase) == ["Active", "Terminating", "Active"])
    }

    @Test func podDecodesEveryFieldKube9Shows() throws {
        let pods = try KubeJSONDecoding.pods(from: FixtureLoader.data("pods.json"))
        #expect(pods.map(\.name) == ["web-0", "batch-1", "odd-phase"])
        let web = try #require(pods.first)
        #expect(web.namespace == "default")
        #expect(web.uid == "pod-uid-1")
        #expect(web.phase == .running)
        #expect(web.labels == ["app": "web", "pod-template-hash": "abc"])
        #expect(web.podIP == "10.0.0.7")
        #expect(web.startTime == Date(timeIntervalSince1970: 1_767_323_046))
        #expect(web.deletionTimestamp == nil)
        #expect(web.ownerReferences == [OwnerReference(kind: "ReplicaSet", name: "web-abc", uid: "rs-1", controller: true)])
        #expect(web.containers.count == 2)
        #expect(web.readyCount == 1)
        #expect(
            web.containers[0]
                == Container(
                    name: "nginx", image: "nginx:1.27",
                    ports: [
                        ContainerPort(containerPort: 80, name: "http", protocolName: "TCP"),
                        ContainerPort(containerPort: 443, name: "https", protocolName: "TCP"),
                    ], ready: true, restartCount: 2))
        #expect(web.containers[1].ports == [ContainerPort(containerPort: 9000, name: nil, protocolName: "UDP")])
    }

    @Test func tolerantOfMissingAndUnknownFields() throws {
        let pods = try KubeJSONDecoding.pods(from: FixtureLoader.data("pods.json"))
        let pending = pods[1]
        #expect(pending.phase == .pending)
        #expect(pending.deletionTimestamp == Date(timeIntervalSince1970: 1_767_330_000))
        #expect(pending.containers == [Container(name: "job")])
        #expect(pending.podIP == nil)
        #expect(pods[2].phase == .unknown)
        #expect(pods[2].containers.isEmpty)
    }

    @Test func singlePod() throws {
        let pod = try KubeJSONDecoding.pod(from: FixtureLoader.data("pod-running.json"))
        #expect(pod.name == "api-7d9f")
        #expect(pod.isRunning)
        #expect(pod.containers.flatMap(\.ports).map(\.containerPort) == [8080])
    }

    /// Native sidecars follow the app containers; one counts as ready once started and ready (kubectl's READY); an
    /// init container without `restartPolicy: Always` is not listed.
    @Test func nativeSidecarsAreContainersAndInitContainersAreNot() throws {
        let json = #"""
            {"metadata":{"name":"p"},"spec":{"containers":[{"name":"app"}],
              "initContainers":[{"name":"setup"},{"name":"proxy","restartPolicy":"Always","ports":[{"containerPort":15001}]},
                {"name":"logs","restartPolicy":"Always"}]},
             "status":{"phase":"Running","containerStatuses":[{"name":"app","ready":true}],
              "initContainerStatuses":[{"name":"setup","ready":false},{"name":"proxy","ready":true,"started":true},
                {"name":"logs","ready":true,"started":false}]}}
            """#
        let pod = try KubeJSONDecoding.pod(from: Data(json.utf8))
        #expect(pod.containers.map(\.name) == ["app", "proxy", "logs"])
        #expect(pod.containers.map(\.isSidecar) == [false, true, true])
        #expect(pod.containers.map(\.ready) == [true, true, false])
        #expect(pod.containers[1].ports == [ContainerPort(containerPort: 15001)])
        #expect(pod.readyCount == 2)
    }

    @Test(arguments: [
        "pods-truncated.json", "", "not json", "[1,2,3]", "{\"items\": 7}", "{\"items\": [{\"metadata\": 5}]}",
    ])
    func malformedOutputIsAnErrorValue(_ input: String) throws {
        let data = input.hasSuffix(".json") ? try FixtureLoader.data(input) : Data(input.utf8)
        #expect(throws: KubeError.self) { try KubeJSONDecoding.pods(from: data) }
        do {
            _ = try KubeJSONDecoding.pods(from: data)
        } catch {
            #expect(error.kind == .malformedOutput)
            #expect(error.message.hasPrefix("Unexpected output from kubectl (pods): "))
        }
    }

    @Test func emptyPodListIsEmpty() throws {
        #expect(try KubeJSONDecoding.pods(from: Data(#"{"kind":"List","items":[]}"#.utf8)).isEmpty)
        #expect(try KubeJSONDecoding.pods(from: Data(#"{"kind":"List"}"#.utf8)).isEmpty)
    }
}

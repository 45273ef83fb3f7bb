import Foundation
import KubeSim
import Kube9TestSupport
import Testing

/// Real kubectl listing, getting, watching and deleting against the in-process sim.
@Suite struct KubectlListingTests {
    @Test func getNamespacesListsTheDemoNamespaces() async throws {
        try await SimHarness.with { sim in
            let result = try await sim.kubectl(["get", "namespaces"])
            #expect(result.status == 0, "\(result)")
            let names = result.stdout.split(separator: "\n").dropFirst().compactMap { $0.split(separator: " ").first.map(String.init) }
            #expect(names == ["data", "default", "jobs", "monitoring"])
        }
    }

    @Test func getPodsPrintsServerSideColumns() async throws {
        try await SimHarness.with { sim in
            let result = try await sim.kubectl(["get", "pods", "-n", "default"])
            #expect(result.status == 0, "\(result)")
            let lines = result.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
            #expect(lines.first == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"])
            #expect(lines.contains { $0.starts(with: ["frontend-6b7c9d8f5-m4n2p", "2/2", "Running", "0"]) })
            #expect(lines.contains { $0.starts(with: ["queue-consumer-0", "0/1", "ContainerCreating", "0"]) })
            let namespaces = try await sim.kubectl(["get", "namespaces", "--context", "staging"])
            #expect(namespaces.stdout.hasPrefix("NAME          STATUS   AGE\n"), "\(namespaces)")
            #expect(namespaces.stdout.contains("vault         Active"))
        }
    }

    @Test func getPodsAllNamespacesAsJSON() async throws {
        try await SimHarness.with { sim in
            let result = try await sim.kubectl(["get", "pods", "-A", "-o", "json"])
            #expect(result.status == 0, "\(result)")
            let list = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let items = try #require(list?["items"] as? [[String: Any]])
            #expect(items.count == 12)
            let web = try #require(items.first { ($0["metadata"] as? [String: Any])?["name"] as? String == "web-0" })
            let metadata = try #require(web["metadata"] as? [String: Any])
            #expect((metadata["uid"] as? String)?.count == 36)
            #expect(metadata["resourceVersion"] is String)
            #expect(metadata["creationTimestamp"] is String)
            let status = try #require(web["status"] as? [String: Any])
            #expect(status["phase"] as? String == "Running")
            #expect((status["podIP"] as? String)?.hasPrefix("10.244.") == true)
            #expect(status["startTime"] is String)
            let statuses = try #require(status["containerStatuses"] as? [[String: Any]])
            #expect(statuses.first?["ready"] as? Bool == true)
            let conditions = try #require(status["conditions"] as? [[String: Any]])
            #expect(conditions.contains { $0["type"] as? String == "Ready" && $0["status"] as? String == "True" })
            let api = try #require(items.first { ($0["metadata"] as? [String: Any])?["name"] as? String == "api-7d9f8b6c5-x2k4p" })
            let owners = try #require((api["metadata"] as? [String: Any])?["ownerReferences"] as? [[String: Any]])
            #expect(owners.first?["kind"] as? String == "ReplicaSet")
            #expect(owners.first?["name"] as? String == "api-7d9f8b6c5")
        }
    }

    @Test func getMissingPodIsNotFound() async throws {
        try await SimHarness.with { sim in
            let result = try await sim.kubectl(["get", "pod", "nope", "-n", "default"])
            #expect(result.status == 1)
            #expect(result.stderr.contains(#"Error from server (NotFound): pods "nope" not found"#), "\(result)")
        }
    }

    @Test func deletePodRemovesIt() async throws {
        try await SimHarness.with { sim in
            let deleted = try await sim.kubectl(["delete", "pod", "web-1", "-n", "default"])
            #expect(deleted.status == 0, "\(deleted)")
            #expect(deleted.stdout.contains(#"pod "web-1" deleted"#))
            let after = try await sim.kubectl(["get", "pod", "web-1", "-n", "default"])
            #expect(after.status == 1)
            #expect(after.stderr.contains(#"pods "web-1" not found"#))
        }
    }

    @Test func watchSeesDeletedEvent() async throws {
        try await SimHarness.with { sim in
            let watch = try sim.spawnKubectl(["get", "pods", "-n", "default", "--watch", "--output-watch-events", "-o", "json"])
            // kubectl prints one compact JSON event per line.
            let added = try await watch.waitForLine(containing: #""name":"web-0""#, in: .stdout, timeout: .seconds(30))
            #expect(added.hasPrefix(#"{"type":"ADDED""#))
            await sim.server.deletePod(context: "kind-dev", namespace: "default", name: "web-0")
            let deleted = try await watch.waitForLine(containing: #""type":"DELETED""#, in: .stdout, timeout: .seconds(20))
            #expect(deleted.contains(#""name":"web-0""#))
            #expect(deleted.contains(#""deletionTimestamp""#))
            watch.kill()
            _ = try await watch.waitForExit(timeout: .seconds(10))
        }
    }

    @Test func plainWatchPrintsNewPods() async throws {
        try await SimHarness.with { sim in
            let watch = try sim.spawnKubectl(["get", "pods", "-n", "data", "--watch"])
            _ = try await watch.waitForLine(containing: "redis-0", in: .stdout, timeout: .seconds(30))
            await sim.server.addPod(
                context: "kind-dev", namespace: "data",
                pod: ScenarioPod(name: "kafka-0", containers: [ScenarioContainer(name: "kafka", ports: [ScenarioPort(containerPort: 9092)])]))
            _ = try await watch.waitForLine(containing: "kafka-0", in: .stdout, timeout: .seconds(20))
            watch.kill()
            _ = try await watch.waitForExit(timeout: .seconds(10))
        }
    }

    @Test func logsNameTheContainerAndItsPorts() async throws {
        try await SimHarness.with { sim in
            let logs = try await sim.kubectl(["logs", "frontend-6b7c9d8f5-m4n2p", "-c", "envoy"])
            #expect(logs.status == 0, "\(logs)")
            #expect(logs.stdout.contains("kube9-sim: container envoy of default/frontend-6b7c9d8f5-m4n2p started"))
            #expect(logs.stdout.contains("listening on 15001/TCP"))
            let pending = try await sim.kubectl(["logs", "queue-consumer-0"])
            #expect(pending.status == 1)
            #expect(pending.stderr.contains(#"container "consumer" in pod "queue-consumer-0" is waiting to start: ContainerCreating"#))
        }
    }

    @Test func namespaceWatchSeesANewNamespace() async throws {
        try await SimHarness.with { sim in
            let watch = try sim.spawnKubectl(["get", "namespaces", "--watch"])
            _ = try await watch.waitForLine(containing: "monitoring", in: .stdout, timeout: .seconds(30))
            await sim.server.addPod(context: "kind-dev", namespace: "batch", pod: ScenarioPod(name: "cron-0"))
            let line = try await watch.waitForLine(containing: "batch", in: .stdout, timeout: .seconds(20))
            #expect(line.contains("Active"))
            let pods = try await sim.kubectl(["get", "pods", "-n", "batch", "-o", "name"])
            #expect(pods.stdout == "pod/cron-0\n")
            watch.kill()
            _ = try await watch.waitForExit(timeout: .seconds(10))
        }
    }

    @Test func replaceOnDeleteBringsARunningReplacement() async throws {
        try await SimHarness.with { sim in
            let deleted = try await sim.kubectl(["delete", "pod", "api-7d9f8b6c5-x2k4p", "-n", "default"])
            #expect(deleted.status == 0, "\(deleted)")
            try #require(try await pollUntil(timeout: .seconds(20)) {
                let list = try await sim.kubectl(["get", "pods", "-n", "default", "-l", "app=api", "-o",
                    "jsonpath={range .items[*]}{.metadata.name} {.status.phase}{\"\\n\"}{end}"])
                return list.stdout.split(separator: "\n").contains { $0.hasPrefix("api-7d9f8b6c5-") && $0.hasSuffix(" Running") }
            }, "a Running replacement api pod")
        }
    }

    @Test(arguments: [27, 33])
    func versionPicksTheKubectlMinor(minor: Int) async throws {
        let scenario = #"{"contexts":[{"name":"v\#(minor)","kubectlMinor":\#(minor),"namespaces":[{"name":"default","pods":[{"name":"p"}]}]}]}"#
        try await SimHarness.with(scenarioJSON: scenario) { sim in
            let version = try await sim.kubectl(["version", "-o", "json"])
            #expect(version.status == 0, "\(version)")
            let object = try JSONSerialization.jsonObject(with: Data(version.stdout.utf8)) as? [String: Any]
            let client = try #require(object?["clientVersion"] as? [String: Any])
            let server = try #require(object?["serverVersion"] as? [String: Any])
            #expect(client["minor"] as? String == String(minor))
            #expect(server["minor"] as? String == String(minor))
            let pods = try await sim.kubectl(["get", "pods", "-o", "name"])
            #expect(pods.stdout == "pod/p\n", "\(pods)")
        }
    }

    @Test func unreachableContextIsRefused() async throws {
        try await SimHarness.with { sim in
            let result = try await sim.kubectl(["get", "pods", "--context", "prod-eu"], timeout: .seconds(60))
            #expect(result.status == 1)
            let port = try #require(sim.server.apiPort(context: "prod-eu"))
            #expect(result.stderr.contains("The connection to the server 127.0.0.1:\(port) was refused"), "\(result)")
        }
    }
}

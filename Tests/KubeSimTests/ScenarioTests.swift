import Foundation
import KubeSim
import Kube9TestSupport
import Testing

/// Scenario decoding, defaults, validation errors that name the JSON path, and the demo cluster's contents.
@Suite struct ScenarioTests {
    @Test func minimalScenarioGetsDefaults() throws {
        let scenario = try Scenario.decode(json: #"{"contexts":[{"name":"dev","namespaces":[{"name":"default","pods":[{"name":"web-0","containers":[{"name":"nginx","ports":[{"containerPort":80}]}]}]}]}]}"#)
        let context = try #require(scenario.contexts.first)
        #expect(context.kubectlMinor == nil)
        #expect(context.unreachable == false)
        #expect(context.latencyMs == 0)
        let pod = try #require(context.namespaces.first?.pods.first)
        #expect(pod.phase == "Running")
        #expect(pod.replaceOnDelete == false)
        #expect(pod.containers.first?.ports.first?.protocol == "TCP")
    }

    /// Kubeconfig context names are not Kubernetes names: EKS writes ARNs, GKE `gke_…`, people type spaces. kubectl
    /// lists the context by that name, and the pods' node is still a DNS label.
    @Test func contextsAreNamedAsCloudsNameThem() async throws {
        let eks = "arn:aws:eks:us-east-1:123456789012:cluster/prod"
        let json = #"{"contexts":[{"name":"\#(eks)","namespace":"web","namespaces":[{"name":"web","pods":[{"name":"web-0"}]}]},"#
            + #"{"name":"my cluster (staging)"}]}"#
        try await SimHarness.with(scenarioJSON: json) { harness in
            let contexts = try await harness.kubectl(["config", "get-contexts", "-o", "name"])
            #expect(contexts.stdout.split(separator: "\n") == [Substring(eks), "my cluster (staging)"], "\(contexts)")
            let node = try await harness.kubectl(["--context", eks, "-n", "web", "get", "pod", "web-0", "-o", "jsonpath={.spec.nodeName}"])
            #expect(node.status == 0 && node.stdout == "arn-aws-eks-us-east-1-123456789012-cluster-prod-control-plane", "\(node)")
        }
    }

    @Test func scenarioRoundTripsThroughJSON() throws {
        let data = try JSONEncoder().encode(Scenario.demo)
        let decoded = try Scenario.decode(json: String(decoding: data, as: UTF8.self))
        #expect(decoded == Scenario.demo)
    }

    @Test(arguments: [
        (#"{"contexts":[{"name":"a","latencyMs":"slow"}]}"#, "contexts[0].latencyMs", "expected an integer"),
        (#"{"contexts":[{"name":"a","namespaces":[{"name":"n","pods":[{"name":"p"},{"phase":"Running"}]}]}]}"#,
         "contexts[0].namespaces[0].pods[1].name", "missing required field \"name\""),
        (#"{"contexts":[{"name":"a","namespaces":[{"name":"n","pods":[{"name":"p","phase":"Runing"}]}]}]}"#,
         "contexts[0].namespaces[0].pods[0].phase", "unknown phase \"Runing\""),
        (#"{"contexts":[{"name":"a","namespaces":[{"name":"n","pods":[{"name":"p","containers":[{"name":"c","ports":[{"containerPort":70000}]}]}]}]}]}"#,
         "contexts[0].namespaces[0].pods[0].containers[0].ports[0].containerPort", "must be between 1 and 65535"),
        (#"{"contexts":[{"name":"a","kubectlMinor":40}]}"#, "contexts[0].kubectlMinor", "must be between 27 and 33"),
        (#"{"contexts":[{"name":"a"},{"name":"a"}]}"#, "contexts[1].name", "duplicate context name"),
        (#"{"contexts":[]}"#, "contexts", "at least one context"),
        ("{\"contexts\":[{\"name\":\"a\\u0007b\"}]}", "contexts[0].name", "must not contain control characters"),
        (#"{"contexts":{"name":"a"}}"#, "contexts", "expected an array"),
        (#"{"contexts":[{"name":"a","namespaces":[{"name":"n","pods":[{"name":"p","containers":[{"name":"c","restartPolicy":"Always"}]}]}]}]}"#,
         "contexts[0].namespaces[0].pods[0].containers[0].restartPolicy", "only init containers have one"),
        (#"{"contexts":[{"name":"a","namespaces":[{"name":"n","pods":[{"name":"p","initContainers":[{"name":"i","restartPolicy":"OnFailure"}]}]}]}]}"#,
         "contexts[0].namespaces[0].pods[0].initContainers[0].restartPolicy", "unsupported value \"OnFailure\""),
        (#"{"contexts":[{"name":"a","namespaces":[{"name":"n","workloads":[{"kind":"CronJob","name":"w","selector":{"a":"b"}}]}]}]}"#,
         "contexts[0].namespaces[0].workloads[0].kind", "unknown kind \"CronJob\""),
        (#"{"contexts":[{"name":"a","namespaces":[{"name":"n","workloads":[{"kind":"Deployment","name":"w","selector":{}}]}]}]}"#,
         "contexts[0].namespaces[0].workloads[0].selector", "must not be empty"),
        (#"{"contexts":[{"name":"a","namespaces":[{"name":"n","pods":[{"name":"p","containers":[{"name":"c"}],"initContainers":[{"name":"c"}]}]}]}]}"#,
         "contexts[0].namespaces[0].pods[0].initContainers[0].name", "duplicate container name \"c\""),
    ])
    func decodeErrorsNameTheJSONPath(json: String, path: String, problem: String) {
        do {
            _ = try Scenario.decode(json: json)
            Issue.record("decoded \(json)")
        } catch let error as ScenarioError {
            #expect(error.path == path)
            #expect(error.problem.contains(problem), "\(error)")
            #expect(error.description.contains("at \(path): "))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func invalidJSONSaysSo() {
        #expect {
            try Scenario.decode(json: #"{"contexts": [ {"name": "a",, } ]}"#)
        } throws: { error in
            (error as? ScenarioError)?.problem == "not valid JSON (syntax error at line 1, column 29)"
        }
    }

    @Test func loadNamesTheFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-\(UUID().uuidString).json").path
        try Data(#"{"contexts":[{"name":"a","unreachable":"yes"}]}"#.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try Scenario.load(path: path)
        } throws: { error in
            "\(error)" == "invalid scenario file \(path) at contexts[0].unreachable: expected true or false"
        }
        #expect {
            try Scenario.load(path: path + ".missing")
        } throws: { error in
            "\(error)".hasPrefix("invalid scenario file \(path).missing: cannot read the file")
        }
    }

    @Test func demoClusterHasEveryKindOfPod() {
        let demo = Scenario.demo
        #expect(demo.contexts.filter { !$0.unreachable }.count >= 2)
        #expect(demo.contexts.filter(\.unreachable).count >= 1)
        let namespaces = demo.contexts.flatMap(\.namespaces)
        let pods = namespaces.flatMap(\.pods)
        #expect(namespaces.count >= 5)
        #expect(pods.count >= 10)
        #expect(pods.contains { $0.containers.count > 1 })
        #expect(pods.contains { $0.containers.flatMap(\.ports).count > 1 })
        #expect(pods.contains { $0.phase == "Pending" })
        #expect(pods.contains { $0.phase == "Succeeded" || $0.phase == "Failed" })
        #expect(pods.contains { $0.phase == "Running" && $0.containers.allSatisfy(\.ports.isEmpty) })
        #expect(pods.contains { $0.replaceOnDelete })
        #expect(namespaces.contains { $0.forbidPortForward })
    }
}

/// The `kube9-sim` executable: kubeconfig written once listening, clean exit on signals, exit 2 on a bad scenario.
@Suite struct KubeSimExecutableTests {
    @Test func malformedScenarioExitsTwoNamingFileAndPath() async throws {
        let executable = try BuiltExecutables.path(of: "kube9-sim")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kube9-sim-exe-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let scenario = directory + "/bad.json"
        try Data(#"{"contexts":[{"name":"a","namespaces":[{"name":"n","pods":[{"name":"p","phase":42}]}]}]}"#.utf8)
            .write(to: URL(fileURLWithPath: scenario))
        let result = try await runProcess(
            [executable, "--kubeconfig", directory + "/kubeconfig", "--scenario", scenario], timeout: .seconds(30))
        #expect(result.status == 2)
        #expect(result.stderr.contains("invalid scenario file \(scenario) at contexts[0].namespaces[0].pods[0].phase: expected a string"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/kubeconfig"))
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func runsUntilSignalledThenExitsZero(signal: Int32) async throws {
        let executable = try BuiltExecutables.path(of: "kube9-sim")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kube9-sim-exe-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory + "/home", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let kubeconfig = directory + "/kubeconfig"
        let sim = try SpawnedProcess.start(argv: [executable, "--kubeconfig", kubeconfig])
        do {
            try await sim.waitForLine(containing: "kubeconfig written", in: .stderr, timeout: .seconds(30))
            let text = try String(contentsOfFile: kubeconfig, encoding: .utf8)
            #expect(text.contains("current-context: \"kind-dev\""))
            let pods = try await runProcess(
                ["/usr/bin/kubectl", "--kubeconfig", kubeconfig, "get", "pods", "-n", "data", "-o", "name"],
                environment: ["HOME": directory + "/home", "PATH": "/usr/bin:/bin"], timeout: .seconds(30))
            #expect(pods.stdout == "pod/postgres-0\npod/redis-0\n", "\(pods)")
            sim.signal(signal)
            let result = try await sim.waitForExit(timeout: .seconds(10))
            #expect(result.status == 0, "\(result)")
        } catch {
            sim.kill()
            throw error
        }
    }
}

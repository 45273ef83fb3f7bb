import Foundation
import KubeSim
import Kube9TestSupport
import Testing

/// apps/v1 workloads as real kubectl reads them from the sim: discovery resolves `deploy` and `sts`, the objects
/// carry their selector, a missing one is the API server's NotFound, and `kubectl port-forward deploy/NAME` reaches
/// a pod the selector selects.
@Suite struct WorkloadTests {
    static let scenario = #"""
        {"contexts":[{"name":"dev","namespace":"default","namespaces":[{"name":"default",
          "pods":[{"name":"web-5d8f7-abcde","labels":{"app":"web"},"containers":[{"name":"nginx","ports":[{"containerPort":80}]}]},
                  {"name":"db-0","labels":{"app":"db"},"containers":[{"name":"pg","ports":[{"containerPort":5432}]}]}],
          "workloads":[{"kind":"Deployment","name":"web","selector":{"app":"web"}},
                       {"kind":"StatefulSet","name":"db","selector":{"app":"db"}}]}]}]}
        """#

    @Test func kubectlGetsWorkloadsAndForwardsToTheirPod() async throws {
        try await SimHarness.with(scenarioJSON: Self.scenario) { sim in
            let deployment = try await sim.kubectl(["get", "deploy", "web", "-o", "json", "--context", "dev"])
            #expect(deployment.status == 0, "\(deployment)")
            let object = try JSONSerialization.jsonObject(with: Data(deployment.stdout.utf8)) as? [String: Any]
            #expect(object?["apiVersion"] as? String == "apps/v1" && object?["kind"] as? String == "Deployment")
            let spec = object?["spec"] as? [String: Any]
            #expect((spec?["selector"] as? [String: Any])?["matchLabels"] as? [String: String] == ["app": "web"])
            #expect(spec?["replicas"] as? Int == 1)

            // The server's columns, as kubectl prints them.
            let table = try await sim.kubectl(["get", "deploy,sts", "--context", "dev"])
            let rows = table.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            #expect(rows.contains(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]), "\(table)")
            #expect(rows.contains { $0.starts(with: ["deployment.apps/web", "1/1", "1", "1"]) }, "\(table)")
            #expect(rows.contains { $0.starts(with: ["statefulset.apps/db", "1/1"]) }, "\(table)")

            let names = try await sim.kubectl(["get", "statefulsets", "-o", "name", "--context", "dev"])
            #expect(names.stdout == "statefulset.apps/db\n", "\(names)")
            let missing = try await sim.kubectl(["get", "deployment", "nope", "--context", "dev"])
            #expect(missing.status == 1 && missing.stderr.contains(#"deployments.apps "nope" not found"#), "\(missing)")

            // The dispatcher's kubectl and Debian's 1.20 (legacy discovery and the older port-forward path).
            for binary in [SimHarness.kubectlPath, try KubectlBinaries.debian120()] {
                let local = freeTCPPort()
                let forward = try sim.spawnKubectl(["port-forward", "deploy/web", "\(local):80", "--context", "dev"], binary: binary)
                _ = try await forward.waitForLine(containing: "Forwarding from 127.0.0.1:\(local)", timeout: .seconds(30))
                let response = try await httpGet(port: local, timeout: .seconds(10))
                #expect(response.body == "kube9-sim dev/default/web-5d8f7-abcde:80\n", "\(binary)")
                forward.kill()
            }
        }
    }
}

import Foundation
import Kube9TestSupport
import Testing

@testable import Kube9Kit

extension KubectlIntegration {
    /// The kubeconfig kube9 reads from the files against what the real kubectl makes of the same KUBECONFIG list
    /// (`kubectl config view -o json`): same contexts, same fields, same current-context, in both list orders.
    @Suite(.serialized) struct KubeconfigAgainstKubectlTests {
        struct Seen: Equatable {
            var current: String?
            var contexts: [KubeContext]
        }

        static func kubectlView(_ list: String, home: String) async throws -> Seen {
            var environment = ProcessInfo.processInfo.environment
            environment["KUBECONFIG"] = list
            environment["HOME"] = home
            let result = try await runProcess(["/usr/bin/env", "kubectl", "config", "view", "-o", "json"], environment: environment, timeout: .seconds(60))
            #expect(result.status == 0, "\(result)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let current = (object["current-context"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            let entries = object["contexts"] as? [[String: Any]] ?? []
            let contexts = entries.map { entry in
                let body = entry["context"] as? [String: Any] ?? [:]
                let name = entry["name"] as? String ?? ""
                return KubeContext(
                    name: name, cluster: body["cluster"] as? String ?? "", user: body["user"] as? String ?? "",
                    namespace: (body["namespace"] as? String).flatMap { $0.isEmpty ? nil : $0 }, isCurrent: name == current)
            }
            return Seen(current: current, contexts: contexts)
        }

        @Test func theSameContextsAndCurrentContextAsKubectl() async throws {
            let folder = try KubeconfigTests.Folder()
            try FileManager.default.createDirectory(atPath: folder.path + "/home", withIntermediateDirectories: true)
            // Every cluster on a closed port: the gcloud dispatcher's version probe fails at once.
            let port = freeTCPPort()
            let clusters = "clusters:\n- name: c1\n  cluster: {server: \"http://127.0.0.1:\(port)\"}\n"
            let a = try folder.write("a", clusters + KubeconfigTests.first)
            let b = try folder.write("b", clusters.replacingOccurrences(of: "c1", with: "c2") + KubeconfigTests.second)
            let c = try folder.write("c", KubeconfigTests.third)
            for list in ["\(a):\(folder.path)/missing:\(b):\(c)", "\(c):\(b):\(a)", "\(b)::\(a):\(b)"] {
                let kube9 = try Kubeconfig.load(KubeconfigSource(explicit: nil, environment: ["KUBECONFIG": list]))
                let kubectl = try await Self.kubectlView(list, home: folder.path + "/home")
                #expect(Seen(current: kube9.currentContext, contexts: kube9.contexts) == kubectl, "KUBECONFIG=\(list)")
            }
        }
    }
}

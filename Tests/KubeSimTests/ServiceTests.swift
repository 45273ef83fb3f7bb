import Foundation
import KubeSim
import Kube9TestSupport
import Testing

/// Services: listed with selectors and ports, and `kubectl port-forward svc/NAME` resolving the target port.
@Suite struct ServiceTests {
    @Test func servicesListAsJSONWithSelectorAndTargetPorts() async throws {
        try await SimHarness.with { sim in
            let result = try await sim.kubectl(["get", "services", "-n", "default", "-o", "json"])
            #expect(result.status == 0, "\(result)")
            let list = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let items = try #require(list?["items"] as? [[String: Any]])
            #expect(items.compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String } == ["api", "web"])
            let api = try #require(items.first?["spec"] as? [String: Any])
            #expect(api["selector"] as? [String: String] == ["app": "api"])
            let ports = try #require(api["ports"] as? [[String: Any]])
            #expect(ports.first?["port"] as? Int == 80)
            #expect(ports.first?["targetPort"] as? Int == 8080)
            #expect(ports.last?["targetPort"] as? String == "metrics")
        }
    }

    @Test(arguments: [(80, 8080), (9090, 9090)])
    func forwardingAServicePortReachesThePodsTargetPort(servicePort: Int, containerPort: Int) async throws {
        try await SimHarness.with { sim in
            let (forward, port) = try await sim.startPortForward("svc/api", remotePort: servicePort, namespace: "default")
            let line = try await forward.waitForLine(containing: "Forwarding from 127.0.0.1:", in: .stdout, timeout: .seconds(5))
            #expect(line.hasSuffix("-> \(containerPort)"))
            let answer = try await httpGet(port: port, timeout: .seconds(20))
            #expect(answer.body == "kube9-sim kind-dev/default/api-7d9f8b6c5-x2k4p:\(containerPort)\n")
        }
    }

    @Test func scenarioServicesDecode() throws {
        let scenario = try Scenario.decode(json: #"""
            {"contexts":[{"name":"c","namespaces":[{"name":"n","services":[
              {"name":"s","selector":{"app":"a"},"ports":[{"port":80,"targetPort":"http"},{"port":81,"targetPort":8081},{"port":82}]}]}]}]}
            """#)
        let service = try #require(scenario.contexts.first?.namespaces.first?.services.first)
        #expect(service.type == "ClusterIP")
        #expect(service.ports.map(\.targetPort) == [.name("http"), .number(8081), nil])
        #expect(throws: ScenarioError.self) {
            try Scenario.decode(json: #"{"contexts":[{"name":"c","namespaces":[{"name":"n","services":[{"name":"s","ports":[{"port":0}]}]}]}]}"#)
        }
    }
}

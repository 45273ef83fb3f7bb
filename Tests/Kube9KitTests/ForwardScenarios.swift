/// Scenario files for the manager's integration tests (format: issue 2 / README).
enum ForwardScenarios {
    static func pod(_ name: String, phase: String = "Running", ports: [Int] = [80]) -> String {
        let portList = ports.map { #"{"containerPort": \#($0), "name": "p\#($0)", "protocol": "TCP"}"# }
            .joined(separator: ", ")
        return #"{"name": "\#(name)", "phase": "\#(phase)", "labels": {"app": "\#(name)"}, "containers": [{"name": "main", "ports": [\#(portList)]}]}"#
    }

    /// `dev` (namespace `default`: web-0, api-0, pending-0; `locked`: forbids port-forward) and, when asked, a
    /// slow context and an unreachable one.
    static func standard(latencyMs: Int? = nil, unreachable: Bool = false) -> String {
        var contexts = [
            #"""
            {"name": "dev", "namespaces": [
                {"name": "default", "pods": [\#(pod("web-0")), \#(pod("api-0", ports: [8080, 9090])), \#(pod("pending-0", phase: "Pending"))],
                 "services": [{"name": "api", "selector": {"app": "api-0"}, "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}]},
                {"name": "locked", "forbidPortForward": true, "pods": [\#(pod("secret-0"))]}
            ]}
            """#
        ]
        if let latencyMs {
            contexts.append(
                #"{"name": "slow", "latencyMs": \#(latencyMs), "namespaces": [{"name": "default", "pods": [\#(pod("web-0"))]}]}"#)
        }
        if unreachable {
            contexts.append(#"{"name": "down", "unreachable": true, "namespaces": [{"name": "default", "pods": []}]}"#)
        }
        return #"{"contexts": [\#(contexts.joined(separator: ", "))]}"#
    }
}

import Foundation

extension Scenario {
    /// Reads and validates a scenario file. Errors are `ScenarioError`s naming the file and the JSON path.
    public static func load(path: String) throws -> Scenario {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ScenarioError(file: path, path: "", problem: "cannot read the file (\(error.localizedDescription))")
        }
        return try decode(data: data, file: path)
    }

    /// Decodes and validates a scenario given as JSON text.
    public static func decode(json: String) throws -> Scenario {
        try decode(data: Data(json.utf8), file: nil)
    }

    static func decode(data: Data, file: String?) throws -> Scenario {
        let scenario: Scenario
        do {
            scenario = try JSONDecoder().decode(Scenario.self, from: data)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                throw ScenarioError(file: file, path: "", problem: Self.syntaxProblem(in: data))
            }
            throw ScenarioError(file: file, path: Self.path(of: error), problem: Self.problem(of: error))
        }
        try ScenarioValidator(file: file).validate(scenario)
        return scenario
    }

    static func render(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    private static func path(of error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return render(context.codingPath)
        case .keyNotFound(let key, let context):
            return render(context.codingPath + [key])
        @unknown default:
            return ""
        }
    }

    private static func problem(of error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, _):
            return "expected \(Self.jsonTypeName(type))"
        case .valueNotFound(let type, _):
            return "expected \(Self.jsonTypeName(type)), found null"
        case .keyNotFound(let key, _):
            return "missing required field \"\(key.stringValue)\""
        case .dataCorrupted(let context):
            if let underlying = context.underlyingError {
                return "not valid JSON (\(Self.describe(underlying)))"
            }
            return context.debugDescription
        @unknown default:
            return "\(error)"
        }
    }

    /// Where the JSON stops being JSON, as line and column.
    private static func syntaxProblem(in data: Data) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return "not valid JSON"
        } catch {
            let detail = describe(error)
            guard let range = detail.range(of: "character "),
                let offset = Int(detail[range.upperBound...].prefix { $0.isNumber })
            else { return "not valid JSON (\(detail))" }
            var line = 1
            var column = 1
            for byte in data.prefix(offset) {
                if byte == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            }
            return "not valid JSON (syntax error at line \(line), column \(column))"
        }
    }

    private static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        if let detail = nsError.userInfo[NSDebugDescriptionErrorKey] as? String { return detail }
        return "\(error)"
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "an integer"
        case is Bool.Type: return "true or false"
        case is [String: String].Type: return "an object of strings"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "an object"
        }
    }
}

/// Checks what JSON decoding cannot: value ranges, known phases, unique names.
struct ScenarioValidator {
    let file: String?

    static let phases = ["Pending", "Running", "Succeeded", "Failed", "Unknown"]
    static let protocols = ["TCP", "UDP", "SCTP"]

    func validate(_ scenario: Scenario) throws {
        if scenario.contexts.isEmpty {
            throw fail("contexts", "at least one context is required")
        }
        var contextNames = Set<String>()
        for (ci, context) in scenario.contexts.enumerated() {
            let cp = "contexts[\(ci)]"
            try checkContextName(context.name, at: "\(cp).name")
            if !contextNames.insert(context.name).inserted {
                throw fail("\(cp).name", "duplicate context name \"\(context.name)\"")
            }
            if let minor = context.kubectlMinor, !(27...33).contains(minor) {
                throw fail("\(cp).kubectlMinor", "must be between 27 and 33, got \(minor)")
            }
            if context.latencyMs < 0 || context.latencyMs > 600_000 {
                throw fail("\(cp).latencyMs", "must be between 0 and 600000, got \(context.latencyMs)")
            }
            if context.portForwardProtocols.isEmpty {
                throw fail("\(cp).portForwardProtocols", "name at least one of websocket, spdy")
            }
            if let auth = context.auth, auth.tokens.contains(where: \.isEmpty) || auth.expiredTokens.contains(where: \.isEmpty) {
                throw fail("\(cp).auth", "tokens must not be empty")
            }
            if let exec = context.user?.exec, exec.command.isEmpty {
                throw fail("\(cp).user.exec.command", "must not be empty")
            }
            var namespaceNames = Set<String>()
            for (ni, namespace) in context.namespaces.enumerated() {
                let np = "\(cp).namespaces[\(ni)]"
                try checkName(namespace.name, at: "\(np).name")
                if !namespaceNames.insert(namespace.name).inserted {
                    throw fail("\(np).name", "duplicate namespace name \"\(namespace.name)\"")
                }
                var serviceNames = Set<String>()
                for (si, service) in namespace.services.enumerated() {
                    let sp = "\(np).services[\(si)]"
                    try checkName(service.name, at: "\(sp).name")
                    if !serviceNames.insert(service.name).inserted {
                        throw fail("\(sp).name", "duplicate service name \"\(service.name)\"")
                    }
                    for (qi, port) in service.ports.enumerated() {
                        if !(1...65535).contains(port.port) {
                            throw fail("\(sp).ports[\(qi)].port", "must be between 1 and 65535, got \(port.port)")
                        }
                        if case .number(let target) = port.targetPort, !(1...65535).contains(target) {
                            throw fail("\(sp).ports[\(qi)].targetPort", "must be between 1 and 65535, got \(target)")
                        }
                    }
                }
                var workloadNames = Set<String>()
                for (wi, workload) in namespace.workloads.enumerated() {
                    let wp = "\(np).workloads[\(wi)]"
                    guard ScenarioWorkload.resources[workload.kind] != nil else {
                        throw fail(
                            "\(wp).kind",
                            "unknown kind \"\(workload.kind)\" (expected Deployment, StatefulSet, ReplicaSet or DaemonSet)")
                    }
                    try checkName(workload.name, at: "\(wp).name")
                    if !workloadNames.insert(workload.kind + "/" + workload.name).inserted {
                        throw fail("\(wp).name", "duplicate \(workload.kind) name \"\(workload.name)\"")
                    }
                    // As the API server: a workload's selector must not be empty.
                    if workload.selector.isEmpty { throw fail("\(wp).selector", "must not be empty") }
                }
                for verb in namespace.forbidPodVerbs where !ScenarioNamespace.podVerbs.contains(verb) {
                    throw fail("\(np).forbidPodVerbs", "unknown verb \"\(verb)\" (expected one of \(ScenarioNamespace.podVerbs.sorted().joined(separator: ", ")))")
                }
                var podNames = Set<String>()
                for (pi, pod) in namespace.pods.enumerated() {
                    let pp = "\(np).pods[\(pi)]"
                    try checkName(pod.name, at: "\(pp).name")
                    if !podNames.insert(pod.name).inserted {
                        throw fail("\(pp).name", "duplicate pod name \"\(pod.name)\"")
                    }
                    if !Self.phases.contains(pod.phase) {
                        throw fail(
                            "\(pp).phase",
                            "unknown phase \"\(pod.phase)\" (expected one of \(Self.phases.joined(separator: ", ")))")
                    }
                    if pod.terminationGracePeriodSeconds < 0 {
                        throw fail("\(pp).terminationGracePeriodSeconds", "must be greater than or equal to 0")
                    }
                    let all = pod.containers.enumerated().map { ("\(pp).containers[\($0)]", $1, false) }
                        + pod.initContainers.enumerated().map { ("\(pp).initContainers[\($0)]", $1, true) }
                    var containerNames = Set<String>()
                    for (kp, container, isInit) in all {
                        try checkName(container.name, at: "\(kp).name")
                        if !containerNames.insert(container.name).inserted {
                            throw fail("\(kp).name", "duplicate container name \"\(container.name)\"")
                        }
                        // As the API server: a restartPolicy only on init containers, and only Always.
                        if let policy = container.restartPolicy {
                            if !isInit { throw fail("\(kp).restartPolicy", "only init containers have one") }
                            if policy != ScenarioContainer.sidecarRestartPolicy {
                                throw fail(
                                    "\(kp).restartPolicy",
                                    "unsupported value \"\(policy)\" (expected \(ScenarioContainer.sidecarRestartPolicy))")
                            }
                        }
                        for (qi, port) in container.ports.enumerated() {
                            let qp = "\(kp).ports[\(qi)]"
                            if !(1...65535).contains(port.containerPort) {
                                throw fail("\(qp).containerPort", "must be between 1 and 65535, got \(port.containerPort)")
                            }
                            if !Self.protocols.contains(port.protocol) {
                                throw fail("\(qp).protocol", "unknown protocol \"\(port.protocol)\" (expected TCP, UDP or SCTP)")
                            }
                            if let reset = port.resetAfterBytes, reset < 0 {
                                throw fail("\(qp).resetAfterBytes", "must be 0 or more, got \(reset)")
                            }
                        }
                    }
                }
            }
        }
    }

    private func checkName(_ name: String, at path: String) throws {
        if name.isEmpty { throw fail(path, "must not be empty") }
        if name.utf8.count > 253 { throw fail(path, "longer than 253 characters") }
        if name.contains(where: { $0 == "/" || $0.isWhitespace || $0 == "%" || $0 == "?" }) {
            throw fail(path, "\"\(name)\" is not a valid Kubernetes name")
        }
    }

    /// A kubeconfig's context names are not Kubernetes names: EKS names its contexts by ARN
    /// (`arn:aws:eks:REGION:ACCOUNT:cluster/NAME`), GKE `gke_PROJECT_ZONE_NAME`, and people type spaces. Only what
    /// no kubeconfig line can hold is refused.
    private func checkContextName(_ name: String, at path: String) throws {
        if name.isEmpty { throw fail(path, "must not be empty") }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw fail(path, "must not contain control characters")
        }
    }

    private func fail(_ path: String, _ problem: String) -> ScenarioError {
        ScenarioError(file: file, path: path, problem: problem)
    }
}

/// What an API path names, parsed once from its segments. Unknown paths are `.unknown` (404).
enum APIRoute: Equatable {
    case version
    case apiVersions
    case apiGroups
    case coreResources
    case namespaces
    case namespace(String)
    /// Pods of one namespace, or of all when nil.
    case pods(namespace: String?)
    case pod(namespace: String, name: String)
    case podLog(namespace: String, name: String)
    case podPortForward(namespace: String, name: String)
    /// Services of one namespace, or of all when nil.
    case services(namespace: String?)
    case service(namespace: String, name: String)
    /// `/apis/apps/v1`: the workload resources.
    case appsResources
    /// Workloads of a resource (`deployments`) in one namespace, or all when nil.
    case workloads(resource: String, namespace: String?)
    case workload(resource: String, namespace: String, name: String)
    case unknown

    init(segments: [String]) {
        switch segments.count {
        case 0: self = .unknown
        case 1:
            switch segments[0] {
            case "version": self = .version
            case "api": self = .apiVersions
            case "apis": self = .apiGroups
            default: self = .unknown
            }
        default:
            if segments.count >= 3, segments[0] == "apis", segments[1] == "apps", segments[2] == "v1" {
                self = Self.apps(Array(segments.dropFirst(3)))
                return
            }
            guard segments[0] == "api", segments[1] == "v1" else {
                self = .unknown
                return
            }
            self = Self.core(Array(segments.dropFirst(2)))
        }
    }

    /// The route of a request URI (query ignored).
    init(uri: String) {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "/"
        self.init(segments: path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) })
    }

    /// The resources under `/apis/apps/v1`.
    static let appsResourceNames: Set<String> = Set(ScenarioWorkload.resources.values.map(\.plural))

    /// Paths under `/apis/apps/v1`.
    private static func apps(_ s: [String]) -> APIRoute {
        switch s.count {
        case 0: return .appsResources
        case 1 where appsResourceNames.contains(s[0]): return .workloads(resource: s[0], namespace: nil)
        case 3 where s[0] == "namespaces" && appsResourceNames.contains(s[2]):
            return .workloads(resource: s[2], namespace: s[1])
        case 4 where s[0] == "namespaces" && appsResourceNames.contains(s[2]):
            return .workload(resource: s[2], namespace: s[1], name: s[3])
        default: return .unknown
        }
    }

    /// Paths under `/api/v1`.
    private static func core(_ s: [String]) -> APIRoute {
        switch s.count {
        case 0: return .coreResources
        case 1:
            switch s[0] {
            case "namespaces": return .namespaces
            case "pods": return .pods(namespace: nil)
            case "services": return .services(namespace: nil)
            default: return .unknown
            }
        default:
            guard s[0] == "namespaces" else { return .unknown }
            let namespace = s[1]
            switch (s.count, s.count > 2 ? s[2] : "") {
            case (2, _): return .namespace(namespace)
            case (3, "pods"): return .pods(namespace: namespace)
            case (3, "services"): return .services(namespace: namespace)
            case (4, "pods"): return .pod(namespace: namespace, name: s[3])
            case (4, "services"): return .service(namespace: namespace, name: s[3])
            case (5, "pods") where s[4] == "log": return .podLog(namespace: namespace, name: s[3])
            case (5, "pods") where s[4] == "portforward": return .podPortForward(namespace: namespace, name: s[3])
            default: return .unknown
            }
        }
    }
}

import Foundation
import NIOConcurrencyHelpers
import NIOHTTP1

/// Who may do what on one simulated cluster: bearer-token authentication (with tokens that can expire while
/// the sim runs) and the RBAC shapes a scenario gives (no cluster-scope lists, no port-forward in a namespace).
final class AccessControl: @unchecked Sendable {
    /// The user RBAC messages name: `system:anonymous` without authentication.
    let user: String
    let forbidListNamespaces: Bool

    private let lock = NIOLock()
    /// nil: authentication is off and every request is anonymous.
    private let tokens: Set<String>?
    private var expired: Set<String>

    init(context: ScenarioContext) {
        if let auth = context.auth {
            tokens = Set(auth.tokens)
            expired = Set(auth.expiredTokens)
            user = auth.user ?? "\(context.name)-user"
        } else {
            tokens = nil
            expired = []
            user = "system:anonymous"
        }
        forbidListNamespaces = context.forbidListNamespaces
        forbiddenPodVerbs = Dictionary(
            context.namespaces.filter { !$0.forbidPodVerbs.isEmpty }.map { ($0.name, Set($0.forbidPodVerbs)) },
            uniquingKeysWith: { $0.union($1) })
    }

    /// Per namespace, the verbs on pods RBAC refuses.
    let forbiddenPodVerbs: [String: Set<String>]

    /// From now on `token` answers 401 as if it had expired.
    func expire(token: String) {
        lock.withLock { _ = expired.insert(token) }
    }

    /// nil when the request may go on; else the 401 Status. `/version` is public without credentials, as on
    /// every cluster (`system:public-info-viewer`), but a bad token is refused there too.
    func authenticate(_ headers: HTTPHeaders, route: APIRoute) -> KubeStatus? {
        guard let tokens else { return nil }
        guard let token = Self.bearerToken(headers) else {
            return route == .version ? nil : .unauthorized()
        }
        let isExpired = lock.withLock { expired.contains(token) }
        return !isExpired && tokens.contains(token) ? nil : .unauthorized()
    }

    /// nil when RBAC allows `method` on `route`; else the 403 Status with RBAC's text.
    func authorize(method: HTTPMethod, route: APIRoute, isWatch: Bool) -> KubeStatus? {
        let refusal = rbacRefusal(method: method, route: route, isWatch: isWatch)
        if refusal != nil { lock.withLock { refusals += 1 } }
        return refusal
    }

    /// How many requests RBAC has refused (403) since the sim started.
    var refusedCount: Int { lock.withLock { refusals } }
    private var refusals = 0

    private func rbacRefusal(method: HTTPMethod, route: APIRoute, isWatch: Bool) -> KubeStatus? {
        guard method == .GET else { return nil }
        let verb = isWatch ? "watch" : "list"
        switch route {
        case .pods(let namespace?) where forbiddenPodVerbs[namespace]?.contains(verb) == true:
            return .forbiddenInNamespace(verb: verb, resource: "pods", name: nil, namespace: namespace, user: user)
        case .pod(let namespace, let name) where forbiddenPodVerbs[namespace]?.contains("get") == true:
            return .forbiddenInNamespace(verb: "get", resource: "pods", name: name, namespace: namespace, user: user)
        default: break
        }
        guard forbidListNamespaces else { return nil }
        switch route {
        case .namespaces: return .forbiddenClusterScope(verb: verb, resource: "namespaces", user: user)
        case .pods(namespace: nil): return .forbiddenClusterScope(verb: verb, resource: "pods", user: user)
        case .services(namespace: nil): return .forbiddenClusterScope(verb: verb, resource: "services", user: user)
        default: return nil
        }
    }

    static func bearerToken(_ headers: HTTPHeaders) -> String? {
        guard let value = headers[canonicalForm: "authorization"].first else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}

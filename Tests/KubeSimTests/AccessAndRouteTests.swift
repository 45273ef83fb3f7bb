import NIOHTTP1
import Testing

@testable import KubeSim

/// Authentication, RBAC shapes and routes, without a server.
@Suite struct AccessAndRouteTests {
    static func headers(_ token: String?) -> HTTPHeaders {
        token.map { HTTPHeaders([("Authorization", "Bearer \($0)")]) } ?? HTTPHeaders()
    }

    @Test func withoutAuthEveryoneIsAnonymous() {
        let access = AccessControl(context: ScenarioContext(name: "c"))
        #expect(access.user == "system:anonymous")
        #expect(access.authenticate(Self.headers(nil), route: .pods(namespace: "a")) == nil)
        #expect(access.authenticate(Self.headers("anything"), route: .namespaces) == nil)
    }

    @Test func tokensExpiredTokensAndThePublicVersion() {
        let access = AccessControl(
            context: ScenarioContext(name: "c", auth: ScenarioAuth(tokens: ["a", "b"], expiredTokens: ["old"])))
        #expect(access.user == "c-user")
        #expect(access.authenticate(Self.headers("a"), route: .namespaces) == nil)
        #expect(access.authenticate(Self.headers("zzz"), route: .namespaces)?.code == 401)
        #expect(access.authenticate(Self.headers("old"), route: .namespaces)?.code == 401)
        #expect(access.authenticate(Self.headers(nil), route: .namespaces)?.code == 401)
        #expect(access.authenticate(Self.headers(nil), route: .version) == nil)
        #expect(access.authenticate(Self.headers("zzz"), route: .version)?.code == 401)
        #expect(access.authenticate(HTTPHeaders([("Authorization", "Basic YTpi")]), route: .namespaces)?.code == 401)
        access.expire(token: "b")
        #expect(access.authenticate(Self.headers("b"), route: .namespaces)?.code == 401)
        #expect(access.authenticate(Self.headers("a"), route: .namespaces) == nil)
        let status = KubeStatus.unauthorized()
        #expect(
            String(decoding: status.json, as: UTF8.self)
                == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#)
    }

    @Test func forbidListNamespacesForbidsClusterScopeListsOnly() {
        let access = AccessControl(context: ScenarioContext(name: "c", forbidListNamespaces: true))
        #expect(access.authorize(method: .GET, route: .namespaces, isWatch: false)?.message
            == #"namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope"#)
        #expect(access.authorize(method: .GET, route: .namespaces, isWatch: true)?.message.contains("cannot watch") == true)
        #expect(access.authorize(method: .GET, route: .pods(namespace: nil), isWatch: false)?.code == 403)
        #expect(access.authorize(method: .GET, route: .services(namespace: nil), isWatch: false)?.code == 403)
        #expect(access.authorize(method: .GET, route: .pods(namespace: "a"), isWatch: true) == nil)
        #expect(access.authorize(method: .GET, route: .namespace("a"), isWatch: false) == nil)
        #expect(access.authorize(method: .GET, route: .version, isWatch: false) == nil)
        let open = AccessControl(context: ScenarioContext(name: "c"))
        #expect(open.authorize(method: .GET, route: .namespaces, isWatch: false) == nil)
    }

    @Test func routesParseFromURIs() {
        let cases: [(String, APIRoute)] = [
            ("/version?timeout=5s", .version), ("/api", .apiVersions), ("/apis", .apiGroups), ("/api/v1", .coreResources),
            ("/api/v1/namespaces", .namespaces), ("/api/v1/namespaces/a", .namespace("a")),
            ("/api/v1/pods?watch=true", .pods(namespace: nil)), ("/api/v1/namespaces/a/pods", .pods(namespace: "a")),
            ("/api/v1/namespaces/a/pods/p", .pod(namespace: "a", name: "p")),
            ("/api/v1/namespaces/a/pods/p/log?follow=true", .podLog(namespace: "a", name: "p")),
            ("/api/v1/namespaces/a/pods/p/portforward", .podPortForward(namespace: "a", name: "p")),
            ("/api/v1/services", .services(namespace: nil)), ("/api/v1/namespaces/a/services", .services(namespace: "a")),
            ("/api/v1/namespaces/a/services/s", .service(namespace: "a", name: "s")),
            ("/api/v1/namespaces/a%2Db/pods", .pods(namespace: "a-b")),
            ("/apis/apps/v1", .appsResources), ("/apis/apps/v1/deployments", .workloads(resource: "deployments", namespace: nil)),
            ("/apis/apps/v1/namespaces/a/statefulsets", .workloads(resource: "statefulsets", namespace: "a")),
            ("/apis/apps/v1/namespaces/a/daemonsets/d", .workload(resource: "daemonsets", namespace: "a", name: "d")),
            ("/apis/apps/v1/namespaces/a/controllerrevisions", .unknown), ("/apis/batch/v1/jobs", .unknown),
            ("/", .unknown), ("/api/v2/pods", .unknown), ("/api/v1/nodes", .unknown),
            ("/api/v1/namespaces/a/pods/p/exec", .unknown), ("/api/v1/namespaces/a/configmaps", .unknown),
        ]
        for (uri, route) in cases { #expect(APIRoute(uri: uri) == route, "\(uri)") }
    }

    @Test func kubeconfigUsersAreWrittenAsGiven() {
        let text = KubeconfigWriter.render([
            .init(context: "a", port: 1, namespace: nil, certificateAuthorityPEM: "PEM", user: ScenarioUser(token: "t")),
            .init(
                context: "b", port: 2, namespace: "n",
                user: ScenarioUser(exec: ScenarioExec(command: "/bin/plugin", args: ["get", "token"], env: [.init(name: "K", value: "V")]))),
            .init(context: "c", port: 3, namespace: nil),
        ])
        #expect(text.contains(#"server: "https://127.0.0.1:1""#))
        #expect(text.contains(#"certificate-authority-data: "UEVN""#))
        #expect(text.contains(#"server: "http://127.0.0.1:2""#))
        #expect(text.contains("  user:\n    token: \"t\"\n"))
        #expect(
            text.contains(
                "    exec:\n      apiVersion: \"client.authentication.k8s.io/v1beta1\"\n      command: \"/bin/plugin\"\n"
                    + "      args: [\"get\", \"token\"]\n      env:\n      - name: \"K\"\n        value: \"V\"\n"))
        #expect(text.contains("- name: \"c-user\"\n  user: {}\n"))
    }
}

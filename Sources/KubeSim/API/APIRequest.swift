import Foundation
import NIOHTTP1

/// A parsed API request: path segments and decoded query parameters.
struct APIRequest {
    var method: HTTPMethod
    var uri: String
    var path: String
    var segments: [String]
    var query: [String: String]
    var headers: HTTPHeaders

    init(head: HTTPRequestHead) {
        method = head.method
        uri = head.uri
        headers = head.headers
        let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = parts.first.map(String.init) ?? "/"
        segments = path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = String(kv[0]).removingPercentEncoding ?? String(kv[0])
                let raw = kv.count > 1 ? String(kv[1]).replacingOccurrences(of: "+", with: " ") : ""
                query[key] = raw.removingPercentEncoding ?? raw
            }
        }
        self.query = query
    }

    /// kubectl asks for server-side printing (`Accept: application/json;as=Table;...`) when it prints columns.
    var wantsTable: Bool {
        headers[canonicalForm: "accept"].contains { $0.contains("as=Table") }
    }

    var isWatch: Bool { query["watch"] == "true" || query["watch"] == "1" }

    var wantsWebSocket: Bool {
        headers[canonicalForm: "upgrade"].contains { $0.lowercased() == "websocket" }
    }

    /// `(namespace, pod)` when the path is `/api/v1/namespaces/NS/pods/NAME/portforward`.
    static func portForwardTarget(uri: String) -> (namespace: String, pod: String)? {
        let path = uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? uri
        let s = path.split(separator: "/").map(String.init)
        guard s.count == 7, s[0] == "api", s[1] == "v1", s[2] == "namespaces", s[4] == "pods", s[6] == "portforward" else {
            return nil
        }
        return (s[3], s[5])
    }
}

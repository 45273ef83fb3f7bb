import Foundation
import NIOHTTP1

/// A parsed API request: its route and decoded query parameters.
struct APIRequest {
    var method: HTTPMethod
    var uri: String
    var route: APIRoute
    var query: [String: String]
    var headers: HTTPHeaders
    var head: HTTPRequestHead
    /// The request's body (a delete's DeleteOptions), empty for most.
    var body: [UInt8] = []

    init(head: HTTPRequestHead) {
        self.head = head
        method = head.method
        uri = head.uri
        headers = head.headers
        let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        route = APIRoute(uri: head.uri)
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

    /// A delete's grace period: `gracePeriodSeconds` of the DeleteOptions body (`kubectl delete --grace-period N`,
    /// `--now` is 1, `--force --grace-period 0`), else of the query; nil for the pod's own.
    var gracePeriodSeconds: Int? {
        struct DeleteOptions: Decodable { var gracePeriodSeconds: Int? }
        if let options = try? JSONDecoder().decode(DeleteOptions.self, from: Data(body)), let grace = options.gracePeriodSeconds {
            return grace
        }
        return query["gracePeriodSeconds"].flatMap { Int($0) }
    }

    var wantsWebSocket: Bool {
        headers[canonicalForm: "upgrade"].contains { $0.lowercased() == "websocket" }
    }
}

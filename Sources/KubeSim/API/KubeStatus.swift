import Foundation
import NIOHTTP1

/// A Kubernetes `Status` object: how the API server reports errors.
struct KubeStatus: Sendable {
    var code: Int
    var reason: String
    var message: String
    var details: [String: String]?

    var httpStatus: HTTPResponseStatus { HTTPResponseStatus(statusCode: code) }

    /// The Status as the API server writes it, fields in its order: kind, apiVersion, metadata, status, message,
    /// reason, details, code.
    var json: [UInt8] {
        let encoder = KubeObjects.encoder()
        func string(_ value: String) -> String {
            (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
        }
        var text = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"#
        text += string(message) + #","reason":"# + string(reason)
        if let details {
            let fields = details.sorted { $0.key < $1.key }.map { string($0.key) + ":" + string($0.value) }
            text += #","details":{"# + fields.joined(separator: ",") + "}"
        }
        text += #","code":\#(code)}"#
        return Array(text.utf8)
    }

    /// As the API server words it: `pods "x" not found`, `deployments.apps "x" not found` for a group's resource.
    static func notFound(kind: String, name: String, group: String? = nil) -> KubeStatus {
        var details = ["name": name, "kind": kind]
        if let group { details["group"] = group }
        let resource = group.map { "\(kind).\($0)" } ?? kind
        return KubeStatus(code: 404, reason: "NotFound", message: "\(resource) \"\(name)\" not found", details: details)
    }

    static func pageNotFound() -> KubeStatus {
        KubeStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
    }

    static func forbiddenPortForward(pod: String, namespace: String, user: String) -> KubeStatus {
        KubeStatus(
            code: 403, reason: "Forbidden",
            message: "pods \"\(pod)\" is forbidden: User \"\(user)\" cannot create resource \"pods/portforward\" in API group \"\" in the namespace \"\(namespace)\"",
            details: ["name": pod, "kind": "pods"])
    }

    /// RBAC's answer to `verb` on `resource` in a namespace (`name` for a get of one object).
    static func forbiddenInNamespace(verb: String, resource: String, name: String?, namespace: String, user: String) -> KubeStatus {
        KubeStatus(
            code: 403, reason: "Forbidden",
            message: "\(resource)\(name.map { " \"\($0)\"" } ?? "") is forbidden: User \"\(user)\" cannot \(verb) resource \"\(resource)\" in API group \"\" in the namespace \"\(namespace)\"",
            details: (name.map { ["name": $0] } ?? [:]).merging(["kind": resource]) { $1 })
    }

    /// RBAC's answer to a list or watch of `resource` across the cluster.
    static func forbiddenClusterScope(verb: String, resource: String, user: String) -> KubeStatus {
        KubeStatus(
            code: 403, reason: "Forbidden",
            message: "\(resource) is forbidden: User \"\(user)\" cannot \(verb) resource \"\(resource)\" in API group \"\" at the cluster scope",
            details: ["kind": resource])
    }

    /// The authenticator's answer to a missing, unknown or expired bearer token.
    static func unauthorized() -> KubeStatus {
        KubeStatus(code: 401, reason: "Unauthorized", message: "Unauthorized")
    }

    static func methodNotAllowed() -> KubeStatus {
        KubeStatus(code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource")
    }

    static func badRequest(_ message: String) -> KubeStatus {
        KubeStatus(code: 400, reason: "BadRequest", message: message)
    }

    static func expired(resourceVersion: Int, current: Int) -> KubeStatus {
        KubeStatus(code: 410, reason: "Expired", message: "too old resource version: \(resourceVersion) (\(current))")
    }
}

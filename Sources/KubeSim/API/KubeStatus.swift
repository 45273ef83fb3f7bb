import Foundation
import NIOHTTP1

/// A Kubernetes `Status` object: how the API server reports errors.
struct KubeStatus: Sendable {
    var code: Int
    var reason: String
    var message: String
    var details: [String: String]?

    var httpStatus: HTTPResponseStatus { HTTPResponseStatus(statusCode: code) }

    var json: [UInt8] {
        struct Body: Encodable {
            var kind = "Status"
            var apiVersion = "v1"
            var metadata: [String: String] = [:]
            var status = "Failure"
            var message: String
            var reason: String
            var details: [String: String]?
            var code: Int
        }
        let body = Body(message: message, reason: reason, details: details, code: code)
        return (try? Array(KubeObjects.encoder().encode(body))) ?? []
    }

    static func notFound(kind: String, name: String) -> KubeStatus {
        KubeStatus(code: 404, reason: "NotFound", message: "\(kind) \"\(name)\" not found", details: ["name": name, "kind": kind])
    }

    static func pageNotFound() -> KubeStatus {
        KubeStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
    }

    static func forbiddenPortForward(pod: String, namespace: String) -> KubeStatus {
        KubeStatus(
            code: 403, reason: "Forbidden",
            message: "pods \"\(pod)\" is forbidden: User \"system:anonymous\" cannot create resource \"pods/portforward\" in API group \"\" in the namespace \"\(namespace)\"",
            details: ["name": pod, "kind": "pods"])
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

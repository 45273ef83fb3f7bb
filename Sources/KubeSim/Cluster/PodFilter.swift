import Foundation

/// The `fieldSelector` and `labelSelector` of a list or watch request (the subset kubectl uses).
struct PodFilter: Sendable {
    enum Requirement: Sendable {
        case equals(String, String)
        case notEquals(String, String)
        case exists(String)
        case notExists(String)
    }

    var name: String?
    var namespace: String?
    var requirements: [Requirement] = []

    init(fieldSelector: String?, labelSelector: String?) {
        for term in Self.terms(fieldSelector) {
            if let (key, value) = Self.split(term, on: "==") ?? Self.split(term, on: "=") {
                if key == "metadata.name" { name = value }
                if key == "metadata.namespace" { namespace = value }
            }
        }
        for term in Self.terms(labelSelector) {
            if let (key, value) = Self.split(term, on: "!=") {
                requirements.append(.notEquals(key, value))
            } else if let (key, value) = Self.split(term, on: "==") ?? Self.split(term, on: "=") {
                requirements.append(.equals(key, value))
            } else if term.hasPrefix("!") {
                requirements.append(.notExists(String(term.dropFirst())))
            } else {
                requirements.append(.exists(term))
            }
        }
    }

    func matches(_ pod: PodRecord) -> Bool {
        if let name, pod.name != name { return false }
        if let namespace, pod.namespace != namespace { return false }
        for requirement in requirements {
            switch requirement {
            case .equals(let key, let value): if pod.labels[key] != value { return false }
            case .notEquals(let key, let value): if pod.labels[key] == value { return false }
            case .exists(let key): if pod.labels[key] == nil { return false }
            case .notExists(let key): if pod.labels[key] != nil { return false }
            }
        }
        return true
    }

    private static func terms(_ selector: String?) -> [String] {
        guard let selector, !selector.isEmpty else { return [] }
        return selector.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private static func split(_ term: String, on separator: String) -> (String, String)? {
        guard let range = term.range(of: separator) else { return nil }
        return (
            String(term[..<range.lowerBound]).trimmingCharacters(in: .whitespaces),
            String(term[range.upperBound...]).trimmingCharacters(in: .whitespaces)
        )
    }
}

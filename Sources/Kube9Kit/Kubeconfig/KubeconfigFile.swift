import Foundation
import Yams

/// What kube9 reads of one kubeconfig file: its current-context and its contexts, in file order. Credentials,
/// clusters and users are never read. YAML (JSON is YAML too) through Yams; unknown fields are ignored.
struct KubeconfigFile: Sendable, Equatable {
    struct Context: Sendable, Equatable {
        var name: String
        var cluster: String
        var user: String
        var namespace: String?
    }

    var currentContext: String?
    var contexts: [Context]

    /// Parses the text of the file at `path` (`path` only names it in errors). An empty file is an empty config,
    /// as for kubectl; a context name defined twice in one file is an error, as for kubectl.
    static func parse(_ text: String, path: String) throws(KubeError) -> KubeconfigFile {
        let dto: FileDTO
        do {
            guard let node = try Yams.compose(yaml: text) else { return KubeconfigFile(currentContext: nil, contexts: []) }
            dto = try YAMLDecoder().decode(FileDTO.self, from: node)
        } catch let error as YamlError {
            throw KubeError(.kubeconfig, Messages.kubeconfigUnreadable(path: path, reason: describe(error)))
        } catch let error as DecodingError {
            throw KubeError(.kubeconfig, Messages.kubeconfigUnreadable(path: path, reason: describe(error)))
        } catch {
            throw KubeError(.kubeconfig, Messages.kubeconfigUnreadable(path: path, reason: "not a kubeconfig (\(error))"))
        }
        var names: Set<String> = []
        var contexts: [Context] = []
        for entry in dto.contexts ?? [] {
            guard let name = entry.name, !name.isEmpty else { continue }
            guard names.insert(name).inserted else {
                throw KubeError(
                    .kubeconfig, Messages.kubeconfigUnreadable(path: path, reason: "context \"\(name)\" is defined twice"))
            }
            contexts.append(
                Context(
                    name: name, cluster: entry.context?.cluster ?? "", user: entry.context?.user ?? "",
                    namespace: entry.context?.namespace.flatMap { $0.isEmpty ? nil : $0 }))
        }
        return KubeconfigFile(currentContext: dto.currentContext.flatMap { $0.isEmpty ? nil : $0 }, contexts: contexts)
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return "not valid YAML: \(problem) (line \(mark.line), column \(mark.column))"
        default:
            return "not valid YAML: " + (error.description.split(whereSeparator: \.isNewline).first.map(String.init) ?? "")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the document" : keys.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "not a kubeconfig: unexpected value at \(path(context))"
        case .keyNotFound(let key, let context):
            return "not a kubeconfig: \(key.stringValue) missing at \(path(context))"
        @unknown default:
            return "not a kubeconfig"
        }
    }
}

/// The fields kube9 reads, every one optional.
private struct FileDTO: Decodable {
    struct NamedContext: Decodable {
        struct Body: Decodable {
            var cluster: String?
            var user: String?
            var namespace: String?
        }
        var name: String?
        var context: Body?
    }
    var contexts: [NamedContext]?
    var currentContext: String?

    enum CodingKeys: String, CodingKey {
        case contexts
        case currentContext = "current-context"
    }
}

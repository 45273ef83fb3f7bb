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
    ///
    /// Only strings are read, so the YAML is composed with Yams' basic resolver (every plain scalar a string) and
    /// walked as nodes: the default resolver's tag rules are regular expressions, and compiling the first of them
    /// loads ICU's regex engine, a few milliseconds of every start for tags kube9 never reads. A plain `~`, `null`
    /// (any case YAML allows) or an empty value is null, as YAML says.
    static func parse(_ text: String, path: String) throws(KubeError) -> KubeconfigFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw KubeError(.kubeconfig, Messages.kubeconfigUnreadable(path: path, reason: describe(error)))
        } catch {
            throw KubeError(.kubeconfig, Messages.kubeconfigUnreadable(path: path, reason: "not a kubeconfig (\(error))"))
        }
        func unexpected(_ at: String) -> KubeError {
            KubeError(.kubeconfig, Messages.kubeconfigUnreadable(path: path, reason: "not a kubeconfig: unexpected value at \(at)"))
        }
        guard let root = root.flatMap(nonNull) else { return KubeconfigFile(currentContext: nil, contexts: []) }
        guard let top = root.mapping else { throw unexpected("the document") }
        let currentContext = try string(top["current-context"], at: "current-context", unexpected)
        var names: Set<String> = []
        var contexts: [Context] = []
        if let list = top["contexts"].flatMap(nonNull) {
            guard let entries = list.sequence else { throw unexpected("contexts") }
            for (index, node) in entries.enumerated() {
                let at = "contexts[\(index)]"
                guard let entry = nonNull(node) else { continue }
                guard let fields = entry.mapping else { throw unexpected(at) }
                let name = try string(fields["name"], at: at + ".name", unexpected)
                var body: Node.Mapping?
                if let context = fields["context"].flatMap(nonNull) {
                    guard let mapping = context.mapping else { throw unexpected(at + ".context") }
                    body = mapping
                }
                let cluster = try string(body?["cluster"], at: at + ".context.cluster", unexpected)
                let user = try string(body?["user"], at: at + ".context.user", unexpected)
                let namespace = try string(body?["namespace"], at: at + ".context.namespace", unexpected)
                guard let name, !name.isEmpty else { continue }
                guard names.insert(name).inserted else {
                    throw KubeError(
                        .kubeconfig, Messages.kubeconfigUnreadable(path: path, reason: "context \"\(name)\" is defined twice"))
                }
                contexts.append(
                    Context(
                        name: name, cluster: cluster ?? "", user: user ?? "",
                        namespace: namespace.flatMap { $0.isEmpty ? nil : $0 }))
            }
        }
        return KubeconfigFile(currentContext: currentContext.flatMap { $0.isEmpty ? nil : $0 }, contexts: contexts)
    }

    /// The node, or nil when it is YAML's null: a plain `~`, `null`, `Null`, `NULL` or nothing.
    private static func nonNull(_ node: Node) -> Node? {
        guard let scalar = node.scalar, scalar.style == .plain else { return node }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string) ? nil : node
    }

    /// A string field: absent or null is nil; a mapping or a list is not a kubeconfig.
    private static func string(_ node: Node?, at: String, _ unexpected: (String) -> KubeError) throws(KubeError) -> String? {
        guard let node = node.flatMap(nonNull) else { return nil }
        guard let scalar = node.scalar else { throw unexpected(at) }
        return scalar.string
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
}


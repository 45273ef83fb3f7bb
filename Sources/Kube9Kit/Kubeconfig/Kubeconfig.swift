import Foundation

/// The contexts of the kubeconfig files kubectl reads, merged as client-go merges them: the first file that sets
/// current-context wins, and the first definition of a context name wins (later ones are ignored whole). Read from
/// the files themselves, so listing contexts needs neither kubectl nor a cluster.
public struct Kubeconfig: Sendable, Equatable {
    /// Every context, sorted by name (as kubectl lists them), the current one marked.
    public var contexts: [KubeContext]
    /// current-context, nil when no file sets it.
    public var currentContext: String?

    public init(contexts: [KubeContext], currentContext: String?) {
        self.contexts = contexts
        self.currentContext = currentContext
    }

    public func context(named name: String) -> KubeContext? { contexts.first { $0.name == name } }

    /// The namespace kubectl uses in context `name` when none is given: the context's own, else `default`.
    public func defaultNamespace(of name: String) -> String { context(named: name)?.defaultNamespace ?? "default" }

    /// Reads and merges the files of `source`. Errors (`.kubeconfig`) name the file and the reason: a missing
    /// `--kubeconfig`, a file that cannot be read or parsed, a KUBECONFIG list (or ~/.kube/config) with no file.
    public static func load(_ source: KubeconfigSource) throws(KubeError) -> Kubeconfig {
        var files: [KubeconfigFile] = []
        var missing: [String] = []
        for path in source.paths {
            switch KubeconfigFileReader.read(path) {
            case .text(let text): files.append(try KubeconfigFile.parse(text, path: path))
            case .missing(let reason):
                if source.origin == .flag { throw KubeError(.kubeconfig, Messages.kubeconfigUnreadable(path: path, reason: reason)) }
                missing.append(path)
            case .failed(let reason): throw KubeError(.kubeconfig, Messages.kubeconfigUnreadable(path: path, reason: reason))
            }
        }
        if files.isEmpty {
            if source.origin == .environment {
                throw KubeError(.kubeconfig, Messages.kubeconfigListMissing(paths: missing))
            }
            throw KubeError(
                .kubeconfig, Messages.kubeconfigUnreadable(path: missing.first ?? "", reason: KubeconfigFileReader.noSuchFile))
        }
        return merge(files)
    }

    /// client-go's merge of files in precedence order.
    static func merge(_ files: [KubeconfigFile]) -> Kubeconfig {
        let current = files.lazy.compactMap(\.currentContext).first
        var byName: [String: KubeconfigFile.Context] = [:]
        for file in files {
            for context in file.contexts where byName[context.name] == nil { byName[context.name] = context }
        }
        let contexts = byName.values.sorted { $0.name < $1.name }.map { context in
            KubeContext(
                name: context.name, cluster: context.cluster, user: context.user, namespace: context.namespace,
                isCurrent: context.name == current)
        }
        return Kubeconfig(contexts: contexts, currentContext: current)
    }
}

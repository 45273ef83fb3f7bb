import Foundation

/// Which kubeconfig files kubectl reads, by client-go's loading rules (`clientcmd.ClientConfigLoadingRules`):
/// `--kubeconfig` alone when given (a missing file is an error); else every file of KUBECONFIG in order (split at
/// `:`, empty entries skipped, repeated ones read once; missing files are skipped); else `~/.kube/config`.
public struct KubeconfigSource: Sendable, Equatable {
    /// Where the list of paths came from.
    public enum Origin: Sendable, Equatable {
        /// `--kubeconfig PATH`.
        case flag
        /// The KUBECONFIG environment variable.
        case environment
        /// `$HOME/.kube/config`.
        case home
    }

    public var paths: [String]
    public var origin: Origin

    public init(paths: [String], origin: Origin) {
        self.paths = paths
        self.origin = origin
    }

    /// The files for `--kubeconfig explicit` (nil or empty: not given) in `environment` (KUBECONFIG, HOME).
    public init(explicit: String?, environment: [String: String]) {
        if let explicit, !explicit.isEmpty {
            self.init(paths: [explicit], origin: .flag)
        } else if let list = environment["KUBECONFIG"], !list.isEmpty {
            var seen: Set<String> = []
            let paths = list.split(separator: ":", omittingEmptySubsequences: true).map(String.init)
                .filter { seen.insert($0).inserted }
            self.init(paths: paths, origin: .environment)
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            self.init(paths: [home + "/.kube/config"], origin: .home)
        }
    }

    /// The files of `configuration`: its `kubeconfig`, else the process environment with the configuration's own
    /// environment merged over it (as every kubectl it starts sees it).
    public init(_ configuration: KubectlConfiguration) {
        let environment = ProcessInfo.processInfo.environment.merging(configuration.environment) { _, own in own }
        self.init(explicit: configuration.kubeconfig, environment: environment)
    }
}

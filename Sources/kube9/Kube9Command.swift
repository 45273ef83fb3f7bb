import ArgumentParser
import Foundation
import Kube9Kit
import Kube9TUI

@main
struct Kube9Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube9",
        abstract: "Browse Kubernetes clusters and manage pod port forwards in the terminal.",
        discussion: """
            Exit status: 0 after quitting, 1 on an error (no kubeconfig, unusable terminal),
            130 / 143 / 129 after SIGINT / SIGTERM / SIGHUP (every port forward is stopped first).
            """,
        version: "0.1.0")

    @Option(help: "The kubeconfig file to use (default: KUBECONFIG, then ~/.kube/config).")
    var kubeconfig: String?

    @Option(help: "The context to mark as current.")
    var context: String?

    @Option(help: "The kubectl binary (default: kubectl on PATH).")
    var kubectl: String = "kubectl"

    @Flag(help: "Open the built-in demo cluster (kube9-sim, in-process, on loopback).")
    var demo = false

    func run() async throws {
        var configuration = KubectlConfiguration(kubectlPath: kubectl, kubeconfig: kubeconfig)
        var options = AppOptions(initialContext: context, isDemo: demo)
        if demo {
            // TODO: start KubeSimServer (branch `sim`) in-process with a temporary kubeconfig and HOME.
            FileHandle.standardError.write(Data("kube9: --demo needs kube9-sim, which is not built in yet\n".utf8))
            throw ExitCode(1)
        } else if !Self.hasKubeconfig(kubeconfig) {
            FileHandle.standardError.write(Data((UIText.noKubeconfig + "\n" + UIText.suggestDemo + "\n").utf8))
            throw ExitCode(1)
        }
        configuration.environment = [:]
        options.kubeconfigLabel = nil
        let status = await Kube9App.run(configuration: configuration, options: options)
        if status != 0 { throw ExitCode(status) }
    }

    /// True when kubectl has a kubeconfig to read: `--kubeconfig`, KUBECONFIG or ~/.kube/config.
    static func hasKubeconfig(_ explicit: String?) -> Bool {
        if explicit != nil { return true }
        let environment = ProcessInfo.processInfo.environment
        if let value = environment["KUBECONFIG"], !value.isEmpty { return true }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return FileManager.default.fileExists(atPath: home + "/.kube/config")
    }
}

import ArgumentParser
import Foundation
import Kube9Kit
import Kube9TUI
import KubeSim

/// `kube9` / `kube9 ui`: the full-screen terminal UI on the user's kubeconfig or on the demo cluster.
struct UICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui",
        abstract: "Open the full-screen UI (the default: `kube9` alone runs it).",
        discussion: """
            With no subcommand, kube9 opens the full-screen UI (press ? in it for every key). Every port forward \
            is stopped when it ends.

            EXIT CODES
              0    quit with q or Ctrl-C
              1    no kubeconfig, no usable terminal, or the demo cluster could not start
              129  SIGHUP (the terminal went away)
              130  SIGINT
              143  SIGTERM
            """,
        )

    @Option(help: "The kubeconfig file to use (default: KUBECONFIG, then ~/.kube/config).")
    var kubeconfig: String?

    @Option(help: "The context to mark as current.")
    var context: String?

    @Option(help: "The kubectl binary (looked up on PATH unless a path is given).")
    var kubectl: String = "kubectl"

    @Flag(help: "Start every port forward with healing off (no restart on unexpected exit, no following a replacement pod).")
    var noHeal = false

    @Flag(help: "Open the built-in demo cluster (kube9-sim, in-process, on loopback).")
    var demo = false

    @Flag(help: "No mouse reports, so the terminal's own text selection works (also: NO_MOUSE set to anything).")
    var noMouse = false

    func run() async throws {
        let configuration = KubectlConfiguration(kubectlPath: kubectl, kubeconfig: kubeconfig)
        if !demo, let problem = Self.kubeconfigProblem(configuration) {
            FileHandle.standardError.write(Data((problem + "\n").utf8))
            throw ExitCode(1)
        }
        let mouse = !noMouse && (ProcessInfo.processInfo.environment["NO_MOUSE"] ?? "").isEmpty
        let options = AppOptions(
            initialContext: context, isDemo: demo, noHeal: noHeal, mouse: mouse, logger: FileLogHandler.makeLogger())
        let status = demo
            ? try await runDemo(configuration, options)
            : await Kube9App.run(configuration: configuration, options: options)
        if status != 0 { throw ExitCode(status) }
    }

    /// The demo cluster in-process, with its kubeconfig and kubectl's HOME in a temporary directory (removed after).
    private func runDemo(_ configuration: KubectlConfiguration, _ options: AppOptions) async throws -> Int32 {
        var configuration = configuration
        var options = options
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kube9-demo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/home", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server: KubeSimServer
        do {
            server = try await KubeSimServer.start(scenario: .demo, kubeconfigPath: directory + "/kubeconfig", logger: options.logger)
        } catch {
            FileHandle.standardError.write(Data("kube9: cannot start the demo cluster: \(error)\n".utf8))
            return 1
        }
        configuration.kubeconfig = server.kubeconfigPath
        configuration.environment["HOME"] = directory + "/home"
        options.kubeconfigLabel = UIText.demoKubeconfigLabel
        let status = await Kube9App.run(configuration: configuration, options: options)
        await server.shutdown()
        return status
    }

    /// Why the kubeconfig files cannot be used (their path and the reason), before the terminal is taken; nil when
    /// they can. No kubeconfig at all (no --kubeconfig, no KUBECONFIG, no ~/.kube/config) suggests the demo.
    static func kubeconfigProblem(_ configuration: KubectlConfiguration) -> String? {
        let source = KubeconfigSource(configuration)
        do {
            _ = try Kubeconfig.load(source)
            return nil
        } catch {
            if source.origin == .home, !FileManager.default.fileExists(atPath: source.paths[0]) {
                return UIText.noKubeconfig + "\n" + UIText.suggestDemo
            }
            return error.message
        }
    }
}

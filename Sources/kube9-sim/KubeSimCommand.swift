import ArgumentParser
import Dispatch
import Foundation
import KubeSim

@main
struct KubeSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube9-sim",
        abstract: "A Kubernetes API stand-in that real kubectl lists and port-forwards through.",
        discussion: """
            Listens on 127.0.0.1 (one ephemeral port per scenario context), writes a kubeconfig at PATH once every
            server listens, and runs until SIGINT or SIGTERM. Without --scenario it plays the built-in demo cluster.
            """,
        version: KubeSimVersion.string)

    @Option(name: .long, help: ArgumentHelp("Where to write the kubeconfig.", valueName: "PATH"))
    var kubeconfig: String

    @Option(name: .long, help: ArgumentHelp("A scenario JSON file (default: the demo cluster).", valueName: "FILE"))
    var scenario: String?

    @Flag(name: .long, help: "Log every request detail.")
    var verbose = false

    func run() async throws {
        let chosen: Scenario
        if let scenario {
            do {
                chosen = try Scenario.load(path: scenario)
            } catch {
                FileHandle.standardError.write(Data("kube9-sim: \(error)\n".utf8))
                throw ExitCode(2)
            }
        } else {
            chosen = Scenario.demo
        }
        let logger = KubeSimLog.standardError(level: verbose ? .debug : .info)
        let stop = SignalWaiter(signals: [SIGINT, SIGTERM])
        let server: KubeSimServer
        do {
            server = try await KubeSimServer.start(scenario: chosen, kubeconfigPath: kubeconfig, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("kube9-sim: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let contexts = server.contextNames.map { name in
            "\(name) (\(server.apiPort(context: name).map { "127.0.0.1:\($0)" } ?? "?"))"
        }
        logger.info("ready: contexts \(contexts.joined(separator: ", ")); try: kubectl --kubeconfig \(kubeconfig) get pods -A")
        let signal = await stop.wait()
        logger.info("stopping on signal \(signal)")
        await server.shutdown()
    }
}

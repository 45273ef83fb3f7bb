import ArgumentParser
import KubeSim

@main
struct KubeSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kube9-sim", abstract: "A Kubernetes API stand-in.")
    func run() async throws {}
}

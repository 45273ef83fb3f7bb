import ArgumentParser

@main
struct Kube9Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube9",
        abstract: "Browse Kubernetes clusters and manage pod port forwards in the terminal.",
        version: "0.1.0",
        subcommands: [ForwardCommand.self])

    func run() async throws {
        print("kube9: the terminal UI is not built yet")
    }
}

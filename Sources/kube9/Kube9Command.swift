import ArgumentParser
import Foundation

/// The `kube9` command line. The UI is the default subcommand, so the root holds no options of its own: options
/// on the root would be taken from a subcommand's arguments (`kube9 forward --kubectl P` would lose its `--kubectl`).
@main
struct Kube9Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube9",
        abstract: "Browse Kubernetes clusters and manage pod port forwards in the terminal.",
        discussion: "`kube9 [--kubeconfig P] [--context C] [--kubectl PATH] [--no-heal] [--no-mouse] [--demo]` opens the UI (see `kube9 ui --help`).",
        version: versionText(),
        subcommands: [
            UICommand.self, ForwardCommand.self, UpCommand.self, StatusCommand.self, LsCommand.self, StopCommand.self,
            HoldCommand.self,
        ],
        defaultSubcommand: UICommand.self)
}

extension Kube9Command {
    static let version = "0.1.0"

    /// Parses and runs as argument-parser's own `main` does, but writes a message (an error, help, the version) in
    /// one write: argument-parser writes its errors to stderr one byte per write(2) (`putc` on unbuffered stderr),
    /// which another writer to the same pipe could interleave with.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let message = fullMessage(for: error)
            let code = exitCode(for: error)
            if !message.isEmpty {
                if code == .success { Output.line(message) } else { Output.error(message) }
            }
            Foundation.exit(code.rawValue)
        }
    }

    /// `kube9 --version`: the version and the kubectl found on PATH (the one `--kubectl` defaults to). Built at
    /// every start (argument-parser takes it as a string), so it reads PATH and asks access(2), nothing heavier.
    static func versionText() -> String {
        let path = getenv("PATH").map { String(cString: $0) } ?? ""
        let found = path.split(separator: ":").lazy
            .map { String($0) + "/kubectl" }
            .first { access($0, X_OK) == 0 }
        return "kube9 \(version)\nkubectl: \(found ?? "not found on PATH")"
    }
}

import ArgumentParser
import Kube9Kit

/// `kube9 status`: one line for tmux's `status-right`, from the control sockets only (no kubectl, no cluster).
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print one line for a status bar: the connected forwards of every kube9 of this user.",
        discussion: """
            `⇄ 3` when three forwards are connected, `⇄ 2 !1` when one more is reconnecting or failed. Prints \
            nothing (exit 0) when no kube9 runs or none has a forward. Reads only the control sockets.

            TMUX
              set -g status-right '#(kube9 status)'
              set -g status-interval 2
            """)

    @Option(help: "The line, with {connected}, {failing}, {total} and {instances} replaced (e.g. 'pf:{connected}/{total}').")
    var format: String?

    func run() {
        let answers = ControlClient.broadcast(ControlRequest(op: .list)).compactMap(\.response).filter(\.ok)
        let line = StatusLine(forwards: answers.flatMap { $0.forwards ?? [] }, instances: answers.count).render(format: format)
        if !line.isEmpty { print(line) }
    }
}

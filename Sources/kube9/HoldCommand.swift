import ArgumentParser
import Kube9Kit

/// `kube9 hold PID` (hidden): the forward holder the UI starts before it stops as a job (Ctrl-Z). Its standard
/// input is the socket the UI hands its listeners over (``ForwardHolder``); PID, the UI's, is for `ps` only.
struct HoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold",
        abstract: "Answer the UI's forwards while it is stopped (started by the UI itself).",
        shouldDisplay: false)

    @Argument(help: "The pid of the UI whose forwards are held.")
    var owner: Int32

    func run() throws {
        ForwardHolder.serve(control: 0)
    }
}

import Foundation

/// One kubectl for forwards to one pod started together: `kubectl port-forward pod/X :R1 :R2 …`, whose
/// `Forwarding from 127.0.0.1:N -> R` lines come in mapping order. Each member's lifecycle sees it as its own
/// kubectl: it is attached when it asks for a spawn, and detached (seeing it exit) when it asks to end it while
/// others still use it; the process itself ends when the last member using it does.
struct SharedBackend {
    /// The members' forward ids, in mapping order.
    let members: [String]
    let remotePorts: [Int]
    /// The pod the shared kubectl forwards to; a member that moved to another pod runs its own.
    let target: ForwardTarget
    var process: (any ForwardBackendProcess)?
    var spawning = false
    /// Members using the running process, and members waiting for the one being spawned.
    var attached: Set<String> = []
    var waiting: Set<String> = []
    /// The `Forwarding from 127.0.0.1` lines the running process printed so far (the n-th is member n's).
    var forwardingLines: [String] = []

    /// The `Forwarding from` line of member `id`, once printed.
    func forwardingLine(of id: String) -> String? {
        guard let index = members.firstIndex(of: id), index < forwardingLines.count else { return nil }
        return forwardingLines[index]
    }

    /// The member a new IPv4 `Forwarding from` line belongs to.
    mutating func recordForwardingLine(_ line: String) -> String? {
        guard line.hasPrefix("Forwarding from 127.0.0.1:"), forwardingLines.count < members.count else { return nil }
        forwardingLines.append(line)
        return members[forwardingLines.count - 1]
    }
}

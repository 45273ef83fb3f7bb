import ArgumentParser
import Kube9Kit

/// `kube9 stop`: stops forwards in whichever kube9 of this user holds them.
struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop forwards by local port (or --all) in whichever running kube9 holds them.",
        discussion: """
            The kube9 that holds a forward stops it as if done there (the UI shows it in its list and message line).

            EXAMPLES
              kube9 stop 8080 9090
              kube9 stop --all

            A kube9 suspended as a job (Ctrl-Z) cannot be asked: when a port is not found, or with --all, it is \
            named on stderr and the exit code is 1.

            EXIT CODES
              0   every given port was stopped (--all: whatever there was)
              1   a port had no forward, or a kube9 refused, failed or is suspended
              64  usage error
            """)

    @Flag(help: "Stop every forward of every kube9 of this user.")
    var all = false

    @Argument(help: "Local ports of the forwards to stop.")
    var ports: [Int] = []

    func validate() throws {
        if all == !ports.isEmpty { throw ValidationError("Give local ports, or --all.") }
        for port in ports where !PortSpec.validRange.contains(port) { throw ValidationError("Bad port \(port).") }
    }

    func run() throws {
        let request = ControlRequest(op: .stop, ports: all ? nil : ports, all: all ? true : nil)
        var stoppedPorts: Set<Int> = []
        var failed = false
        var suspended: [Int32] = []
        for reply in ControlClient.broadcast(request, timeout: ControlClient.stopTimeout) {
            switch reply.outcome {
            case .answered(let response):
                let instance = response.instance.map { "kube9 \($0.kind.rawValue), pid \($0.pid)" } ?? "pid \(reply.pid)"
                for forward in response.forwards ?? [] {
                    stoppedPorts.insert(forward.localPort)
                    Output.line(Messages.stopped(forward.label) + " (in \(instance))")
                }
                if !response.ok {
                    failed = true
                    Output.error("kube9 stop: \(instance): \(response.error ?? "refused")")
                }
            case .failed(let error):
                failed = true
                Output.error("kube9 stop: pid \(reply.pid): \(error.message)")
            case .suspended:
                suspended.append(reply.pid)
            }
        }
        let missing = ports.filter { !stoppedPorts.contains($0) }
        for port in missing {
            failed = true
            Output.error("kube9 stop: no forward on local port \(port)")
        }
        // What was asked may be in a kube9 that cannot answer now.
        if all || !missing.isEmpty {
            for pid in suspended {
                failed = true
                Output.error("kube9 stop: " + Messages.suspendedNotStopped(pid: pid))
            }
        }
        if all && stoppedPorts.isEmpty && !failed { Output.error("kube9 stop: no forwards to stop") }
        if failed { throw ExitCode(1) }
    }
}

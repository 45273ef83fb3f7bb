import ArgumentParser
import Foundation
import Kube9Kit

/// `kube9 ls`: every forward of every kube9 of this user, from their control sockets.
struct LsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List the forwards of every running kube9 (UI, kube9 up, kube9 forward) of this user.",
        discussion: """
            A kube9 suspended as a job (Ctrl-Z) cannot answer: it is named on stderr (`suspended` in the JSON), \
            not waited for.

            EXIT CODES
              0   listed (also when there is nothing to list, or a kube9 is suspended)
              1   a kube9 did not answer or refused (its error on stderr)
            """)

    @Flag(help: "Print JSON: {\"version\":1,\"instances\":[…],\"forwards\":[…],\"suspended\":[pid…]}.")
    var json = false

    /// What `ls --json` prints.
    struct Listing: Encodable {
        var version = ControlProtocol.version
        var instances: [ControlInstance]
        var forwards: [ControlForward]
        /// The kube9s that are stopped as jobs and could not be asked.
        var suspended: [Int32]
    }

    func run() throws {
        var instances: [ControlInstance] = []
        var forwards: [ControlForward] = []
        var failed = false
        var suspended: [Int32] = []
        for reply in ControlClient.broadcast(ControlRequest(op: .list)) {
            switch reply.outcome {
            case .answered(let response) where response.ok:
                guard let instance = response.instance else { continue }
                instances.append(instance)
                forwards += (response.forwards ?? []).map { forward in
                    var forward = forward
                    forward.instance = instance
                    return forward
                }
            case .answered(let response):
                failed = true
                Output.error("kube9 ls: pid \(reply.pid): \(response.error ?? "refused")")
            case .failed(let error):
                failed = true
                Output.error("kube9 ls: pid \(reply.pid): \(error.message)")
            case .suspended:
                suspended.append(reply.pid)
            }
        }
        if json {
            let encoder = JSONEncoder.control
            encoder.outputFormatting.insert(.prettyPrinted)
            let data = try encoder.encode(Listing(instances: instances, forwards: forwards, suspended: suspended))
            Output.line(String(decoding: data, as: UTF8.self))
        } else {
            if !forwards.isEmpty { Output.line(Self.table(forwards)) }
            for pid in suspended { Output.error("kube9 ls: " + Messages.suspendedNotListed(pid: pid)) }
        }
        if failed { throw ExitCode(1) }
    }

    static func table(_ forwards: [ControlForward]) -> String {
        let header = ["LOCAL", "TARGET", "CONTEXT/NAMESPACE", "STATE", "UPTIME", "CONNS", "BYTES", "ON-DEMAND", "INSTANCE"]
        let rows = forwards.map { forward in
            [
                "\(forward.address):\(forward.localPort)", "\(forward.target):\(forward.remotePort)",
                "\(forward.context)/\(forward.namespace)", forward.state, duration(forward.uptimeSeconds),
                String(forward.connections), bytes(forward), onDemand(forward),
                forward.instance.map { "\($0.kind.rawValue) \($0.pid)" } ?? "-",
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// `42s`, `3m12s`, `2h05m`, `3d04h`.
    static func duration(_ seconds: Int) -> String {
        switch seconds {
        case ..<60: "\(seconds)s"
        case ..<3600: "\(seconds / 60)m\(String(format: "%02d", seconds % 60))s"
        case ..<86400: "\(seconds / 3600)h\(String(format: "%02d", seconds % 3600 / 60))m"
        default: "\(seconds / 86400)d\(String(format: "%02d", seconds % 86400 / 3600))h"
        }
    }

    /// `no`; on demand: `idle` (no kubectl runs) or `running`, `yes` from an instance that does not say which.
    static func onDemand(_ forward: ControlForward) -> String {
        guard forward.onDemand else { return "no" }
        return forward.backendRunning.map { $0 ? "running" : "idle" } ?? "yes"
    }

    /// `in/out` when the instance counts bytes, else `-`.
    static func bytes(_ forward: ControlForward) -> String {
        guard let bytesIn = forward.bytesIn, let bytesOut = forward.bytesOut else { return "-" }
        return "\(bytesIn)/\(bytesOut)"
    }
}

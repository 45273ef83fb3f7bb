import Foundation

/// Pure classification of a failed kubectl run from its stderr. Known failures get kube9's sentence; anything
/// else keeps kubectl's own last error line, so a message is never empty nor generic.
public enum KubectlErrorClassifier {
    /// What the failed kubectl call was doing: decides the words of some messages.
    public enum Purpose: Sendable, Equatable {
        /// `get`, `config view`: the person reads kubectl's own line for forbidden / not found.
        case read
        /// `port-forward` of `target` (a pod, or a service or workload whose pod kubectl picks) from `localPort`.
        case portForward(ForwardTarget, localPort: Int)
    }

    /// `context` names the kubeconfig context in authentication and certificate messages (nil: not known).
    public static func classify(
        stderr: String, exitDescription: String = "exit 1", purpose: Purpose, context: String? = nil
    ) -> KubeError {
        // A discovery warning about one aggregated API (`couldn't get resource list for metrics.k8s.io/v1beta1: …`,
        // common where metrics-server is broken) says nothing of this call: kept out, so its words (a `dial tcp`) do
        // not read as the cluster being out of reach.
        let lines = stderr.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.contains("couldn't get resource list for") }
        // First: kubectl reports these as `Unable to connect to the server: …` too, and a plugin's words may be anything.
        if let failure = credentialFailure(lines, context: context) { return failure }
        let text = lines.joined(separator: "\n")
        let lower = text.lowercased()
        let ownLine = kubectlLine(lines) ?? Messages.kubectlFailed(exitCode: exitDescription)

        if lower.contains("pod is not running") {
            if case .portForward(let target, _) = purpose {
                let phase = text.range(of: "Current status=").map { String(text[$0.upperBound...].prefix { !$0.isWhitespace }) }
                return KubeError(.podNotRunning, Messages.podNotRunning(in: target, phase: phase ?? "Unknown"))
            }
            return KubeError(.podNotRunning, ownLine)
        }
        // kubectl found no pod of a service or a workload within `--pod-running-timeout`.
        if lower.contains("timed out waiting for the condition"), case .portForward(let target, _) = purpose, target.kind != .pod {
            return KubeError(.podNotRunning, Messages.noRunningPod(behind: target))
        }
        if let port = lines.lazy.compactMap(refusedRemotePort).last {
            // Before connectivity: the kubelet's words end in `connection refused` too.
            if case .portForward(let target, _) = purpose {
                return KubeError(.nothingListens, Messages.nothingListens(port: port, in: target))
            }
            return KubeError(.nothingListens, ownLine)
        }
        if lower.contains("unable to listen on") || lower.contains("address already in use") {
            if case .portForward(_, let localPort) = purpose {
                return KubeError(.portInUse, Messages.portInUse(port: localPort, suggestion: nil))
            }
            return KubeError(.portInUse, ownLine)
        }
        if lower.contains("forbidden") || lower.contains("pods/portforward") {
            if case .portForward(let target, _) = purpose {
                return KubeError(.forbidden, Messages.permissionDenied(namespace: target.namespace))
            }
            return KubeError(.forbidden, ownLine)
        }
        if lower.contains("(notfound)") || lower.contains("not found") && lower.contains("error from server") {
            return KubeError(.notFound, ownLine)
        }
        if lower.contains("client.timeout exceeded") || lower.contains("context deadline exceeded")
            || lower.contains("(timeout)") || lower.contains("timeout: request did not complete")
        {
            return KubeError(.timedOut, purposeIsForward(purpose) ? Messages.connectionTimedOut : ownLine)
        }
        let connectivity = [
            "connection refused", "unable to connect", "was refused", "no route to host", "i/o timeout", "dial tcp",
            "network is unreachable", "no such host", "connection reset",
        ]
        if connectivity.contains(where: lower.contains) {
            return KubeError(.unreachable, purposeIsForward(purpose) ? Messages.connectionFailed : Messages.clusterUnreachable)
        }
        return KubeError(.other, ownLine)
    }

    /// The remote port of the kubelet's refusal of one forwarded connection (nothing listens on it in the pod), as
    /// every kubectl from 1.20 to 1.37 relays it on stderr, over WebSocket and SPDY alike:
    /// `… error forwarding port 5432 to pod …: failed to connect to localhost:5432 inside namespace "…", IPv4: dial
    /// tcp4 127.0.0.1:5432: connect: connection refused …` (kubectl's own prefix varies: `an error occurred
    /// forwarding L -> R:`, `"Unhandled Error" err="…"`, `"An error occurred forwarding" err="…"`). nil for other lines.
    public static func refusedRemotePort(_ line: String) -> Int? {
        guard let start = line.range(of: refusalMarker), line.contains("inside namespace"),
            line.contains("connection refused")
        else { return nil }
        return Int(line[start.upperBound...].prefix { $0.isNumber })
    }

    private static let refusalMarker = "failed to connect to localhost:"

    /// An untrusted server certificate, a failed credential plugin or a 401, told apart from connectivity.
    static func credentialFailure(_ lines: [String], context: String?) -> KubeError? {
        if let line = lines.last(where: { $0.contains("x509: ") }), let start = line.range(of: "x509: ") {
            let detail = unquoted(line[start.lowerBound...])
            return KubeError(.untrustedCertificate, Messages.certificateNotTrusted(context: context, detail: detail))
        }
        if let index = lines.lastIndex(where: { $0.contains(credentialsMarker) }),
            let start = lines[index].range(of: credentialsMarker)
        {
            // `exec: executable X failed with exit code 1`: the plugin said why on its stderr, which kubectl relays.
            var detail = unquoted(lines[index][start.upperBound...])
            if detail.contains("failed with exit code"), let own = pluginLine(lines[..<index]) {
                detail = own
            } else if let noise = detail.range(of: "; json parse error") {
                detail = String(detail[..<noise.lowerBound])
            }
            return KubeError(.authentication, Messages.authenticationFailed(context: context, detail: detail))
        }
        if let line = lines.last(where: { $0.hasPrefix(loggedInPrefix) }) {
            // `error: You must be logged in to the server (Unauthorized)`: the server's words are in the parentheses.
            var detail = line.dropFirst(loggedInPrefix.count).trimmingCharacters(in: .whitespaces)
            if detail.hasPrefix("("), detail.hasSuffix(")") { detail = String(detail.dropFirst().dropLast()) }
            return KubeError(.authentication, Messages.authenticationFailed(context: context, detail: detail))
        }
        let ownLines = lines.filter { !isKlogLine($0) }
        if let line = kubectlLine(ownLines), line.lowercased().contains("unauthorized") {
            return KubeError(.authentication, Messages.authenticationFailed(context: context, detail: line))
        }
        return nil
    }

    private static let credentialsMarker = "getting credentials: "
    private static let loggedInPrefix = "error: You must be logged in to the server"

    /// The credential plugin's own last stderr line among kubectl's (which kubectl relays as it comes).
    private static func pluginLine(_ lines: ArraySlice<String>) -> String? {
        lines.last { line in
            !isKlogLine(line) && !line.contains(credentialsMarker) && !line.hasPrefix("Unable to connect to the server")
        }
    }

    /// klog's `E1130 02:04:52.049394   15924 memcache.go:265] …`.
    static func isKlogLine(_ line: String) -> Bool {
        let characters = Array(line.prefix(6))
        return characters.count == 6 && "IWEF".contains(characters[0]) && characters[1...4].allSatisfy(\.isNumber)
            && characters[5] == " "
    }

    /// The text without the closing quote of klog's `err="…"` and with its `\"` escapes undone.
    private static func unquoted(_ text: Substring) -> String {
        var text = String(text)
        if text.hasSuffix("\""), !text.dropLast().hasSuffix("\\") { text.removeLast() }
        return text.replacingOccurrences(of: "\\\"", with: "\"")
    }

    private static func purposeIsForward(_ purpose: Purpose) -> Bool {
        if case .portForward = purpose { return true }
        return false
    }

    /// kubectl's own words: the last `error: …` / `Error from server …` line, else the last line at all.
    static func kubectlLine(_ lines: [String]) -> String? {
        if let line = lines.last(where: { $0.hasPrefix("error:") || $0.hasPrefix("Error from server") || $0.hasPrefix("Error:") }) {
            return line
        }
        return lines.last
    }
}

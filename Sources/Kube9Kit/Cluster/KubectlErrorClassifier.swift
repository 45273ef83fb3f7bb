import Foundation

/// Pure classification of a failed kubectl run from its stderr. Known failures get kube9's sentence; anything
/// else keeps kubectl's own last error line, so a message is never empty nor generic.
public enum KubectlErrorClassifier {
    /// What the failed kubectl call was doing: decides the words of some messages.
    public enum Purpose: Sendable, Equatable {
        /// `get`, `config view`: the person reads kubectl's own line for forbidden / not found.
        case read
        /// `port-forward` of `pod` in `namespace`.
        case portForward(namespace: String, pod: String, localPort: Int)
    }

    public static func classify(stderr: String, exitDescription: String = "exit 1", purpose: Purpose) -> KubeError {
        let lines = stderr.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let text = lines.joined(separator: "\n")
        let lower = text.lowercased()
        let ownLine = kubectlLine(lines) ?? Messages.kubectlFailed(exitCode: exitDescription)

        if lower.contains("pod is not running") {
            if case .portForward(_, let pod, _) = purpose {
                let phase = text.range(of: "Current status=").map { String(text[$0.upperBound...].prefix { !$0.isWhitespace }) }
                return KubeError(.podNotRunning, Messages.podNotRunning(pod: pod, phase: phase ?? "Unknown"))
            }
            return KubeError(.podNotRunning, ownLine)
        }
        if lower.contains("unable to listen on") || lower.contains("address already in use") {
            if case .portForward(_, _, let localPort) = purpose {
                return KubeError(.portInUse, Messages.portInUse(port: localPort, suggestion: nil))
            }
            return KubeError(.portInUse, ownLine)
        }
        if lower.contains("forbidden") || lower.contains("pods/portforward") {
            if case .portForward(let namespace, _, _) = purpose {
                return KubeError(.forbidden, Messages.permissionDenied(namespace: namespace))
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

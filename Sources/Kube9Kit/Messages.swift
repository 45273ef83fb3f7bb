/// Every sentence the library shows a person, in one place. Texts in quotes in the issues are verbatim.
public enum Messages {
    // MARK: Starting a forward

    public static func podNotRunning(pod: String, phase: String) -> String {
        "Cannot port forward: Pod '\(pod)' is not in Running state (current: \(phase))"
    }

    /// kubectl found no pod of a service or a workload to forward to while it waited.
    public static func noRunningPod(behind target: ForwardTarget) -> String {
        "Cannot port forward: no running pod behind \(target.shortName)"
    }

    /// For a forward's target: the spec's words for a pod; for a service or a workload, the pod kubectl picked
    /// (it does not say which).
    public static func podNotRunning(in target: ForwardTarget, phase: String) -> String {
        switch target.kind {
        case .pod: podNotRunning(pod: target.name, phase: phase)
        default: "Cannot port forward: the pod behind \(target.shortName) is not in Running state (current: \(phase))"
        }
    }

    public static func portInUse(port: Int, suggestion: Int?) -> String {
        if let suggestion { return "Port \(port) is already in use. Try \(suggestion)?" }
        return "Port \(port) is already in use. No free local port was found above it."
    }

    public static func portPrivileged(port: Int, suggestion: Int?) -> String {
        if let suggestion { return "Port \(port) needs root privileges. Try \(suggestion)?" }
        return "Port \(port) needs root privileges and no free port above 1024 was found."
    }

    public static let alreadyActive = "This forward is already active"

    /// kubectl's words (after its `error: `) for a named remote port (`8443:https`) the target does not have.
    public static func noNamedPort(_ name: String, in target: ForwardTarget) -> String {
        "\(target.kind.title) '\(target.name)' does not have a named port '\(name)'"
    }

    /// `kube9 forward pod/x :80`: the system gave no local port that is free on both loopback addresses.
    public static func noFreeLocalPort(mapping: String) -> String { "No free local port was found for '\(mapping)'." }

    /// kube9 could not listen on the forward's local address for another reason than a busy or privileged port.
    public static func listenFailed(address: String, port: Int, detail: String) -> String {
        "Cannot listen on \(address):\(port): \(detail)"
    }

    /// `label` is the forward's (``ForwardRequest/label``): where it listens (`localhost:8080`, `0.0.0.0:8080` when
    /// bound beyond loopback) and its target (`default/web-0:80`, `shop/svc/web:80`).
    public static func established(_ label: String) -> String { "Port forward established: \(label)" }

    public static let connectionTimedOut = "Port forward connection timed out. Check pod logs and try again."

    public static let kubectlNotFound = "kubectl not found. Please install kubectl to use port forwarding."

    /// ``kubectlNotFound`` followed by what was tried: the name on PATH (with where to get kubectl), or the path
    /// given (`--kubectl`) and what is wrong with it.
    public static func kubectlNotFound(_ executable: String, missing: ExecutableLocator.Missing) -> String {
        let tried =
            switch missing {
            case .notOnPath: "No '\(executable)' on PATH; see https://kubernetes.io/docs/tasks/tools/"
            case .notExecutableOnPath(let path): "\(path) on PATH is not executable."
            case .noSuchFile: "\(executable): no such file."
            case .directory: "\(executable) is a directory."
            case .notExecutable: "\(executable) is not executable."
            case .interpreterMissing(let interpreter): "\(executable) runs \(interpreter), which does not exist."
            case .windowsLineEnds: "\(executable) has Windows line ends: its #! line ends in a carriage return."
            case .cannotRun: "\(executable) cannot be run."
            }
        return "\(kubectlNotFound) \(tried)"
    }

    public static func permissionDenied(namespace: String) -> String {
        "Permission denied. You need pods/portforward permission in namespace '\(namespace)'."
    }

    public static let connectionFailed = "Connection failed: Unable to reach pod. Check cluster connectivity."

    /// The kubelet refused a forwarded connection: no process in the pod listens on the remote port.
    public static func nothingListens(port: Int, namespace: String, pod: String) -> String {
        "Nothing listens on port \(port) in pod \(namespace)/\(pod)"
    }

    /// For a forward's target: a service's or a workload's pod is the one kubectl picked behind it.
    public static func nothingListens(port: Int, in target: ForwardTarget) -> String {
        switch target.kind {
        case .pod: nothingListens(port: port, namespace: target.namespace, pod: target.name)
        default:
            "Nothing listens on port \(port) in the pod behind \(target.kind.title.lowercased()) \(target.namespace)/\(target.name)"
        }
    }

    public static let clusterUnreachable = "Connection failed: Unable to reach the cluster. Check cluster connectivity."

    /// `label`: see ``established(_:)``.
    public static func stoppedBeforeConnecting(_ label: String) -> String {
        "Port forward stopped before it connected: \(label)"
    }

    // MARK: While a forward runs

    public static func forwardNotFound(id: String) -> String { "Forward \(id) not found" }

    /// `label`: see ``established(_:)``.
    public static func stoppedUnexpectedly(_ label: String) -> String { "Port forward stopped unexpectedly: \(label)" }

    public static func podDeleted(pod: String) -> String { "Port forward stopped: Pod '\(pod)' was deleted" }

    /// A forward's target was deleted: the spec's words for a pod (`Pod 'web-0'`), its label for a service or a
    /// workload (`Service 'shop/svc/web'`, `Deployment 'shop/deploy/web'`).
    public static func deleted(_ target: ForwardTarget) -> String {
        switch target.kind {
        case .pod: podDeleted(pod: target.name)
        default: "Port forward stopped: \(target.kind.title) '\(target.label)' was deleted"
        }
    }

    /// The pod kubectl forwarded a service to was deleted (kubectl does not move on to another pod of the service).
    public static func podBehindServiceDeleted(pod: String, service: ForwardTarget) -> String {
        "Port forward stopped: Pod '\(pod)' behind \(service.label) was deleted"
    }

    /// A healing forward followed its deleted pod's replacement (same local port).
    public static func forwardMoved(namespace: String, pod: String) -> String {
        "Port forward moved to \(namespace)/\(pod)"
    }

    /// The status of a healing forward while kubectl is started again.
    public static func reconnecting(attempt: Int) -> String { "reconnecting (attempt \(attempt))" }

    /// A forward paused because its context's credentials fail: `paused: Authentication failed for context …`.
    public static func paused(reason: String?) -> String { reason.map { "paused: \($0)" } ?? "paused" }

    /// What a credential plugin asks of the person while kubectl waits: `Log in for context 'dev': Please visit …`.
    public static func loginPrompt(context: String, prompt: String) -> String { "Log in for context '\(context)': \(prompt)" }

    /// An on-demand forward's status: `on demand • idle` (no kubectl) or `on demand • active`.
    public static func onDemandStatus(backendRunning: Bool) -> String {
        "on demand • \(backendRunning ? "active" : "idle")"
    }

    /// `label` as in ``established(_:)``.
    public static func stopped(_ label: String) -> String { "Port forward stopped: \(label)" }

    // MARK: Listening addresses

    public static let addressEmpty = "Give an address to listen on: localhost, or IP addresses separated by commas."

    public static func addressInvalid(_ text: String) -> String {
        "'\(text)' is not an address kubectl can listen on: use localhost or an IP address (127.0.0.1, 0.0.0.0, ::1)."
    }

    // MARK: Saved forwards

    public static func savedForwardsCorrupt(keptAt path: String, reason: String) -> String {
        "Saved forwards could not be read (\(reason)); the file was kept as \(path)"
    }

    public static func savedForwardsUnreadable(path: String, detail: String) -> String {
        "Saved forwards could not be read from \(path): \(detail)"
    }

    public static func savedForwardsNotWritten(path: String, detail: String) -> String {
        "Saved forwards could not be written to \(path): \(detail)"
    }

    /// The end of `S` in the UI and of `kube9 up` (each failure's reason is shown with its forward).
    public static func savedForwardsFailedToStart(_ failed: Int, of total: Int) -> String {
        "\(failed) of \(total) saved forward(s) failed to start"
    }

    // MARK: Reading the cluster

    public static func requestTimedOut(seconds: Int) -> String {
        "kubectl did not answer within \(seconds) s. Check cluster connectivity."
    }

    public static func malformedOutput(what: String, detail: String) -> String {
        "Unexpected output from kubectl (\(what)): \(detail)"
    }

    public static func kubectlFailed(exitCode: String) -> String {
        "kubectl failed (\(exitCode)) without an error message"
    }

    public static let cancelled = "Cancelled"

    public static func couldNotStartKubectl(_ detail: String) -> String { "Could not start kubectl: \(detail)" }

    // MARK: kube9 ls and kube9 stop

    /// A kube9 stopped as a job cannot answer its control socket: said instead of waiting for it.
    public static func suspendedNotListed(pid: Int32) -> String {
        "pid \(pid) is suspended (Ctrl-Z or SIGSTOP): its forwards are listed once it continues (fg, or kill -CONT \(pid))"
    }

    public static func suspendedNotStopped(pid: Int32) -> String {
        "pid \(pid) is suspended (Ctrl-Z or SIGSTOP): its forwards can be stopped once it continues (fg, or kill -CONT \(pid))"
    }

    // MARK: Ctrl-Z's forward holder (after `Not suspended: `)

    static func holderSocketPairFailed(errno code: Int32) -> String { "cannot create a socket pair (errno \(code))" }
    static func holderNotStarted(_ detail: String) -> String { "cannot start the forward holder: \(detail)" }
    static func holderDidNotAnswer(_ reply: String?) -> String { "the forward holder did not start (\(reply ?? "no answer"))" }

    // MARK: Credentials and certificates

    /// A credential plugin failed (its own last stderr line, or kubectl's words about it) or the server answered
    /// 401. `context` is nil where the caller does not know it.
    public static func authenticationFailed(context: String?, detail: String) -> String {
        guard let context else { return "Authentication failed: \(detail)" }
        return "Authentication failed for context '\(context)': \(detail)"
    }

    /// The server's certificate failed verification (`detail` starts at `x509:`).
    public static func certificateNotTrusted(context: String?, detail: String) -> String {
        guard let context else { return "The certificate of the cluster is not trusted: \(detail)" }
        return "The certificate of context '\(context)' is not trusted: \(detail)"
    }

    // MARK: The kubeconfig

    public static func kubeconfigUnreadable(path: String, reason: String) -> String {
        "Cannot read the kubeconfig \(path): \(reason)"
    }

    /// KUBECONFIG lists files of which none exists.
    public static func kubeconfigListMissing(paths: [String]) -> String {
        "Cannot read the kubeconfig: no file of KUBECONFIG exists (\(paths.joined(separator: ", ")))"
    }

    // MARK: Port numbers typed by a person

    public static let portEmpty = "Enter a port number (1–65535)."
    public static let portNotNumber = "A port is a number from 1 to 65535 (digits 0–9 only)."
    public static let portZero = "Port 0 is not allowed: use 1–65535."
    public static let portNegative = "A port cannot be negative: use 1–65535."
    public static let portTooLarge = "Ports go up to 65535."
    public static let portLeadingZero = "Write the port without leading zeros."

    /// Two forwards of one start on the same local port (`kube9 forward`, the port dialog's marked ports).
    public static func localPortGivenTwice(_ port: Int) -> String { "Local port \(port) is given twice." }
}

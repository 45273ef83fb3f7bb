import Kube9Kit

/// Every text the UI writes itself (the manager's messages are shown verbatim and live in Kube9Kit).
/// The end-to-end tests look for these strings: change them here and there together.
public enum UIText {
    // Title and tree
    public static let appName = "kube9"
    public static let demoMark = "DEMO"
    public static let demoKubeconfigLabel = "kube9-sim demo cluster"
    public static let forwardsCategory = "Port Forwarding"
    public static func activeCount(_ n: Int) -> String { "\(n) active" }
    public static let noForwards = "No active port forwards"
    /// Ctrl-Z when the forwards could not be handed to a holder: kube9 runs on.
    public static func notSuspended(_ reason: String) -> String { "Not suspended: \(reason)" }
    public static let currentMark = "(current)"
    public static let defaultMark = "(default)"
    public static let loading = "Loading…"
    public static let loadingASCII = "Loading..."
    public static let noNamespaces = "No namespaces"
    /// Above the namespaces kube9 knows of, when the context may not list them.
    public static func cannotListNamespaces(_ reason: String) -> String { "Cannot list namespaces (o opens one by name): \(reason)" }
    public static let namespacePrompt = "Open namespace: "
    public static let namespacePromptHint = "Enter: open  Esc: cancel"
    public static let openNamespaceNeedsContext = "Select a context to open a namespace by name"
    /// The namespace prompt's refusals (on its line, where the hint is: short enough for 80 columns).
    public static let namespaceCharacters = "Only a-z, 0-9 and - in a name"
    public static let namespaceTooLong = "At most 63 characters"
    public static func invalidNamespaceName(_ name: String) -> String {
        name.isEmpty ? "Type a namespace's name" : "Starts and ends with a-z or 0-9"
    }
    public static let noPods = "No pods"
    public static let servicesGroup = "Services"
    public static let noServices = "No services"
    public static let savedMark = "(saved)"
    public static let healingOffMark = "no-heal"
    public static func connections(_ n: Int) -> String { n == 1 ? "1 conn" : "\(n) conns" }
    public static func lastConnection(_ ago: String) -> String { "last \(ago) ago" }
    public static let terminating = "Terminating"
    public static let noContexts = "No contexts in the kubeconfig"
    /// Before the current context's name in the title line (`context: prod`).
    public static let contextLabel = "context: "

    // Status line
    public static func forwardsActive(_ n: Int) -> String {
        n == 1 ? "kube9: 1 forward active" : "kube9: \(n) forwards active"
    }
    public static let keyHints = "?:help  ↑↓:move  →:open  ←:close  f:forward  x:stop  s:save  /:filter  q:quit"
    public static let keyHintsMedium = "?:help  f:forward  x:stop  s:save  /:filter  q:quit"
    public static let keyHintsShort = "?:help  /:filter  q:quit"
    public static let keyHintsShortest = "?:help"
    public static let keyHintsASCII = "?:help  j/k:move  l:open  h:close  f:forward  x:stop  s:save  /:filter  q:quit"
    /// After the full hints when the status line has room for it.
    public static let keyHintsOnDemand = "  d:on demand"

    // Message line
    public static func startingForward(_ pod: String) -> String { "Starting port forward for \(pod)..." }
    public static func stoppedAll(_ n: Int) -> String { n == 1 ? "Stopped 1 port forward" : "Stopped \(n) port forwards" }
    public static func noMatch(_ query: String) -> String { "No match for '\(query)'" }
    public static func matchPosition(_ index: Int, _ count: Int, _ query: String) -> String {
        "Match \(index) of \(count) for '\(query)'"
    }
    public static func copied(_ text: String) -> String { "Copied \(text) to the clipboard" }
    public static func startingForwards(_ n: Int) -> String { "Starting \(n) port forwards..." }
    public static func startedAll(_ n: Int) -> String { "Started \(n) port forwards" }
    public static func startedSome(_ n: Int, of total: Int, firstError: String) -> String {
        "Started \(n) of \(total) port forwards; \(firstError)"
    }
    public static func savedForward(_ label: String) -> String { "Saved \(label)" }
    /// `S` with failures: the count (Kit's sentence, shared with `kube9 up`) and where the reasons are.
    public static func savedFailedSummary(_ failed: Int, of total: Int) -> String {
        Messages.savedForwardsFailedToStart(failed, of: total) + "; the reasons are on their rows"
    }
    public static func alreadySaved(_ label: String) -> String { "Already saved: \(label)" }
    public static func removedSaved(_ label: String) -> String { "Removed saved forward \(label)" }
    public static let stopNeedsForward = "x stops a forward: select one, or a pod with forwards"
    public static func needsForward(_ what: String) -> String { "\(what) a running forward: select one" }
    public static func confirmStopSeveral(_ n: Int, pod: String) -> String { "Stop the \(n) port forwards of \(pod)?" }
    public static let forwardNeedsTarget = "f forwards a pod, a service or a forward's target: select one"
    public static let noSavedForwards = "No saved port forwards (s on a forward saves it)"
    public static let allSavedRunning = "Every saved port forward is running"
    public static let healingOn = "Healing on: the forward restarts and follows a replacement pod"
    public static let healingOff = "Healing off: the forward ends with its pod or kubectl"
    /// `d` on a running forward, once the manager took it.
    public static func onDemandOn(idle: Duration) -> String {
        "On demand: kubectl stops after \(idleText(idle)) idle and starts again on the next connection"
    }
    public static let onDemandOff = "Always on: kubectl runs until the forward stops"
    /// `d` on a saved forward that is not running: what `S` and `kube9 up` will start.
    public static func savedSwitched(_ label: String, onDemand: Bool) -> String {
        "Saved forward \(label) starts \(onDemand ? "on demand" : "always on")"
    }
    public static let onDemandNeedsForward = "d switches a forward or a saved one between on demand and always on: select one"
    /// On a saved row that starts on demand.
    public static let onDemandMark = "on demand"
    /// `10 min`, `90 s`, `1 h`: an idle timeout.
    public static func idleText(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        if seconds >= 3600, seconds % 3600 == 0 { return "\(seconds / 3600) h" }
        if seconds >= 60, seconds % 60 == 0 { return "\(seconds / 60) min" }
        return "\(seconds) s"
    }
    /// The URL `Copy URL` puts on the clipboard: the first address the forward listens on, as it is
    /// (`http://127.0.0.2:8080`, `http://0.0.0.0:8080`, `http://[::1]:8080`; `localhost` by default).
    public static func url(_ record: ForwardRecord) -> String {
        let first = record.address.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let host = first.isEmpty ? ForwardRequest.defaultAddress : first
        return "http://\(host.contains(":") ? "[\(host)]" : host):\(record.localPort)"
    }
    public static func contextNotFound(_ name: String) -> String { "Context '\(name)' is not in the kubeconfig" }

    // Confirmations
    public static func confirmStop(_ record: ForwardRecord) -> String { "Stop port forward \(record.label)?" }
    public static func confirmStopAll(_ n: Int) -> String {
        n == 1 ? "Stop 1 active port forward?" : "Stop all \(n) active port forwards?"
    }
    public static func confirmQuit(_ n: Int) -> String {
        n == 1 ? "Quit kube9 and stop 1 active port forward?" : "Quit kube9 and stop \(n) active port forwards?"
    }
    public static func confirmRemoveSaved(_ entry: SavedForward) -> String { "Remove saved port forward \(entry.label)?" }
    public static func confirmExpose(address: String, count: Int) -> String {
        count == 1
            ? "Listen on \(address)? The forward will be reachable from other machines."
            : "Listen on \(address)? The \(count) forwards will be reachable from other machines."
    }
    /// The confirmation's buttons: each says its key too.
    public static let confirmYes = "[ y: yes ]"
    public static let confirmNo = "[ n/Esc: no ]"
    public static let confirmTitle = "Confirm"

    // Port dialog
    /// `Port forward staging: vault/vault-0`: the context first, since the same name lives in several.
    public static func dialogTitle(context: String, namespace: String, pod: String) -> String {
        "Port forward \(context): \(namespace)/\(pod)"
    }
    public static let remotePortLabel = "Remote port"
    public static let localPortLabel = "Local port"
    public static let custom = "Custom…"
    public static let customASCII = "Custom..."
    public static let dialogHint = "Tab: next field  Space: mark  Enter: start  Esc: cancel"
    public static let addressLabel = "Address"
    public static let onDemandLabel = "On demand"
    /// Beside the checkbox: what on demand means, with the idle timeout.
    public static func onDemandExplained(idle: Duration) -> String { "kubectl from first use until \(idleText(idle)) idle" }
    public static func markedLocal(_ port: Int) -> String { "local \(port)" }
    /// The Local field typed into while the cursor is on an unmarked port and others are marked.
    public static let markBeforeLocal = "Only the marked ports start: Space marks this one, then type its local port."
    public static func takeSuggestion(_ port: Int) -> String { "Tab or y: use \(port)" }
    public static func portAvailable(_ port: Int) -> String { "Port \(port) is free" }
    public static let checkingPort = "Checking…"
    public static func prefilledSuggestion(remote: Int, local: Int) -> String {
        "Local port \(remote) is not free: \(local) filled in"
    }

    // Menus
    public static let menuPortForward = "Port Forward…"
    public static let menuCopyName = "Copy Name"
    public static let menuRefresh = "Refresh"
    public static let menuStop = "Stop"
    public static let menuRestart = "Restart"
    public static let menuCopyURL = "Copy URL"
    public static let menuSave = "Save"
    public static let menuToggleHealing = "Toggle Healing"
    public static let menuToggleOnDemand = "Toggle On Demand"
    public static let menuHint = "Enter: choose  Esc: close"

    // Filter
    public static let filterPrompt = "/"
    public static let filterHint = "Enter: keep  Esc: clear"

    // Finder
    public static let finderTitle = "Jump to pod or service"
    public static let finderPrompt = "> "
    public static let finderNoContext = "No context to search yet"
    public static func finderLoading(_ context: String) -> String { "Listing every pod and service of \(context)…" }
    public static func finderCount(_ shown: Int, of total: Int) -> String { "\(shown) of \(total)" }
    public static let finderHint = "↑↓: choose  Enter: go  Esc: close"

    // Help
    public static let helpTitle = "kube9 keys"
    public static let helpClose = "Press ? or Esc to close"
    public static let helpScrollHint = "j/k PgDn: scroll  ? Esc: close"
    public static let helpLines: [(String, String)] = [
        ("↑ ↓  k j", "Move the selection"),
        ("PgUp PgDn  ^B ^F", "Move one page"),
        ("Ctrl-U Ctrl-D", "Move half a page up / down"),
        ("g G  Home End", "First / last row"),
        ("→ l  Enter", "Expand (Enter on a leaf: its action menu)"),
        ("Enter on a forward", "Menu: Stop, Restart, Copy URL, Save, H, d"),
        ("← h", "Collapse, or go to the parent"),
        ("/", "Filter: matches only; Enter keeps, Esc clears"),
        ("n N", "Next / previous match"),
        (":  Ctrl-P", "Jump to any pod or service of the context"),
        ("o", "Open a namespace of the context by name"),
        ("Esc", "One step back: field, dialog, filter, message"),
        ("r", "Refresh the selected node"),
        ("f  Enter", "Port forward the selected pod or service"),
        ("x  Delete", "Stop a forward (a pod's) / remove a saved one"),
        ("X", "Stop all port forwards"),
        ("s", "Save the selected forward (forwards.json)"),
        ("Enter (saved row)", "Start the saved forward"),
        ("S", "Start every saved forward"),
        ("H", "Toggle healing of the selected forward"),
        ("d", "On demand / always on: forward or saved one"),
        ("c", "Copy the forward's URL (OSC 52)"),
        ("?", "Show or hide this help"),
        ("Ctrl-L", "Redraw the screen"),
        ("Ctrl-Z", "Suspend (fg resumes); forwards keep answering"),
        ("Mouse", "Click selects, ▸/double click opens, wheel"),
        ("q  Ctrl-C", "Quit (stops all port forwards)"),
        ("Dialog: Tab S-Tab", "Next / previous field"),
        ("Dialog: ↑ ↓", "Choose the remote port"),
        ("Dialog: Ctrl-U", "Clear the field"),
        ("Dialog: y", "Take the suggested local port"),
        ("Dialog: Space", "Mark ports: one forward each"),
        ("Dialog: Address", "Listen address (asks if not local)"),
        ("Dialog: d", "On demand (kubectl stops after \(idleText(ForwardRequest.defaultIdleTimeout)) idle)"),
        ("Dialog: Enter Esc", "Start the forward / cancel"),
    ]

    // Too small
    public static let tooSmall = "Terminal too small"
    public static func tooSmallNeed(width: Int, height: Int) -> String { "need \(width)x\(height)" }

    // Command line
    public static let noKubeconfig = "kube9: no kubeconfig found (no --kubeconfig, no KUBECONFIG, no ~/.kube/config)."
    public static let suggestDemo = "Try the built-in demo cluster: kube9 --demo"
    public static func cannotOpenTerminal(_ term: String) -> String {
        "kube9: cannot open the terminal (TERM=\(term)). Set TERM to a known terminal type, e.g. xterm-256color."
    }
    public static let notATerminal = "kube9: standard input and output must be a terminal (use `kube9 forward` for scripts)."

    /// A credential plugin's login prompt for a starting forward, on the message line.
    public static func loginPrompt(_ record: ForwardRecord) -> String {
        loginPrompt(context: record.context, prompt: record.loginPrompt ?? "")
    }
    /// A credential plugin's login prompt for a call Esc gives up (a forward's start, a list read), on the message line.
    public static func loginPrompt(context: String, prompt: String) -> String {
        Messages.loginPrompt(context: context, prompt: prompt) + " (Esc cancels)"
    }
    public static let loginCancelled = "Stopped waiting for the login"
    /// The `Loading…` row of a list whose read waits for the context's credential plugin (its line as printed).
    public static func waitingForLogin(_ prompt: String) -> String { "Waiting for the login: \(prompt) (Esc cancels)" }
    /// The row of a list whose read was given up while it waited for the login.
    public static let listLoginCancelled = "Login cancelled; Enter or r tries again"
}

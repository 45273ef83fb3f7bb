import Kube9Kit

/// Work the update function asks for. The runtime runs it off the input loop and answers with events.
public enum Effect: Sendable, Equatable {
    case loadContexts
    case loadNamespaces(context: String)
    case loadPods(context: String, namespace: String)
    case loadServices(context: String, namespace: String)
    /// Reads the manager's list; `asOf` is the tree's ``ClusterTree/forwardsRevision`` when asked.
    case refreshForwards(asOf: Int)
    /// `r` on Port Forwarding: forwards paused because their context's credentials failed try again.
    case resumePausedForwards
    /// Every pod of a context in one list call (the finder).
    case loadAllPods(context: String)
    /// Reads `forwards.json` (once, at start).
    case loadSavedForwards
    /// Writes the whole saved list (atomically).
    case saveForwards([SavedForward])
    case setHealing(Bool, forwardID: String)
    case checkLocalPort(Int)
    case startForward(ForwardRequest)
    case stopForward(ForwardRecord)
    case restartForward(ForwardRecord)
    case stopAllForwards
    /// OSC 52: the terminal (also over ssh and in tmux) puts `text` on the clipboard.
    case copyToClipboard(String)
    /// Ctrl-L: draw the whole screen again.
    case redraw
    case quit
}

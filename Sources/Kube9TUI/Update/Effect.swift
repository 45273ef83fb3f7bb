import Kube9Kit

/// Work the update function asks for. The runtime runs it off the input loop and answers with events.
public enum Effect: Sendable, Equatable {
    case loadContexts
    case loadNamespaces(context: String)
    case loadPods(context: String, namespace: String)
    case loadServices(context: String, namespace: String)
    /// Gives up a list read in flight (Esc while it waits for a login): its kubectl and the credential plugin in
    /// kubectl's process group are stopped; it answers nothing.
    case cancelListRead(ListRead)
    /// Reads the manager's list; `asOf` is the tree's ``ClusterTree/forwardsRevision`` when asked.
    case refreshForwards(asOf: Int)
    /// Keep an open namespace's pod list live through its watch / stop.
    case followPods(NamespaceKey)
    case unfollowPods(NamespaceKey)
    /// `r` on Port Forwarding: forwards paused because their context's credentials failed try again.
    case resumePausedForwards
    /// Every pod of a context in one list call (the finder).
    case loadAllPods(context: String)
    /// Every service of a context in one list call (the finder).
    case loadAllServices(context: String)
    /// Reads `forwards.json` (once, at start).
    case loadSavedForwards
    /// Writes the whole saved list (atomically).
    case saveForwards([SavedForward])
    case setHealing(Bool, forwardID: String)
    case checkLocalPort(Int)
    case startForward(ForwardRequest)
    /// The dialog's marked ports: all or none, forwards to one pod sharing one kubectl (answered one event each).
    case startForwards([ForwardRequest])
    /// `d`: the forward on demand (kubectl stops after `idleTimeout` with no connection) or always on.
    case setOnDemand(Bool, idleTimeout: Duration, forwardID: String)
    case stopForward(ForwardRecord)
    case restartForward(ForwardRecord)
    case stopAllForwards
    /// OSC 52: the terminal (also over ssh and in tmux) puts `text` on the clipboard.
    case copyToClipboard(String)
    /// Ctrl-L: draw the whole screen again.
    case redraw
    /// Ctrl-Z: hand the connected forwards to a holder, give the terminal back and stop until `fg`, then redraw.
    case suspend
    case quit
}

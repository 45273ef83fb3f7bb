import Foundation
import Kube9Kit

/// Everything that can change the state: keys, the terminal, answers from kubectl and the manager, time.
public enum AppEvent: Sendable {
    case key(Key)
    case resize(TerminalSize)
    /// Time moved on (spinners and uptimes read `now`).
    case tick(Date)
    case contextsLoaded(Result<[KubeContext], KubeError>)
    case namespacesLoaded(context: String, Result<[KubeNamespace], KubeError>)
    case podsLoaded(context: String, namespace: String, Result<[Pod], KubeError>)
    case allPodsLoaded(context: String, Result<[Pod], KubeError>)
    case allServicesLoaded(context: String, Result<[KubeService], KubeError>)
    /// A change the watch of an open namespace reported.
    case podListChanged(NamespaceKey, PodListChange)
    /// A list read's credential plugin asks the person to log in (`line` as it printed it); the read waits for it.
    case listLoginPrompt(context: String, line: String)
    case servicesLoaded(context: String, namespace: String, Result<[KubeService], KubeError>)
    /// `forwards.json` as read at start; `notice` when it was unreadable (and kept aside).
    case savedForwardsLoaded([SavedForward], notice: Notice?)
    /// The answer of `saveForwards`: nil when written.
    case savedForwardsWritten(KubeError?)
    case healingSet(Bool, forwardID: String, KubeError?)
    case onDemandSet(Bool, forwardID: String, KubeError?)
    case forwardEvent(ForwardEvent)
    /// The manager's list as read for `refreshForwards(asOf:)`.
    case forwardsRefreshed([ForwardRecord], asOf: Int)
    case forwardStarted(ForwardRequest, ForwardRecord)
    case forwardFailed(ForwardRequest, KubeError)
    case forwardStopped(ForwardRecord, KubeError?)
    case allForwardsStopped(count: Int)
    case portChecked(port: Int, LocalPortCheck)
    case copied(String)
    /// Ctrl-Z: the forwards could not be handed to a holder, so kube9 did not stop.
    case suspendFailed(KubeError)
}

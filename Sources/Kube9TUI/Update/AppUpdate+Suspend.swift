import Kube9Kit

/// Ctrl-Z (or a SIGTSTP sent from outside): kube9 stops like any job (the terminal given back as the shell left it;
/// `fg` brings the same screen back). Its connected forwards keep answering meanwhile: before stopping, the run
/// loop hands their listeners to a holder process (``KubeBackend/holdForwardsWhileStopped()``); when that fails,
/// kube9 does not stop and says why (``suspendFailed(_:_:)``).
extension AppUpdate {
    static func requestSuspend(_ state: inout AppState, _ effects: inout [Effect]) {
        effects.append(.suspend)
    }

    /// The forwards could not be handed over: kube9 runs on, and the message says why.
    static func suspendFailed(_ error: KubeError, _ state: inout AppState) {
        state.message = MessageLine(.error, UIText.notSuspended(error.message))
    }
}

/// Ctrl-Z (or a SIGTSTP sent from outside): with no forward listening, kube9 stops like any job (the terminal given
/// back as the shell left it; `fg` brings the same screen back). While forwards run it says why it does not: kube9
/// itself listens for them and relays their bytes, so they would stop answering while it is stopped.
extension AppUpdate {
    static func requestSuspend(_ state: inout AppState, _ effects: inout [Effect]) {
        if state.liveForwardCount > 0 {
            state.message = MessageLine(.info, UIText.noSuspend)
        } else {
            effects.append(.suspend)
        }
    }
}

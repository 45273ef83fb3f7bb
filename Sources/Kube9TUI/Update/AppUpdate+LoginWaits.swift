import Kube9Kit

/// Calls waiting for a credential plugin's login (a URL, a device code): the plugin's line is shown at once, the
/// call waits up to ``CredentialPrompt/loginWait``, and Esc gives up every such wait.
extension AppUpdate {
    /// A list read's plugin asks for a login: on the message line, and on the `Loading…` rows of the context's
    /// reads in flight (until they answer or Esc gives them up).
    static func listLoginPrompt(context: String, line: String, _ state: inout AppState) {
        if let finder = state.finder, finder.context == context, !finder.readsInFlight.isEmpty {
            // The finder's lists wait for it: Esc closes the finder and gives them up.
            state.message = MessageLine(.info, UIText.loginPrompt(context: context, prompt: line))
            return
        }
        guard !state.tree.listReadsLoading(in: context).isEmpty else {
            // Its read has answered meanwhile (or is not one Esc gives up): only told.
            state.message = MessageLine(.info, Messages.loginPrompt(context: context, prompt: line))
            return
        }
        state.message = MessageLine(.info, UIText.loginPrompt(context: context, prompt: line))
        state.updateTree { $0.listLogins[context] = line }
    }

    /// Esc: the forwards whose start waits for a login are stopped, the list reads waiting for one are given up
    /// (their lists say so; `r` or Enter reads them again). False when nothing waited.
    static func giveUpLoginWaits(_ state: inout AppState, _ effects: inout [Effect]) -> Bool {
        let forwards = state.tree.forwards.filter { $0.loginPrompt != nil }
        let reads = state.tree.listLogins.keys.sorted().flatMap(state.tree.listReadsLoading(in:))
        guard !forwards.isEmpty || !reads.isEmpty else { return false }
        effects += forwards.map(Effect.stopForward)
        if !reads.isEmpty {
            state.updateTree { tree in
                for read in reads { tree.markCancelled(read) }
                tree.listLogins = [:]
            }
            effects += reads.map(Effect.cancelListRead)
        }
        return true
    }

    /// A context's login is no longer waited for once none of its list reads is in flight.
    static func settleListLogins(_ state: inout AppState) {
        let answered = state.tree.listLogins.keys.filter { state.tree.listReadsLoading(in: $0).isEmpty }
        guard !answered.isEmpty else { return }
        state.updateTree { tree in
            for context in answered { tree.listLogins.removeValue(forKey: context) }
        }
    }
}

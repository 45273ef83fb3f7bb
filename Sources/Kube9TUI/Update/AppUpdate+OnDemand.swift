import Kube9Kit

/// `d` and the menu's Toggle On Demand: a running forward switches in the manager (and, when saved, in
/// forwards.json once the manager took it); a saved forward that is not running switches in forwards.json only.
extension AppUpdate {
    static func switchOnDemand(_ id: NodeID, _ state: inout AppState, _ effects: inout [Effect]) {
        if let record = forwardRecord(id, state) {
            effects.append(.setOnDemand(!record.onDemand, idleTimeout: record.idleTimeout, forwardID: record.id))
        } else if case .savedForward(let entry) = id, let index = state.tree.saved.firstIndex(of: entry) {
            var list = state.tree.saved
            let request = entry.request()
            list[index].setOnDemand(!request.onDemand, idleTimeout: request.idleTimeout)
            state.updateTree { $0.saved = list }
            state.message = MessageLine(
                .info, UIText.savedSwitched(state.glyphs.plain(entry.label), onDemand: !request.onDemand))
            effects.append(.saveForwards(list))
        } else {
            state.message = MessageLine(.info, UIText.onDemandNeedsForward)
        }
    }

    /// The manager's answer: the message says what changed; a saved forward keeps it in forwards.json.
    static func onDemandSet(
        _ enabled: Bool, forwardID: String, _ error: KubeError?, _ state: inout AppState, _ effects: inout [Effect]
    ) {
        let record = forwardRecord(.forward(id: forwardID), state)
        if let error {
            state.message = MessageLine(.error, error.message)
            return
        }
        let idle = record?.idleTimeout ?? ForwardRequest.defaultIdleTimeout
        state.message = MessageLine(.info, enabled ? UIText.onDemandOn(idle: idle) : UIText.onDemandOff)
        guard let record, let index = state.tree.saved.firstIndex(where: { $0.isSameForward(as: record) }),
            state.tree.saved[index].request().onDemand != enabled else { return }
        var list = state.tree.saved
        list[index].setOnDemand(enabled, idleTimeout: idle)
        state.updateTree { $0.saved = list }
        effects.append(.saveForwards(list))
    }
}

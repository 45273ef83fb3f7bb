import Kube9Kit

/// Answers from kubectl and the manager. The forward list follows the manager's events only; the answers of
/// start/stop report on the message line.
extension AppUpdate {
    static func contextsLoaded(_ result: Result<[KubeContext], KubeError>, _ state: inout AppState) {
        state.updateTree { $0.contexts = LoadState(result) }
        if case .success(let contexts) = result, let wanted = state.tree.contextOverride,
            !contexts.contains(where: { $0.name == wanted }) {
            state.message = MessageLine(.error, UIText.contextNotFound(wanted))
        }
    }

    static func forwardEventArrived(_ event: ForwardEvent, _ state: inout AppState, _ effects: inout [Effect]) {
        if case .updated(let record) = event { savedForwardMoved(record, &state, &effects) }
        if case .notice(let notice) = event {
            state.message = MessageLine(notice)
        } else {
            if case .updated(let record) = event, let prompt = record.loginPrompt,
                state.tree.forwards.first(where: { $0.id == record.id })?.loginPrompt != prompt {
                // A credential plugin asks the person to log in: shown at once; Esc gives up waiting.
                state.message = MessageLine(.info, UIText.loginPrompt(record))
            }
            // The first forward opens Port Forwarding, so a new forward is seen where it runs.
            let first = state.tree.forwards.isEmpty
            state.updateTree { tree in
                tree.apply(event)
                if case .added = event, first { tree.expanded.insert(.forwardsCategory) }
            }
        }
    }

    /// A saved forward that moved to a replacement pod is saved as its new pod (forwards.json too).
    static func savedForwardMoved(_ record: ForwardRecord, _ state: inout AppState, _ effects: inout [Effect]) {
        guard let before = state.tree.forwards.first(where: { $0.id == record.id }),
            let list = state.tree.saved.followingMove(of: before, to: record)
        else { return }
        state.updateTree { $0.saved = list }
        effects.append(.saveForwards(list))
    }

    static func forwardStarted(_ request: ForwardRequest, _ record: ForwardRecord, _ state: inout AppState) {
        finishStart(request, &state)
        if let entry = state.tree.savedEntry(for: request), state.tree.savedFailures[entry] != nil {
            state.updateTree { $0.setSavedFailure(nil, for: request) }
        }
        state.message = MessageLine(.success, Messages.established(record.label))
        reportBatch(request, error: nil, &state)
    }

    /// A start that failed. When only its local port was the problem (busy since it was saved or checked), the
    /// dialog opens prefilled with it, where the manager's suggestion can be taken with `y` or Tab.
    static func forwardFailed(
        _ request: ForwardRequest, _ error: KubeError, _ state: inout AppState, _ effects: inout [Effect]
    ) {
        finishStart(request, &state)
        if state.tree.savedEntry(for: request) != nil {
            state.updateTree { $0.setSavedFailure(error.message, for: request) }
        }
        state.message = MessageLine(.error, error.message)
        let inBatch = state.batch?.requests.contains(request) == true
        reportBatch(request, error: error.message, &state)
        let modal = state.dialog != nil || state.confirmation != nil || state.menu != nil || state.helpVisible
        if error.kind == .portInUse, !modal, !inBatch {
            openDialog(for: request, knownCheck: error.portCheck, &state, &effects)
        }
    }

    static func forwardStopped(_ record: ForwardRecord, _ error: KubeError?, _ state: inout AppState) {
        if let error {
            state.message = MessageLine(.error, error.message)
        } else {
            state.message = MessageLine(.info, Messages.stopped(record.label))
        }
    }

    static func finishStart(_ request: ForwardRequest, _ state: inout AppState) {
        if let index = state.startingForwards.firstIndex(of: request) { state.startingForwards.remove(at: index) }
    }

    /// One answer of a batch; the last one replaces the message with the batch's outcome (`Started 2 of 3
    /// port forwards; …` with the first error). Until then each answer shows as it comes.
    static func reportBatch(_ request: ForwardRequest, error: String?, _ state: inout AppState) {
        guard var batch = state.batch, batch.requests.contains(request) else { return }
        if let error { batch.errors.append(error) } else { batch.started += 1 }
        guard batch.isComplete else {
            state.batch = batch
            return
        }
        state.batch = nil
        if batch.errors.isEmpty {
            state.message = MessageLine(.success, UIText.startedAll(batch.started))
        } else if batch.isSaved {
            // Every reason is on its saved row; the line counts them.
            state.message = MessageLine(.error, UIText.savedFailedSummary(batch.errors.count, of: batch.requests.count))
        } else {
            state.message = MessageLine(.error, UIText.startedSome(batch.started, of: batch.requests.count, firstError: batch.errors[0]))
        }
    }
}

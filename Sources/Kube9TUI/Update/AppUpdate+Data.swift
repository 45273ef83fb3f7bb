import Kube9Kit

/// Answers from kubectl and the manager.
extension AppUpdate {
    static func handleData(_ event: AppEvent, _ state: inout AppState, _ effects: inout [Effect]) {
        switch event {
        case .contextsLoaded(let result):
            switch result {
            case .success(let contexts):
                state.updateTree { $0.contexts = .loaded(contexts) }
                if let wanted = state.tree.contextOverride, !contexts.contains(where: { $0.name == wanted }) {
                    state.message = MessageLine(.error, UIText.contextNotFound(wanted))
                }
            case .failure(let error):
                state.updateTree { $0.contexts = .failed(error.message) }
            }
        case .namespacesLoaded(let context, let result):
            state.updateTree { tree in
                switch result {
                case .success(let list): tree.namespaces[context] = .loaded(list)
                case .failure(let error): tree.namespaces[context] = .failed(error.message)
                }
            }
        case .podsLoaded(let context, let namespace, let result):
            let key = NamespaceKey(context: context, namespace: namespace)
            state.updateTree { tree in
                switch result {
                case .success(let list): tree.pods[key] = .loaded(list)
                case .failure(let error): tree.pods[key] = .failed(error.message)
                }
            }
        case .servicesLoaded(let context, let namespace, let result):
            let key = NamespaceKey(context: context, namespace: namespace)
            state.updateTree { tree in
                switch result {
                case .success(let list): tree.services[key] = .loaded(list)
                case .failure(let error): tree.services[key] = .failed(error.message)
                }
            }
        case .savedForwardsLoaded(let forwards, let notice):
            state.updateTree { $0.saved = forwards }
            if let notice { state.message = MessageLine(kind(of: notice.severity), notice.text) }
        case .savedForwardsWritten(let error):
            if let error { state.message = MessageLine(.error, error.message) }
        case .healingSet(let enabled, _, let error):
            if let error {
                state.message = MessageLine(.error, error.message)
            } else {
                state.message = MessageLine(.info, enabled ? UIText.healingOn : UIText.healingOff)
                effects.append(.refreshForwards)
            }
        case .forwardEvent(let forwardEvent):
            switch forwardEvent {
            case .notice(let notice):
                state.message = MessageLine(kind(of: notice.severity), notice.text)
            case .added(let record), .updated(let record):
                var list = state.tree.forwards.filter { $0.id != record.id }
                if record.status != .stopped { list.append(record) }
                state.updateTree { $0.setForwards(list) }
                effects.append(.refreshForwards)
            case .removed(let record):
                let list = state.tree.forwards.filter { $0.id != record.id }
                state.updateTree { $0.setForwards(list) }
                effects.append(.refreshForwards)
            }
        case .forwardsRefreshed(let records):
            if records != state.tree.forwards { state.updateTree { $0.setForwards(records) } }
        case .forwardStarted(let request, let record):
            finishStart(request, &state)
            state.message = MessageLine(.success, Messages.established(localPort: record.localPort, namespace: record.namespace, pod: record.request.displayTarget, remotePort: record.remotePort))
            if !state.tree.forwards.contains(where: { $0.id == record.id }) {
                let list = state.tree.forwards + [record]
                state.updateTree { $0.setForwards(list) }
            }
            reportBatch(request, error: nil, &state)
            effects.append(.refreshForwards)
        case .forwardFailed(let request, let error):
            finishStart(request, &state)
            state.message = MessageLine(.error, error.message)
            reportBatch(request, error: error.message, &state)
            effects.append(.refreshForwards)
        case .forwardStopped(let record, let error):
            if let error {
                state.message = MessageLine(.error, error.message)
            } else {
                state.message = MessageLine(.info, Messages.stopped(localPort: record.localPort, namespace: record.namespace, pod: record.request.displayTarget, remotePort: record.remotePort))
                let list = state.tree.forwards.filter { $0.id != record.id }
                state.updateTree { $0.setForwards(list) }
            }
            effects.append(.refreshForwards)
        case .allForwardsStopped(let count):
            state.message = MessageLine(.info, UIText.stoppedAll(count))
            state.updateTree { $0.setForwards([]) }
            effects.append(.refreshForwards)
        case .portChecked(let port, let check):
            portChecked(port, check, &state, &effects)
        case .copied(let text):
            state.message = MessageLine(.info, UIText.copied(text))
        case .key, .resize, .tick:
            break
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
        } else {
            state.message = MessageLine(.error, UIText.startedSome(batch.started, of: batch.requests.count, firstError: batch.errors[0]))
        }
    }

    static func kind(of severity: Notice.Severity) -> MessageLine.Kind {
        switch severity {
        case .success: .success
        case .error: .error
        case .info: .info
        }
    }
}

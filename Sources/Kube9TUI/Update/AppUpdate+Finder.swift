import Kube9Kit

/// The jump-to-pod finder: opens on the selected row's context (else the current one), lists every pod of it in
/// one call, ranks as the person types; Enter selects the pod or service in the tree (its namespace opened).
extension AppUpdate {
    static func openFinder(_ state: inout AppState, _ effects: inout [Effect]) {
        guard let context = selectedContext(state) else {
            state.message = MessageLine(.info, UIText.finderNoContext)
            return
        }
        var services: [FinderState.Item] = []
        for (key, list) in state.tree.services where key.context == context {
            for service in list.value ?? [] {
                services.append(FinderState.Item(
                    id: .service(context: context, namespace: key.namespace, name: service.name),
                    label: "\(key.namespace)/svc/\(service.name)"))
            }
        }
        state.finder = FinderState(context: context, services: services)
        effects.append(.loadAllPods(context: context))
    }

    /// The context of the selected row (a context, or anything under one), else the current context.
    static func selectedContext(_ state: AppState) -> String? {
        if let id = state.selectedRow?.id {
            for node in [id] + id.ancestors {
                if case .context(let name) = node { return name }
            }
        }
        return state.tree.currentContextName ?? state.tree.contexts.value?.first?.name
    }

    static func handleFinderKey(_ key: Key, _ state: inout AppState, _ effects: inout [Effect]) {
        guard var finder = state.finder else { return }
        switch key {
        case .escape:
            state.finder = nil
            return
        case .enter:
            state.finder = nil
            if finder.results.indices.contains(finder.selected) {
                choose(finder.results[finder.selected].id, pods: finder.pods, &state, &effects)
            }
            return
        case .up, .control("k"):
            finder.selected = max(0, finder.selected - 1)
        case .down, .control("j"), .control("n"), .tab:
            finder.selected = min(max(0, finder.results.count - 1), finder.selected + 1)
        case .backspace:
            guard !finder.query.isEmpty else { break }
            finder.setQuery(String(finder.query.dropLast()))
        case .control("u"):
            finder.setQuery("")
        case .character(let character):
            guard finder.query.count < 128 else { break }
            finder.setQuery(finder.query + String(character))
        default:
            break
        }
        state.finder = finder
    }

    /// Selects `id` in the tree: its namespace's pods come from the finder's list when not loaded; when the
    /// context's namespaces are not loaded yet (or lack its namespace), they are asked for and the node is
    /// selected when they arrive.
    static func choose(_ id: NodeID, pods: [Pod], _ state: inout AppState, _ effects: inout [Effect]) {
        if case .pod(let context, let namespace, _) = id {
            let key = NamespaceKey(context: context, namespace: namespace)
            if state.tree.pods[key]?.value == nil {
                let list = pods.filter { $0.namespace == namespace }
                state.updateTree { $0.pods[key] = .loaded(list) }
            }
        }
        guard let context = id.ancestors.lazy.compactMap({ node -> String? in
            if case .context(let name) = node { return name }
            return nil
        }).first else { return }
        let namespace = id.ancestors.lazy.compactMap { node -> String? in
            if case .namespace(_, let name) = node { return name }
            return nil
        }.first
        // Not loaded, or loaded before this namespace existed: asked for again, the node selected on the answer.
        if state.tree.namespaces[context]?.value?.contains(where: { $0.name == namespace }) != true {
            state.pendingReveal = id
            state.updateTree { $0.namespaces[context] = .loading }
            effects.append(.loadNamespaces(context: context))
        } else {
            reveal(id, &state)
        }
    }

    static func revealPending(context: String, _ state: inout AppState) {
        guard let pending = state.pendingReveal, pending.ancestors.contains(.context(context)) else { return }
        state.pendingReveal = nil
        reveal(pending, &state)
    }
}

import Kube9Kit

/// The jump-to-pod finder: opens on the selected row's context (else the current one), lists every pod and every
/// service of it (one call each), ranks as the person types; Enter selects the pod or service in the tree (its
/// namespace opened).
extension AppUpdate {
    static func openFinder(_ state: inout AppState, _ effects: inout [Effect]) {
        guard let context = selectedContext(state) else {
            state.message = MessageLine(.info, UIText.finderNoContext)
            return
        }
        // What the tree has of the context is searched until the two lists answer (and when one is refused).
        var pods: [Pod] = []
        var services: [KubeService] = []
        for (key, list) in state.tree.pods where key.context == context { pods += list.value ?? [] }
        for (key, list) in state.tree.services where key.context == context { services += list.value ?? [] }
        state.finder = FinderState(context: context, pods: pods, services: services)
        effects += [.loadAllPods(context: context), .loadAllServices(context: context)]
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
            closeFinder(&state, &effects)
            return
        case .enter:
            closeFinder(&state, &effects)
            if finder.results.indices.contains(finder.selected) {
                choose(finder.results[finder.selected].id, from: finder, &state, &effects)
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

    /// Closes the finder; its lists that have not answered are given up (their kubectl and plugin stopped).
    static func closeFinder(_ state: inout AppState, _ effects: inout [Effect]) {
        effects += state.finder?.readsInFlight.map(Effect.cancelListRead) ?? []
        state.finder = nil
    }

    /// Selects `id` in the tree: its namespace's pods (or services) come from the finder's lists when not loaded;
    /// when the context's namespaces are not loaded yet (or lack its namespace), they are asked for and the node
    /// is selected when they arrive.
    static func choose(_ id: NodeID, from finder: FinderState, _ state: inout AppState, _ effects: inout [Effect]) {
        switch id {
        case .pod(let context, let namespace, _):
            let key = NamespaceKey(context: context, namespace: namespace)
            if state.tree.pods[key]?.value == nil {
                let list = finder.pods.filter { $0.namespace == namespace }
                state.updateTree { $0.pods[key] = .loaded(list) }
            }
        case .service(let context, let namespace, _):
            let key = NamespaceKey(context: context, namespace: namespace)
            if state.tree.services[key]?.value == nil {
                let list = finder.services.filter { $0.namespace == namespace }
                state.updateTree { $0.services[key] = .loaded(list) }
            }
            // Its namespace opens above it: the pods come from the finder's list, else are asked for.
            if state.tree.pods[key]?.value == nil {
                if finder.podsListed {
                    let list = finder.pods.filter { $0.namespace == namespace }
                    state.updateTree { $0.pods[key] = .loaded(list) }
                } else {
                    state.updateTree { $0.pods[key] = .loading }
                    effects.append(.loadPods(context: context, namespace: namespace))
                }
            }
        default:
            break
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

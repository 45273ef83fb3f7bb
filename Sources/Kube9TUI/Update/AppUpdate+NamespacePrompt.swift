import Kube9Kit

/// `o` on a context (or anything under it): a namespace opened by name, for people who may not list namespaces.
/// Enter lists it under the context, opens it and loads its pods; Esc closes the prompt.
extension AppUpdate {
    static func openNamespacePrompt(_ state: inout AppState) {
        guard let context = state.selectedRow.flatMap({ contextName(of: $0.id) }) else {
            state.message = MessageLine(.info, UIText.openNamespaceNeedsContext)
            return
        }
        state.namespacePrompt = NamespacePrompt(context: context)
    }

    static func handleNamespacePromptKey(_ key: Key, _ state: inout AppState, _ effects: inout [Effect]) {
        guard var prompt = state.namespacePrompt else { return }
        switch key {
        case .character(let character):
            guard prompt.text.count < 63, character != " " else { return }
            prompt.text.append(character)
        case .backspace:
            if !prompt.text.isEmpty { prompt.text.removeLast() }
        case .control("u"):
            prompt.text = ""
        case .escape:
            state.namespacePrompt = nil
            return
        case .enter:
            openNamespace(named: prompt.text, context: prompt.context, &state, &effects)
            return
        default:
            return
        }
        state.namespacePrompt = prompt
    }

    static func openNamespace(named name: String, context: String, _ state: inout AppState, _ effects: inout [Effect]) {
        guard NamespacePrompt.isValidName(name) else {
            state.message = MessageLine(.error, UIText.invalidNamespaceName(name))
            return
        }
        state.namespacePrompt = nil
        let id = NodeID.namespace(context: context, name: name)
        state.updateTree { tree in
            if !(tree.namedNamespaces[context] ?? []).contains(name) { tree.namedNamespaces[context, default: []].append(name) }
            tree.expanded.insert(.context(context))
            tree.expanded.insert(id)
            tree.pods[NamespaceKey(context: context, namespace: name)] = .loading
        }
        effects.append(.loadPods(context: context, namespace: name))
        state.select(id)
    }

    /// The context a node belongs to (nil for Port Forwarding and its rows).
    static func contextName(of id: NodeID) -> String? {
        if case .context(let name) = id { return name }
        return id.ancestors.lazy.compactMap { node -> String? in
            if case .context(let name) = node { return name }
            return nil
        }.first
    }
}

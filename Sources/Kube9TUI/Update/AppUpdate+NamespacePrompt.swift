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
        prompt.problem = nil
        switch key {
        case .character(let character):
            // Names are lowercase: a capital is taken as its lowercase letter; anything else a name cannot hold is
            // refused at once, saying why.
            let lower = Character(character.lowercased())
            guard lower.isASCII, lower.isLetter || lower.isNumber || lower == "-" else {
                prompt.problem = UIText.namespaceCharacters
                break
            }
            guard prompt.text.count < 63 else {
                prompt.problem = UIText.namespaceTooLong
                break
            }
            prompt.text.append(lower)
        case .backspace:
            if !prompt.text.isEmpty { prompt.text.removeLast() }
        case .control("u"):
            prompt.text = ""
        case .escape:
            state.namespacePrompt = nil
            return
        case .enter:
            guard NamespacePrompt.isValidName(prompt.text) else {
                prompt.problem = UIText.invalidNamespaceName(prompt.text)
                break
            }
            openNamespace(named: prompt.text, context: prompt.context, &state, &effects)
            return
        default:
            return
        }
        state.namespacePrompt = prompt
    }

    /// Opens `name` (a valid name: the prompt checks it first).
    static func openNamespace(named name: String, context: String, _ state: inout AppState, _ effects: inout [Effect]) {
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

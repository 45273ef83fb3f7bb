/// The `/` prompt and n/N: find loaded nodes whose label contains the text, reveal and select them.
extension AppUpdate {
    static func handleFilterKey(_ key: Key, _ state: inout AppState, _ effects: inout [Effect]) {
        switch key {
        case .character(let character):
            if state.filter.query.count < 256 { state.filter.query.append(character) }
        case .backspace:
            if state.filter.query.isEmpty { state.filter.isEditing = false } else { state.filter.query.removeLast() }
        case .control("u"):
            state.filter.query = ""
        case .escape:
            state.filter = FilterState()
        case .enter:
            applyFilter(&state)
        default:
            break
        }
    }

    static func applyFilter(_ state: inout AppState) {
        state.filter.isEditing = false
        let query = state.filter.query
        guard !query.isEmpty else {
            state.filter = FilterState()
            return
        }
        let needle = query.lowercased()
        let matches = state.tree.searchableNodes().filter { $0.label.lowercased().contains(needle) }.map(\.id)
        state.filter.matches = matches
        guard !matches.isEmpty else {
            state.filter.currentMatch = nil
            state.message = MessageLine(.info, UIText.noMatch(query))
            return
        }
        state.filter.currentMatch = 0
        reveal(matches[0], &state)
        state.message = MessageLine(.info, UIText.matchPosition(1, matches.count, query))
    }

    static func stepMatch(by step: Int, _ state: inout AppState) {
        let matches = state.filter.matches
        guard state.filter.isActive else { return }
        guard !matches.isEmpty else {
            state.message = MessageLine(.info, UIText.noMatch(state.filter.query))
            return
        }
        let current = state.filter.currentMatch ?? -1
        let index = ((current + step) % matches.count + matches.count) % matches.count
        state.filter.currentMatch = index
        reveal(matches[index], &state)
        state.message = MessageLine(.info, UIText.matchPosition(index + 1, matches.count, state.filter.query))
    }

    /// Expands the ancestors of `id` (they are loaded: the node was found in loaded data) and selects it.
    static func reveal(_ id: NodeID, _ state: inout AppState) {
        let ancestors = id.ancestors
        if ancestors.contains(where: { !state.tree.expanded.contains($0) }) {
            state.updateTree { tree in
                for ancestor in ancestors { tree.expanded.insert(ancestor) }
            }
        }
        state.select(id)
    }
}

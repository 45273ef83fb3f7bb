/// The `/` filter: while typing, only matching rows and their ancestors stay (the first match selected); Enter
/// keeps the filter and closes the prompt; Esc clears it (the selected node stays selected, its ancestors opened).
/// n/N step through the matches.
extension AppUpdate {
    static func handleFilterKey(_ key: Key, _ state: inout AppState, _ effects: inout [Effect]) {
        var filter = state.filter
        switch key {
        case .character(let character):
            guard filter.query.count < 256 else { return }
            filter.query.append(character)
        case .backspace:
            if filter.query.isEmpty {
                filter.isEditing = false
            } else {
                filter.query.removeLast()
            }
        case .control("u"):
            filter.query = ""
        case .escape:
            clearFilter(&state)
            return
        case .enter:
            keepFilter(&state)
            return
        default:
            return
        }
        filter.currentMatch = nil
        state.setFilter(filter)
        if let first = state.filter.matches.first {
            state.setCurrentMatch(0)
            state.select(first)
        }
    }

    static func openFilter(_ state: inout AppState) {
        var filter = FilterState()
        filter.isEditing = true
        state.setFilter(filter)
    }

    /// Enter: the prompt closes, the filtered rows stay, and the message says how many matched.
    static func keepFilter(_ state: inout AppState) {
        var filter = state.filter
        filter.isEditing = false
        guard filter.isActive else {
            state.setFilter(FilterState())
            return
        }
        state.setFilter(filter)
        guard !filter.matches.isEmpty else {
            state.message = MessageLine(.info, UIText.noMatch(filter.query))
            return
        }
        let index = filter.currentMatch ?? 0
        state.setCurrentMatch(index)
        state.select(filter.matches[index])
        state.message = MessageLine(.info, UIText.matchPosition(index + 1, filter.matches.count, filter.query))
    }

    /// Esc: the whole tree again, with the selected node still selected (its ancestors opened).
    static func clearFilter(_ state: inout AppState) {
        let selected = state.selectedRow?.id
        state.setFilter(FilterState())
        if let selected { reveal(selected, &state) }
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
        state.setCurrentMatch(index)
        state.select(matches[index])
        state.message = MessageLine(.info, UIText.matchPosition(index + 1, matches.count, state.filter.query))
    }

    /// Expands the ancestors of `id` (when they are not) and selects it.
    static func reveal(_ id: NodeID, _ state: inout AppState) {
        let ancestors = id.ancestors.filter { $0 != .contextList }
        if ancestors.contains(where: { !state.tree.expanded.contains($0) }) {
            state.updateTree { tree in
                for ancestor in ancestors { tree.expanded.insert(ancestor) }
            }
        }
        state.select(id)
    }
}

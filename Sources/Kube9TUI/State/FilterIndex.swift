/// What `/` searches, built once per tree change rather than once per key: every loaded row with everything open
/// (laid out once), each label's lowercase bytes, and the rows the last query matched, so a query that grows only
/// looks at those.
struct FilterIndex: Sendable {
    /// Every loaded row in tree order, whatever is expanded.
    private let all: [TreeRow]
    /// The lowercase UTF-8 of each row's label (nil for status rows).
    private let keys: [[UInt8]?]
    private let positions: [NodeID: Int]
    /// The last query (lowercased) and the positions of the rows that matched it.
    private var lastQuery: [UInt8] = []
    private var lastMatches: [Int]?

    init(_ tree: ClusterTree) {
        var open = tree
        open.expanded.insert(.forwardsCategory)
        for context in tree.contexts.value ?? [] {
            open.expanded.insert(.context(context.name))
            for namespace in tree.listedNamespaces(context)?.value ?? [] {
                open.expanded.insert(.namespace(context: context.name, name: namespace.name))
                if tree.services[NamespaceKey(context: context.name, namespace: namespace.name)]?.value != nil {
                    open.expanded.insert(.services(context: context.name, namespace: namespace.name))
                }
            }
        }
        all = open.visibleRows()
        keys = all.map { row in row.content.filterLabel.map { Array($0.lowercased().utf8) } }
        var positions: [NodeID: Int] = [:]
        positions.reserveCapacity(all.count)
        for (index, row) in all.enumerated() where positions[row.id] == nil { positions[row.id] = index }
        self.positions = positions
    }

    /// The rows whose label contains `query` (case-insensitive) with their ancestors, in tree order, and the
    /// matching rows' ids. When `query` contains the previous query, only the previous matches are looked at.
    mutating func search(_ query: String) -> (rows: [TreeRow], matches: [NodeID]) {
        let needle = Array(query.lowercased().utf8)
        let candidates: [Int]
        if let lastMatches, Self.contains(needle, lastQuery) {
            candidates = lastMatches
        } else {
            candidates = Array(all.indices)
        }
        let found = candidates.filter { index in keys[index].map { Self.contains($0, needle) } ?? false }
        lastQuery = needle
        lastMatches = found
        guard !found.isEmpty else {
            return ([TreeRow(id: .status(parent: .contextList), depth: 0, content: .empty(UIText.noMatch(query)))], [])
        }
        // Tree order is pre-order: an ancestor not yet shown comes after every row shown so far.
        var rows: [TreeRow] = []
        var shown = [Bool](repeating: false, count: all.count)
        for index in found where !shown[index] {
            // Most matches share their parent with the match before: its ancestors are already shown.
            if let parent = all[index].id.parent, let position = positions[parent], !shown[position] {
                for ancestor in all[index].id.ancestors.reversed() {
                    guard let position = positions[ancestor], !shown[position] else { continue }
                    shown[position] = true
                    rows.append(all[position])
                }
            }
            shown[index] = true
            rows.append(all[index])
        }
        return (rows, found.map { all[$0].id })
    }

    /// Whether `haystack` holds `needle` as a run of bytes.
    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        let first = needle[0]
        var start = 0
        let last = haystack.count - needle.count
        while start <= last {
            if haystack[start] == first {
                var offset = 1
                while offset < needle.count && haystack[start + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            start += 1
        }
        return false
    }
}

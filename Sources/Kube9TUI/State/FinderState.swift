import Kube9Kit

/// The jump-to-pod finder (`:` or Ctrl-P): every pod of a context (one list call) and its loaded services,
/// matched fuzzily and ranked as the person types.
public struct FinderState: Sendable, Equatable {
    /// One thing the finder can jump to.
    public struct Item: Sendable, Equatable {
        public var id: NodeID
        /// `namespace/name` (services: `namespace/svc/name`): what is matched and shown.
        public var label: String
    }

    public var context: String
    public var query: String = ""
    public var items: LoadState<[Item]> = .loading
    /// The pods of the list call, kept to fill the tree when one is chosen.
    public var pods: [Pod] = []
    /// The ranked matches of `query` (best first), and the highlighted one.
    public private(set) var results: [Item] = []
    public var selected = 0

    public init(context: String, services: [Item] = []) {
        self.context = context
        self.servicesKnown = services
    }

    /// Loaded services (searched along with the pods).
    public var servicesKnown: [Item]

    public mutating func setPods(_ result: Result<[Pod], KubeError>) {
        switch result {
        case .success(let list):
            pods = list
            let podItems = list.map { Item(id: .pod(context: context, namespace: $0.namespace, name: $0.name), label: "\($0.namespace)/\($0.name)") }
            items = .loaded(podItems + servicesKnown)
        case .failure(let error):
            items = .failed(error.message)
        }
        rank()
    }

    public mutating func setQuery(_ text: String) {
        query = text
        rank()
    }

    /// Ranks every item by ``FuzzyMatch/score(_:in:)`` (higher first, then shorter, then by label).
    mutating func rank() {
        selected = 0
        guard let all = items.value else {
            results = []
            return
        }
        guard !query.isEmpty else {
            results = Array(all.sorted { $0.label < $1.label }.prefix(200))
            return
        }
        let needle = Array(query.lowercased().unicodeScalars)
        var scored: [(Int, Item)] = []
        for item in all {
            if let score = FuzzyMatch.score(needle, in: item.label) { scored.append((score, item)) }
        }
        scored.sort { a, b in
            if a.0 != b.0 { return a.0 > b.0 }
            if a.1.label.count != b.1.label.count { return a.1.label.count < b.1.label.count }
            return a.1.label < b.1.label
        }
        results = scored.prefix(200).map(\.1)
    }
}

/// Subsequence matching with bonuses for runs, word starts and the name's start (after the last `/`).
public enum FuzzyMatch {
    public static func score(_ needle: [Unicode.Scalar], in text: String) -> Int? {
        let haystack = Array(text.lowercased().unicodeScalars)
        let nameStart = (haystack.lastIndex(of: "/") ?? -1) + 1
        var score = 0
        var position = 0
        var previous = -2
        for scalar in needle {
            while position < haystack.count, haystack[position] != scalar { position += 1 }
            guard position < haystack.count else { return nil }
            score += 1
            if position == previous + 1 { score += 5 }
            if position == nameStart { score += 10 }
            if position > 0, "/-._".unicodeScalars.contains(haystack[position - 1]) { score += 3 }
            if position >= nameStart { score += 2 }
            previous = position
            position += 1
        }
        return score
    }
}

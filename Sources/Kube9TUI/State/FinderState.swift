import Kube9Kit

/// The jump-to-pod finder (`:` or Ctrl-P): every pod and every service of a context (one list call each, all
/// namespaces, loaded in the tree or not), matched fuzzily and ranked as the person types.
public struct FinderState: Sendable, Equatable {
    /// One thing the finder can jump to.
    public struct Item: Sendable, Equatable {
        public var id: NodeID
        /// `namespace/name` (services: `namespace/svc/name`): what is matched and shown.
        public var label: String
        /// The label lowercased, as matched: made once per list, not once per key.
        let key: [Unicode.Scalar]

        public init(id: NodeID, label: String) {
            self.id = id
            self.label = label
            self.key = Array(label.lowercased().unicodeScalars)
        }
    }

    public var context: String
    public var query: String = ""
    /// What is searched: `.loading` until the first list answers, then every pod and service (a list that failed
    /// or has not answered yet stands in with what the tree has loaded); `.failed` when both lists failed and the
    /// tree has nothing of the context.
    public private(set) var items: LoadState<[Item]> = .loading
    /// The pods and services searched, kept to fill the tree when one is chosen.
    public private(set) var pods: [Pod]
    public private(set) var services: [KubeService]
    /// Why a list could not be read (shown under the matches), nil when both answered.
    public private(set) var problem: String?
    /// The ranked matches of `query` (best first), and the highlighted one.
    public private(set) var results: [Item] = []
    public var selected = 0

    /// How each list call answered.
    private enum Answer: Sendable, Equatable {
        case waiting
        case listed
        case failed(String)

        init<Value>(_ result: Result<Value, KubeError>) {
            switch result {
            case .success: self = .listed
            case .failure(let error): self = .failed(error.message)
            }
        }

        var failure: String? {
            if case .failed(let message) = self { return message }
            return nil
        }
    }

    private var podsAnswer = Answer.waiting
    private var servicesAnswer = Answer.waiting

    /// True once the pod list answered: ``pods`` is then every pod of the context.
    public var podsListed: Bool { podsAnswer == .listed }

    /// The finder's list reads that have not answered: given up when it closes (one waiting for a credential
    /// plugin's login would otherwise keep its kubectl and the plugin until the login wait ends).
    public var readsInFlight: [ListRead] {
        (podsAnswer == .waiting ? [.allPods(context: context)] : [])
            + (servicesAnswer == .waiting ? [.allServices(context: context)] : [])
    }
    private var podItems: [Item] = []
    private var serviceItems: [Item] = []

    /// `pods` and `services`: what the tree has loaded of the context, searched until the lists answer.
    public init(context: String, pods: [Pod] = [], services: [KubeService] = []) {
        self.context = context
        self.pods = pods
        self.services = services
        podItems = Self.items(pods, context: context)
        serviceItems = Self.items(services, context: context)
    }

    /// The answer of `kubectl get --raw /api/v1/pods`.
    public mutating func setPods(_ result: Result<[Pod], KubeError>) {
        take(result, answer: \.podsAnswer, list: \.pods, items: \.podItems) { Self.items($0, context: $1) }
    }

    /// The answer of `kubectl get --raw /api/v1/services`.
    public mutating func setServices(_ result: Result<[KubeService], KubeError>) {
        take(result, answer: \.servicesAnswer, list: \.services, items: \.serviceItems) { Self.items($0, context: $1) }
    }

    /// Records how a list call answered; a list replaces what the tree had (its items made once, here).
    private mutating func take<Value>(
        _ result: Result<[Value], KubeError>, answer: WritableKeyPath<FinderState, Answer>,
        list: WritableKeyPath<FinderState, [Value]>, items: WritableKeyPath<FinderState, [Item]>,
        _ makeItems: ([Value], String) -> [Item]
    ) {
        self[keyPath: answer] = Answer(result)
        if case .success(let values) = result {
            self[keyPath: list] = values
            self[keyPath: items] = makeItems(values, context)
        }
        update()
    }

    public mutating func setQuery(_ text: String) {
        query = text
        rank()
    }

    private mutating func update() {
        let failures = [podsAnswer.failure, servicesAnswer.failure].compactMap { $0 }
        problem = failures.first
        if podsAnswer == .waiting && servicesAnswer == .waiting {
            items = .loading
        } else if failures.count == 2 && podItems.isEmpty && serviceItems.isEmpty {
            items = .failed(failures[0])
        } else {
            // In label order once per list, so that ranking each key compares numbers only (a stable sort keeps it).
            items = .loaded((podItems + serviceItems).sorted { $0.label < $1.label })
        }
        rank()
    }

    static func items(_ pods: [Pod], context: String) -> [Item] {
        pods.map {
            Item(
                id: .pod(context: context, namespace: $0.namespace, name: $0.name),
                label: ForwardTarget(context: context, namespace: $0.namespace, name: $0.name).label)
        }
    }

    static func items(_ services: [KubeService], context: String) -> [Item] {
        services.map {
            Item(
                id: .service(context: context, namespace: $0.namespace, name: $0.name),
                label: ForwardTarget(context: context, namespace: $0.namespace, kind: .service, name: $0.name).label)
        }
    }

    /// Ranks every item by ``FuzzyMatch/score(_:in:)`` (higher first, then shorter, then by label).
    mutating func rank() {
        selected = 0
        guard let all = items.value else {
            results = []
            return
        }
        guard !query.isEmpty else {
            results = Array(all.prefix(200))
            return
        }
        let needle = Array(query.lowercased().unicodeScalars)
        // Scores, lengths and positions only: sorting compares numbers (equal ones stay in label order).
        var scored: [(score: Int, length: Int, index: Int)] = []
        for (index, item) in all.enumerated() {
            if let score = FuzzyMatch.score(needle, inLowercased: item.key) { scored.append((score, item.key.count, index)) }
        }
        scored.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.length != b.length { return a.length < b.length }
            return a.index < b.index
        }
        results = scored.prefix(200).map { all[$0.index] }
    }
}

/// Subsequence matching with bonuses for runs, word starts and the name's start (after the last `/`). The best of a
/// few alignments counts: the first match from the left, the first within the name alone, and the first place the
/// query appears whole (in the name, else anywhere), so `api` ranks `shop/svc/api` above `shop/pending-pod`, whose
/// namespace holds the `a`.
public enum FuzzyMatch {
    public static func score(_ needle: [Unicode.Scalar], in text: String) -> Int? {
        score(needle, inLowercased: Array(text.lowercased().unicodeScalars))
    }

    public static func score(_ needle: [Unicode.Scalar], inLowercased haystack: [Unicode.Scalar]) -> Int? {
        needle.withUnsafeBufferPointer { needle in
            haystack.withUnsafeBufferPointer { haystack in score(needle, haystack) }
        }
    }

    private static func score(_ needle: UnsafeBufferPointer<Unicode.Scalar>, _ haystack: UnsafeBufferPointer<Unicode.Scalar>) -> Int? {
        var nameStart = 0
        for index in haystack.indices where haystack[index] == "/" { nameStart = index + 1 }
        guard let first = greedy(needle, haystack, from: 0, nameStart: nameStart) else { return nil }
        var best = first
        if nameStart > 0, let inName = greedy(needle, haystack, from: nameStart, nameStart: nameStart) { best = max(best, inName) }
        if let whole = wholeMatch(needle, haystack, from: nameStart) ?? (nameStart > 0 ? wholeMatch(needle, haystack, from: 0) : nil) {
            best = max(best, aligned(needle.count, at: whole, haystack, nameStart: nameStart))
        }
        return best
    }

    /// Each query character at the first place it appears after the previous one, from `start`.
    private static func greedy(
        _ needle: UnsafeBufferPointer<Unicode.Scalar>, _ haystack: UnsafeBufferPointer<Unicode.Scalar>, from start: Int,
        nameStart: Int
    ) -> Int? {
        var score = 0
        var position = start
        var previous = -2
        for scalar in needle {
            while position < haystack.count, haystack[position] != scalar { position += 1 }
            guard position < haystack.count else { return nil }
            score += characterScore(at: position, previous: previous, haystack, nameStart: nameStart)
            previous = position
            position += 1
        }
        return score
    }

    /// Where the whole query first appears from `start`, if it does.
    private static func wholeMatch(
        _ needle: UnsafeBufferPointer<Unicode.Scalar>, _ haystack: UnsafeBufferPointer<Unicode.Scalar>, from start: Int
    ) -> Int? {
        guard needle.count > 0, haystack.count - start >= needle.count else { return nil }
        outer: for candidate in start...(haystack.count - needle.count) {
            for offset in 0..<needle.count where haystack[candidate + offset] != needle[offset] { continue outer }
            return candidate
        }
        return nil
    }

    /// The score of the query matched as one run at `start`, with a bonus for being whole (3 per character): typing
    /// `web`, one wants `my-weird-web` before `wide-eye-bob`.
    private static func aligned(
        _ count: Int, at start: Int, _ haystack: UnsafeBufferPointer<Unicode.Scalar>, nameStart: Int
    ) -> Int {
        var score = 3 * count
        for position in start..<(start + count) {
            score += characterScore(at: position, previous: position == start ? -2 : position - 1, haystack, nameStart: nameStart)
        }
        return score
    }

    private static func characterScore(
        at position: Int, previous: Int, _ haystack: UnsafeBufferPointer<Unicode.Scalar>, nameStart: Int
    ) -> Int {
        var score = 1
        if position == previous + 1 { score += 5 }
        if position == nameStart { score += 10 }
        if position > 0 {
            switch haystack[position - 1] {
            case "/", "-", ".", "_": score += 3
            default: break
            }
        }
        if position >= nameStart { score += 2 }
        return score
    }
}

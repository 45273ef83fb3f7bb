/// The `/` filter: the text typed, whether the prompt is open, the matching nodes (in tree order) and which one
/// n/N last selected.
public struct FilterState: Sendable, Equatable {
    public var query: String = ""
    public var isEditing: Bool = false
    public var matches: [NodeID] = []
    public var currentMatch: Int?

    public init() {}

    public var isActive: Bool { !query.isEmpty }
}

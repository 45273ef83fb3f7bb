/// The `/` search: the text typed, whether the prompt is open, and the matches of the last Enter.
public struct FilterState: Sendable, Equatable {
    public var query: String = ""
    public var isEditing: Bool = false
    public var matches: [NodeID] = []
    public var currentMatch: Int?

    public init() {}

    public var isActive: Bool { !query.isEmpty }
}

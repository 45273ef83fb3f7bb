/// A list read's credential plugin asks the person to log in: its context and the line it printed.
public struct ListLoginPrompt: Sendable, Equatable {
    public var context: String
    public var line: String

    public init(context: String, line: String) {
        self.context = context
        self.line = line
    }
}

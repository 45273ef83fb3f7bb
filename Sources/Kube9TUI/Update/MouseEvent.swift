/// What the mouse did, and where (0-based screen cell).
public struct MouseEvent: Sendable, Equatable, Hashable {
    public enum Action: Sendable, Equatable, Hashable {
        case click
        case doubleClick
        case rightClick
        case wheelUp
        case wheelDown
    }

    public var action: Action
    public var x: Int
    public var y: Int

    public init(_ action: Action, x: Int, y: Int) {
        self.action = action
        self.x = x
        self.y = y
    }
}

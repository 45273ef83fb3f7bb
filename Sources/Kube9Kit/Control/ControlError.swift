/// A control socket or its directory could not be used; `message` is what the person reads.
public struct ControlError: Error, Sendable, Equatable {
    public var message: String

    public init(_ message: String) { self.message = message }
}

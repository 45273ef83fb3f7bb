import Kube9Kit

/// The notification above the status line: the manager's messages verbatim, the UI's progress texts.
public struct MessageLine: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case success
        case error
        case info
        /// Shown with a spinner (`Starting port forward for web-0...`).
        case progress
    }

    public var text: String
    public var kind: Kind

    /// How long success and info messages stay (errors stay until the next key; progress until its answer).
    public static let lifetime: Double = 5

    /// True for the kinds that go by themselves after ``lifetime``.
    public var expires: Bool { kind == .success || kind == .info }

    public init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }

    /// The manager's notice, in its severity.
    public init(_ notice: Notice) {
        let kind: Kind
        switch notice.severity {
        case .success: kind = .success
        case .error, .warning: kind = .error
        case .info: kind = .info
        }
        self.init(kind, notice.text)
    }
}

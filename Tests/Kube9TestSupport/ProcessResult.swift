/// What a finished process left behind.
public struct ProcessResult: Sendable, CustomStringConvertible {
    /// The exit status, or 128 + the signal number when a signal ended it.
    public let status: Int32
    public let stdout: String
    public let stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    public var description: String {
        "status \(status)\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)"
    }
}

/// A failure of the test support itself: a deadline passed, a process could not start, a socket failed.
public struct TestSupportError: Error, Sendable, CustomStringConvertible {
    public let description: String
    /// A socket's peer had closed it (a reset, or a send after its end) before anything was received.
    public let closedByPeer: Bool

    public init(_ description: String, closedByPeer: Bool = false) {
        self.description = description
        self.closedByPeer = closedByPeer
    }
}

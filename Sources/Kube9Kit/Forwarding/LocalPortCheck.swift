/// The answer to "can kubectl listen on this local port?".
public enum LocalPortCheck: Sendable, Equatable, Hashable {
    case available
    /// Busy on 127.0.0.1 or ::1; `suggestion` is the next free port upward.
    case inUse(suggestion: Int?)
    /// Below 1024 without privileges; `suggestion` is a free port >= 1024.
    case privileged(suggestion: Int?)
    /// Not a port number at all (0, 65536, text…): `message` says why.
    case invalid(message: String)

    /// The free port offered instead of a busy or privileged one.
    public var suggestion: Int? {
        switch self {
        case .inUse(let suggestion), .privileged(let suggestion): suggestion
        case .available, .invalid: nil
        }
    }
}

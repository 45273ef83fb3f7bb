/// Why a port field's text is not a port.
public enum PortTextError: Error, Sendable, Equatable {
    case empty
    case notANumber
    case leadingZero
    case tooLong
    case outOfRange

    public var message: String {
        switch self {
        case .empty: UIText.enterPort
        case .notANumber: UIText.portNotANumber
        case .leadingZero: UIText.portLeadingZero
        case .tooLong: UIText.portTooLong
        case .outOfRange: UIText.portOutOfRange
        }
    }
}

/// Turns a port field's text into a port number. The one place the dialog parses digits, so it can switch to
/// Kube9Kit's port-text parser when that lands.
public enum PortText {
    /// The most characters a port field keeps (enough to show "too long" instead of silently cutting a paste).
    public static let maximumLength = 6

    public static func parse(_ text: String) -> Result<Int, PortTextError> {
        if text.isEmpty { return .failure(.empty) }
        guard text.unicodeScalars.allSatisfy({ $0.value >= 0x30 && $0.value <= 0x39 }) else { return .failure(.notANumber) }
        if text.count > 5 { return .failure(.tooLong) }
        if text.count > 1, text.hasPrefix("0") { return .failure(.leadingZero) }
        guard let value = Int(text), (1...65535).contains(value) else { return .failure(.outOfRange) }
        return .success(value)
    }

    /// True for the characters a port field accepts as typing (ASCII digits only).
    public static func isDigit(_ character: Character) -> Bool {
        guard character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first else { return false }
        return scalar.value >= 0x30 && scalar.value <= 0x39
    }
}

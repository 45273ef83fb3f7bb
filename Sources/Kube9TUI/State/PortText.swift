import Kube9Kit

/// The dialog's port fields over Kube9Kit's `PortSpec` parser (its messages are shown verbatim).
public enum PortText {
    /// The most characters a port field keeps (one more than a port has, so a paste shows "too large").
    public static let maximumLength = 6

    public static func parse(_ text: String) -> Result<Int, PortInputError> {
        do { return .success(try PortSpec.parse(text)) } catch { return .failure(error) }
    }

    /// True for the characters a port field accepts as typing (ASCII digits only).
    public static func isDigit(_ character: Character) -> Bool {
        guard character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first else { return false }
        return scalar.value >= 0x30 && scalar.value <= 0x39
    }
}

/// Why a typed port was refused; `message` is what the person reads.
public enum PortInputError: Error, Sendable, Equatable, Hashable {
    case empty
    case notANumber
    case zero
    case negative
    case tooLarge
    case leadingZero

    public var message: String {
        switch self {
        case .empty: Messages.portEmpty
        case .notANumber: Messages.portNotNumber
        case .zero: Messages.portZero
        case .negative: Messages.portNegative
        case .tooLarge: Messages.portTooLarge
        case .leadingZero: Messages.portLeadingZero
        }
    }
}

/// Pure parsing of port numbers typed by a person: `8080`, and `[LOCAL:]REMOTE` mappings.
/// Only ASCII digits count; surrounding spaces are ignored; leading zeros are refused (`080` is
/// more likely a typo than port 80); anything over five digits is too large without being read.
public enum PortSpec {
    public static let validRange = 1...65535

    /// A port from 1 to 65535, or why not.
    public static func parse(_ text: String) throws(PortInputError) -> Int {
        let trimmed = text.utf8.trimmingASCIISpaces()
        guard !trimmed.isEmpty else { throw .empty }
        var digits = trimmed[...]
        var negative = false
        if digits.first == UInt8(ascii: "-") {
            negative = true
            digits = digits.dropFirst()
            guard !digits.isEmpty else { throw .notANumber }
        }
        guard digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { throw .notANumber }
        if negative {
            if digits.allSatisfy({ $0 == UInt8(ascii: "0") }) { throw .zero }
            throw .negative
        }
        if digits.allSatisfy({ $0 == UInt8(ascii: "0") }) { throw .zero }
        if digits.first == UInt8(ascii: "0") { throw .leadingZero }
        guard digits.count <= 5 else { throw .tooLarge }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard validRange.contains(value) else { throw .tooLarge }
        return value
    }

    /// `text`, a mapping with a named remote port (`8443:https`, `:http`, `metrics`), with `port` in place of the
    /// name, as kubectl does: the local port of a bare name is the number (`metrics` → `9090`).
    public static func numbered(_ text: String, port: Int) -> String {
        guard let name = remoteName(of: text) else { return text }
        return text.contains(":") ? String(text.dropLast(name.count)) + "\(port)" : "\(port)"
    }

    /// The remote part of a mapping when it names a port (`8443:https` → `https`): any text with a letter, as
    /// kubectl looks up whatever is not a number (container port names and service port names differ in form).
    public static func remoteName(of text: String) -> String? {
        let remote = text.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        return remote.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) ? remote : nil
    }

    /// The local port of `:REMOTE` and `0:REMOTE`: any free one (kubectl's random local port).
    public static let anyLocalPort = 0

    /// `REMOTE`, `LOCAL:REMOTE`, or `:REMOTE` and `0:REMOTE` for any free local port (kubectl's syntax). `local` is
    /// nil when only the remote port is given, ``anyLocalPort`` for any.
    public static func parseMapping(_ text: String) throws(PortInputError) -> (local: Int?, remote: Int) {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            return (nil, try parse(String(parts[0])))
        case 2:
            let localText = String(decoding: String(parts[0]).utf8.trimmingASCIISpaces(), as: UTF8.self)
            let local = localText.isEmpty || localText == "0" ? anyLocalPort : try parse(localText)
            return (local, try parse(String(parts[1])))
        default:
            throw .notANumber
        }
    }
}

extension String.UTF8View {
    fileprivate func trimmingASCIISpaces() -> [UInt8] {
        let bytes = Array(self)
        guard let start = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
            let end = bytes.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })
        else { return [] }
        return Array(bytes[start...end])
    }
}

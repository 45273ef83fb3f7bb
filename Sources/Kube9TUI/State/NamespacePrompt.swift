/// `o`: the one-line input where a namespace of `context` is opened by name (for people who may not list
/// namespaces, or a namespace not listed yet).
public struct NamespacePrompt: Sendable, Equatable {
    public var context: String
    public var text: String = ""
    /// Why the last key or Enter was refused, shown in place of the hint until the next key.
    public var problem: String?

    public init(context: String, text: String = "") {
        self.context = context
        self.text = text
    }

    /// A namespace name as Kubernetes accepts it: an RFC 1123 label (lowercase letters, digits and `-`, at most
    /// 63 characters, starting and ending with a letter or digit).
    public static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...63).contains(bytes.count) else { return false }
        func alphanumeric(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        guard alphanumeric(bytes[0]), alphanumeric(bytes[bytes.count - 1]) else { return false }
        return bytes.allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: "-") }
    }
}

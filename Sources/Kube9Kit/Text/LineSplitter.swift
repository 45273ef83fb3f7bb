/// Turns chunks of bytes into complete lines (without the `\n`, a trailing `\r` dropped). Partial lines wait
/// for the next chunk; `finish()` returns what is left.
struct LineSplitter: Sendable {
    private var pending: [UInt8] = []
    /// A line longer than this is cut, so a process that never prints a newline cannot grow memory forever.
    let maxLineLength: Int

    init(maxLineLength: Int = 64 * 1024) {
        self.maxLineLength = maxLineLength
    }

    mutating func append(_ bytes: some Sequence<UInt8>) -> [String] {
        var lines: [String] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                lines.append(Self.decode(pending))
                pending.removeAll(keepingCapacity: true)
            } else if pending.count < maxLineLength {
                pending.append(byte)
            }
        }
        return lines
    }

    mutating func finish() -> String? {
        defer { pending.removeAll() }
        return pending.isEmpty ? nil : Self.decode(pending)
    }

    private static func decode(_ bytes: [UInt8]) -> String {
        var slice = bytes[...]
        if slice.last == UInt8(ascii: "\r") { slice = slice.dropLast() }
        return String(decoding: slice, as: UTF8.self)
    }
}

/// Splits a stream of concatenated JSON objects (what `kubectl get --watch -o json` prints: pretty-printed
/// objects one after another) into one byte array per top-level object, incrementally. Braces inside strings,
/// and escaped quotes inside strings, do not count. Bytes between objects (newlines) are skipped.
public struct JSONObjectStreamSplitter: Sendable {
    private var current: [UInt8] = []
    private var depth = 0
    private var inString = false
    private var escaped = false
    /// An object larger than this is dropped (and the splitter resynchronises at the next top-level `{`).
    public let maxObjectSize: Int

    public init(maxObjectSize: Int = 64 * 1024 * 1024) {
        self.maxObjectSize = maxObjectSize
    }

    /// Feeds bytes; returns every object completed by them.
    public mutating func append(_ bytes: some Sequence<UInt8>) -> [[UInt8]] {
        var objects: [[UInt8]] = []
        for byte in bytes {
            if depth == 0 {
                // Between objects: wait for the next `{`.
                guard byte == UInt8(ascii: "{") else { continue }
                depth = 1
                inString = false
                escaped = false
                current = [byte]
                continue
            }
            current.append(byte)
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 {
                    objects.append(current)
                    current = []
                }
            }
            if current.count > maxObjectSize {
                current = []
                depth = 0
            }
        }
        return objects
    }

    /// True while a partial object is buffered.
    public var hasPartialObject: Bool { depth > 0 }
}

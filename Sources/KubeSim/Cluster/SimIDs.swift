import Foundation

/// Identifiers that look like a real cluster's: uids, name suffixes, hex digests.
enum SimIDs {
    static func uid() -> String { UUID().uuidString.lowercased() }

    /// A ReplicaSet-style name suffix: 5 characters of consonants and digits.
    static func nameSuffix() -> String { safeCharacters(5) }

    /// A `pod-template-hash` (a ReplicaSet's name suffix and its pods' label): 10 of the same characters.
    static func templateHash() -> String { safeCharacters(10) }

    /// The characters Kubernetes' generated names are made of (no vowels, no 0, 1 or 3: no words).
    private static func safeCharacters(_ count: Int) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<count).map { _ in alphabet.randomElement()! })
    }

    /// `text` as a DNS label, as a node name must be: lowercase letters, digits and `-`, other characters as `-`,
    /// at most 49 characters (room for `-control-plane` within a label's 63), never empty.
    static func dnsLabel(_ text: String) -> String {
        let mapped = text.lowercased().unicodeScalars.map { scalar -> Character in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) ? Character(scalar) : "-"
        }
        let trimmed = String(mapped.prefix(49)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return trimmed.isEmpty ? "node" : trimmed
    }

    /// A deterministic hex string (FNV-1a based) of the given length.
    static func hex(seed: String, length: Int) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var out = ""
        var round: UInt64 = 0
        while out.count < length {
            for byte in seed.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            hash ^= round
            hash = hash &* 0x100_0000_01b3
            out += String(hash, radix: 16).leftPadded(to: 16)
            round += 1
        }
        return String(out.prefix(length))
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

import Foundation
import Glibc

/// kubectl's `--address`: `localhost` or IP literals, comma-separated.
public enum ForwardAddress {
    /// Nil when kubectl can listen on `address`; else a sentence saying what is wrong.
    public static func problem(_ address: String) -> String? {
        let parts = parts(of: address)
        guard !parts.isEmpty, !address.isEmpty else { return Messages.addressEmpty }
        for part in parts {
            if part == "localhost" { continue }
            if part.isEmpty || !isIPLiteral(part) { return Messages.addressInvalid(part) }
        }
        return nil
    }

    /// The comma-separated parts of `address`, blanks around each removed (empty parts kept).
    static func parts(of address: String) -> [String] {
        address.split(separator: ",", omittingEmptySubsequences: false).map { part in
            String(part.drop(while: isBlank).reversed().drop(while: isBlank).reversed())
        }
    }

    /// The addresses to listen on for `address`: `localhost` is 127.0.0.1 and ::1 (optional: skipped where the
    /// machine has no IPv6), every other part itself.
    static func hosts(of address: String) -> [(name: String, optional: Bool)] {
        parts(of: address).filter { !$0.isEmpty }.flatMap { part in
            part == "localhost" ? [("127.0.0.1", false), ("::1", true)] : [(part, false)]
        }
    }

    /// Only loopback (`localhost`, `127.x`, `::1`).
    static func isLoopback(_ address: String) -> Bool {
        parts(of: address).filter { !$0.isEmpty }.allSatisfy { host in
            host == "localhost" || host.hasPrefix("127.") || host == "::1"
        }
    }

    private static func isBlank(_ character: Character) -> Bool { character == " " || character == "\t" }

    static func isIPLiteral(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}

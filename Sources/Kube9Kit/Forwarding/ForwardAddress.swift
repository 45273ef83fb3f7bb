import Foundation
import Glibc

/// kubectl's `--address`: `localhost` or IP literals, comma-separated.
public enum ForwardAddress {
    /// Nil when kubectl can listen on `address`; else a sentence saying what is wrong.
    public static func problem(_ address: String) -> String? {
        let parts = address.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard !parts.isEmpty, !address.isEmpty else { return Messages.addressEmpty }
        for part in parts {
            if part == "localhost" { continue }
            if part.isEmpty || !isIPLiteral(part) { return Messages.addressInvalid(part) }
        }
        return nil
    }

    static func isIPLiteral(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}

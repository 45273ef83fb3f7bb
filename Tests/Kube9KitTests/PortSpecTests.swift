import PropertyBased
import Testing

@testable import Kube9Kit

@Suite struct PortSpecTests {
    @Test(arguments: [
        ("80", 80), ("1", 1), ("65535", 65535), (" 8080 ", 8080), ("\t443", 443),
    ])
    func acceptsPorts(_ text: String, _ port: Int) throws {
        #expect(try PortSpec.parse(text) == port)
    }

    @Test(arguments: [
        ("", PortInputError.empty), ("   ", .empty), ("0", .zero), ("00", .zero), ("-0", .zero),
        ("65536", .tooLarge), ("99999", .tooLarge), ("123456", .tooLarge), ("-1", .negative), ("-80", .negative),
        ("080", .leadingZero), ("0080", .leadingZero), ("8o", .notANumber), ("+80", .notANumber), ("8 0", .notANumber),
        ("٨٠", .notANumber), ("８０", .notANumber), ("80.0", .notANumber), ("-", .notANumber), ("0x50", .notANumber),
        ("1e3", .notANumber),
    ])
    func refusesWithAClearMessage(_ text: String, _ expected: PortInputError) {
        #expect(throws: expected) { try PortSpec.parse(text) }
        #expect(!expected.message.isEmpty)
    }

    @Test func messagesAreTheDocumentedOnes() {
        #expect(PortInputError.zero.message == "Port 0 is not allowed: use 1–65535.")
        #expect(PortInputError.tooLarge.message == "Ports go up to 65535.")
        #expect(PortInputError.negative.message == "A port cannot be negative: use 1–65535.")
        #expect(PortInputError.leadingZero.message == "Write the port without leading zeros.")
    }

    @Test func aThousandCharacterPasteIsRefusedNotCrashed() {
        #expect(throws: PortInputError.tooLarge) { try PortSpec.parse(String(repeating: "9", count: 1000)) }
        #expect(throws: PortInputError.notANumber) { try PortSpec.parse(String(repeating: "ab1", count: 400)) }
    }

    @Test func everyValidPortRoundTrips() async {
        await propertyCheck(count: 500, input: Gen.int(in: 1...65535)) { port in
            #expect((try? PortSpec.parse(String(port))) == port)
            #expect((try? PortSpec.parseMapping("\(port)"))?.remote == port)
            #expect((try? PortSpec.parseMapping("\(port):\(port)"))?.local == port)
        }
    }

    @Test func numbersOutsideTheRangeAreNeverAPort() async {
        await propertyCheck(count: 300, input: Gen.int(in: -1_000_000...1_000_000).filter { !(1...65535).contains($0) }) {
            value in
            #expect(throws: PortInputError.self) { try PortSpec.parse(String(value)) }
        }
    }

    @Test func anyPrintableTextEitherParsesToItsOwnValueOrIsRefused() async {
        let printable = Gen.unicodeScalar(in: " "..."~").map { Character($0) }.string(of: 0...12)
        await propertyCheck(count: 1000, input: printable) { text in
            do throws(PortInputError) {
                let port = try PortSpec.parse(text)
                #expect(PortSpec.validRange.contains(port))
                #expect(String(port) == text.trimmingCharacters(in: .whitespaces))
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
    }

    @Test func anyUnicodeTextNeverCrashesNorYieldsAWrongPort() async {
        let text = Gen.unicodeScalar(in: "\u{0}"..."\u{D7FF}").map { Character($0) }.string(of: 0...8)
        await propertyCheck(count: 500, input: text) { text in
            if let port = try? PortSpec.parse(text) {
                #expect(String(port) == text.trimmingCharacters(in: .whitespaces))
            }
        }
    }

    /// A mapping's named remote port (anything with a letter: container and service port names differ in form),
    /// numbered as kubectl numbers it.
    @Test func portNames() {
        #expect(PortSpec.remoteName(of: "8443:https") == "https")
        #expect(PortSpec.remoteName(of: "metrics-http-external--v2") == "metrics-http-external--v2")
        #expect(PortSpec.remoteName(of: ":HTTPS") == "HTTPS")
        #expect(PortSpec.remoteName(of: "8443:443") == nil)
        #expect(PortSpec.remoteName(of: "-1") == nil)
        #expect(PortSpec.remoteName(of: "") == nil)
        #expect(PortSpec.numbered("8443:https", port: 443) == "8443:443")
        #expect(PortSpec.numbered(":https", port: 443) == ":443")
        #expect(PortSpec.numbered("metrics", port: 9090) == "9090")
        #expect(PortSpec.numbered("8080:80", port: 1) == "8080:80")
    }

    @Test func mappings() throws {
        #expect(try PortSpec.parseMapping("8080:80") == (local: 8080, remote: 80))
        #expect(try PortSpec.parseMapping("80") == (local: nil, remote: 80))
        // kubectl's random local port: `:80` and `0:80`.
        #expect(try PortSpec.parseMapping(":80") == (local: PortSpec.anyLocalPort, remote: 80))
        #expect(try PortSpec.parseMapping("0:80") == (local: PortSpec.anyLocalPort, remote: 80))
        #expect(throws: PortInputError.empty) { try PortSpec.parseMapping("8080:") }
        #expect(throws: PortInputError.zero) { try PortSpec.parseMapping(":0") }
        #expect(throws: PortInputError.leadingZero) { try PortSpec.parseMapping("080:80") }
        #expect(throws: PortInputError.notANumber) { try PortSpec.parseMapping("1:2:3") }
        #expect(throws: PortInputError.tooLarge) { try PortSpec.parseMapping("70000:80") }
    }
}

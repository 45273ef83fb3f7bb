import Foundation
import Testing

@testable import Kube9Kit

/// kubectl output cut at every byte, corrupted byte by byte or of the wrong shape: every decoder answers with a
/// value or a `.malformedOutput` error, never a crash.
struct BadInputDecodingTests {
    /// Runs `decode` and fails the test unless it returns or throws a malformed-output error naming `what`.
    static func expectValueOrMalformed<T>(_ what: String, _ input: Data, _ decode: (Data) throws(KubeError) -> T) {
        do {
            _ = try decode(input)
        } catch {
            #expect(error.kind == .malformedOutput, "\(what): \(error)")
            #expect(error.message.hasPrefix("Unexpected output from kubectl ("), "\(what): \(error)")
        }
    }

    @Test(arguments: ["pods.json", "namespaces.json", "config-view.json", "pod-running.json", "sim-pods-default.json"])
    func everyTruncationIsAValueOrAnError(fixture: String) throws {
        let full = try FixtureLoader.data(fixture)
        var errors = 0
        for length in 0..<full.count {
            let cut = full.prefix(length)
            do { _ = try Self.decodeAny(fixture, cut) } catch {
                #expect(error.kind == .malformedOutput, "\(fixture) cut at \(length): \(error)")
                errors += 1
            }
        }
        // A JSON document cut anywhere before its end is not valid JSON.
        let whitespace: Set<UInt8> = [0x20, 0x0A, 0x0D, 0x09]
        let significant = full.count - full.reversed().prefix { whitespace.contains($0) }.count
        #expect(errors >= significant, "\(fixture): only \(errors) of \(significant) truncations were errors")
        try Self.decodeAny(fixture, full)
    }

    @Test func everySingleByteCorruptionIsAValueOrAnError() throws {
        let full = try FixtureLoader.data("pods.json")
        let replacements: [UInt8] = [0x00, 0x22, 0x7B, 0x7D, 0x5D, 0xFF, 0x30]
        for index in stride(from: 0, to: full.count, by: 3) {
            for byte in replacements {
                var corrupted = full
                corrupted[corrupted.startIndex + index] = byte
                Self.expectValueOrMalformed("pods.json[\(index)] = \(byte)", corrupted) { data throws(KubeError) in
                    try KubeJSONDecoding.pods(from: data)
                }
            }
        }
    }

    @Test(arguments: [
        #"{"items": null}"#, #"{"items": [null]}"#, #"{"items": [{}]}"#, #"{"items": [{"metadata": {"name": 1e400}}]}"#,
        #"{"items": [{"metadata": {"name": "a"}, "spec": {"containers": [{"ports": [{"containerPort": 99999999999999999999}]}]}}]}"#,
        #"{"items": [{"metadata": {"name": "a"}, "status": {"phase": ["Running"]}}]}"#,
        "\u{FEFF}{\"items\": []}", "{\"items\": []} trailing", String(repeating: "[", count: 100_000),
    ])
    func oddShapesAreAValueOrAnError(_ input: String) {
        Self.expectValueOrMalformed(String(input.prefix(80)), Data(input.utf8)) { data throws(KubeError) in
            try KubeJSONDecoding.pods(from: data)
        }
        Self.expectValueOrMalformed(String(input.prefix(80)), Data(input.utf8)) { data throws(KubeError) in
            try KubeJSONDecoding.namespaces(from: data)
        }
    }

    @Test func invalidUTF8IsAnError() {
        let data = Data([0x7B, 0x22, 0x69, 0x74, 0x65, 0x6D, 0x73, 0x22, 0x3A, 0x5B, 0xC3, 0x28, 0x5D, 0x7D])
        #expect(throws: KubeError.self) { try KubeJSONDecoding.pods(from: data) }
    }

    static func decodeAny(_ fixture: String, _ data: Data) throws(KubeError) {
        switch fixture {
        case "namespaces.json": _ = try KubeJSONDecoding.namespaces(from: data)
        case "config-view.json": _ = try KubeJSONDecoding.contexts(from: data)
        case "pod-running.json": _ = try KubeJSONDecoding.pod(from: data)
        default: _ = try KubeJSONDecoding.pods(from: data)
        }
    }
}

import Foundation
import Testing

@testable import Kube9Kit

/// kubectl output cut at every byte, corrupted byte by byte or of the wrong shape: every decoder answers with a
/// value or a `.malformedOutput` error, never a crash.
///
/// The loops decode thousands of documents: they run on a thread of their own, because the concurrency pool has
/// only 2 threads on a 2-core machine and a CPU-bound test body on it delays the deadlines other tests measure.
struct BadInputDecodingTests {
    /// Runs `work` on a new thread and returns what it found wrong.
    static func offThePool(_ work: @escaping @Sendable () -> [String]) async -> [String] {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }

    /// Nil when `decode` returns or throws a malformed-output error; else what went wrong.
    static func problem<T>(_ what: String, _ input: Data, _ decode: (Data) throws(KubeError) -> T) -> String? {
        do {
            _ = try decode(input)
            return nil
        } catch {
            guard error.kind == .malformedOutput, error.message.hasPrefix("Unexpected output from kubectl (") else {
                return "\(what): \(error)"
            }
            return nil
        }
    }

    @Test(arguments: ["pods.json", "namespaces.json", "pod-running.json", "sim-pods-default.json"])
    func everyTruncationIsAValueOrAnError(fixture: String) async throws {
        let full = try FixtureLoader.data(fixture)
        try Self.decodeAny(fixture, full)
        let found = await Self.offThePool {
            var problems: [String] = []
            var errors = 0
            for length in 0..<full.count {
                do throws(KubeError) { try Self.decodeAny(fixture, full.prefix(length)) } catch {
                    errors += 1
                    if error.kind != .malformedOutput { problems.append("cut at \(length): \(error)") }
                }
            }
            // A JSON document cut anywhere before its last significant byte is not valid JSON.
            let whitespace: Set<UInt8> = [0x20, 0x0A, 0x0D, 0x09]
            let significant = full.count - full.reversed().prefix { whitespace.contains($0) }.count
            if errors < significant { problems.append("only \(errors) of \(significant) truncations were errors") }
            return problems
        }
        #expect(found.isEmpty, "\(fixture): \(found.prefix(5))")
    }

    @Test func everySingleByteCorruptionIsAValueOrAnError() async throws {
        let full = try FixtureLoader.data("pods.json")
        let found = await Self.offThePool {
            let replacements: [UInt8] = [0x00, 0x22, 0x7B, 0x7D, 0x5D, 0xFF, 0x30]
            var problems: [String] = []
            for index in 0..<full.count {
                for byte in replacements {
                    var corrupted = full
                    corrupted[corrupted.startIndex + index] = byte
                    if let problem = Self.problem("pods.json[\(index)] = \(byte)", corrupted, { data throws(KubeError) in
                        try KubeJSONDecoding.pods(from: data)
                    }) { problems.append(problem) }
                }
            }
            return problems
        }
        #expect(found.isEmpty, "\(found.prefix(5))")
    }

    @Test(arguments: [
        #"{"items": null}"#, #"{"items": [null]}"#, #"{"items": [{}]}"#, #"{"items": [{"metadata": {"name": 1e400}}]}"#,
        #"{"items": [{"metadata": {"name": "a"}, "spec": {"containers": [{"ports": [{"containerPort": 99999999999999999999}]}]}}]}"#,
        #"{"items": [{"metadata": {"name": "a"}, "status": {"phase": ["Running"]}}]}"#,
        "\u{FEFF}{\"items\": []}", "{\"items\": []} trailing", String(repeating: "[", count: 10_000),
    ])
    func oddShapesAreAValueOrAnError(_ input: String) {
        let data = Data(input.utf8)
        let what = String(input.prefix(80))
        #expect(Self.problem(what, data) { data throws(KubeError) in try KubeJSONDecoding.pods(from: data) } == nil)
        #expect(Self.problem(what, data) { data throws(KubeError) in try KubeJSONDecoding.namespaces(from: data) } == nil)
    }

    @Test func invalidUTF8IsAnError() {
        let data = Data([0x7B, 0x22, 0x69, 0x74, 0x65, 0x6D, 0x73, 0x22, 0x3A, 0x5B, 0xC3, 0x28, 0x5D, 0x7D])
        #expect(throws: KubeError.self) { try KubeJSONDecoding.pods(from: data) }
    }

    static func decodeAny(_ fixture: String, _ data: Data) throws(KubeError) {
        switch fixture {
        case "namespaces.json": _ = try KubeJSONDecoding.namespaces(from: data)
        case "pod-running.json": _ = try KubeJSONDecoding.pod(from: data)
        default: _ = try KubeJSONDecoding.pods(from: data)
        }
    }
}

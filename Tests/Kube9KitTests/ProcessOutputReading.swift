@testable import Kube9Kit

extension AsyncStream where Element == RunningProcess.Output {
    /// A child's stdout and stderr, each joined, once both have ended.
    func joined() async -> (standardOutput: String, standardError: String) {
        var standardOutput: [UInt8] = []
        var standardError: [UInt8] = []
        for await chunk in self {
            switch chunk {
            case .standardOutput(let bytes): standardOutput += bytes
            case .standardError(let bytes): standardError += bytes
            }
        }
        return (String(decoding: standardOutput, as: UTF8.self), String(decoding: standardError, as: UTF8.self))
    }
}

import Foundation

/// The kubectl processes alive on this machine whose command line mentions `text` (e.g. a harness kubeconfig).
func kubectlProcesses(mentioning text: String) -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    var found: [String] = []
    for entry in entries where entry.allSatisfy(\.isNumber) {
        guard let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"), !data.isEmpty else { continue }
        let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        guard let program = arguments.first?.split(separator: "/").last, program.hasPrefix("kubectl") else { continue }
        if arguments.contains(where: { $0.contains(text) }) {
            found.append("\(entry): \(arguments.joined(separator: " "))")
        }
    }
    return found
}

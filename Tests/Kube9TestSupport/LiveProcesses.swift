import Foundation

/// The live processes (zombies left out) whose command line contains a fragment: a test's kubeconfig path,
/// a marker argument.
public enum LiveProcesses {
    public static func mentioning(_ fragment: String) -> [(pid: Int32, commandLine: String)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var found: [(pid: Int32, commandLine: String)] = []
        for name in names {
            guard let pid = Int32(name), pid != getpid(),
                let raw = FileManager.default.contents(atPath: "/proc/\(name)/cmdline"), !raw.isEmpty
            else { continue }
            let commandLine = String(decoding: raw.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            if commandLine.contains(fragment), isAlive(pid) { found.append((pid, commandLine)) }
        }
        return found
    }

    /// Alive and not a zombie.
    public static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    /// Readable lines for a failure message.
    public static func describe(_ processes: [(pid: Int32, commandLine: String)]) -> String {
        processes.map { "\($0.pid): \($0.commandLine)" }.joined(separator: "\n")
    }
}

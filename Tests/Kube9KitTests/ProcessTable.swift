import Foundation
import Glibc
import Kube9TestSupport

/// What /proc says about processes, for assertions that nothing was left running.
enum ProcessTable {
    /// Alive and not a zombie.
    static func isAlive(_ pid: Int32) -> Bool { LiveProcesses.isAlive(pid) }

    /// Live processes whose command line contains `fragment` (e.g. a test's unique kubeconfig path).
    static func processes(containing fragment: String) -> [(pid: Int32, commandLine: String)] {
        LiveProcesses.mentioning(fragment)
    }

    /// Children of `parent` (by ppid), kube9's guardian (`kube9-guardian PID`, see ProcessGuardian) left out.
    static func children(of parent: Int32) -> [Int32] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return names.compactMap { name -> Int32? in
            guard let pid = Int32(name),
                let cmdline = FileManager.default.contents(atPath: "/proc/\(name)/cmdline"),
                !String(decoding: cmdline, as: UTF8.self).contains("kube9-guardian"),
                let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == parent && isAlive(pid) ? pid : nil
        }
    }

    static func openFileDescriptorCount() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
    }

    /// True when `pid` ignores or blocks `signal` (SigIgn / SigBlk of /proc/PID/status).
    static func ignoresOrBlocks(_ signal: Int32, pid: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
        for line in status.split(separator: "\n") where line.hasPrefix("SigIgn:") || line.hasPrefix("SigBlk:") {
            let hex = line.split(separator: "\t").last.map(String.init) ?? "0"
            if let mask = UInt64(hex.trimmingCharacters(in: .whitespaces), radix: 16), mask & (1 << UInt64(signal - 1)) != 0 {
                return true
            }
        }
        return false
    }
}

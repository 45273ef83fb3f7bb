import Foundation
import Glibc

/// What /proc says about processes, for assertions that nothing was left running. The one /proc reader of the
/// tests.
public enum ProcessTable {
    /// Live processes (zombies left out, this one too) whose command line contains `fragment`: a test's unique
    /// kubeconfig path, a marker argument.
    public static func processes(containing fragment: String) -> [(pid: Int32, commandLine: String)] {
        live().filter { $0.commandLine.contains(fragment) }.map { ($0.pid, $0.commandLine) }
    }

    /// Live processes whose program (the last part of argv[0]) starts with `program` and one of whose arguments
    /// contains `fragment`: `kubectl` processes of a test's kubeconfig.
    public static func processes(named program: String, containing fragment: String) -> [(pid: Int32, commandLine: String)] {
        live().filter { process in
            guard let name = process.arguments.first?.split(separator: "/").last, name.hasPrefix(program) else { return false }
            return process.arguments.contains { $0.contains(fragment) }
        }.map { ($0.pid, $0.commandLine) }
    }

    /// Every live process but this one, with its arguments.
    private static func live() -> [(pid: Int32, arguments: [String], commandLine: String)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return names.compactMap { name in
            guard let pid = Int32(name), pid != getpid(),
                let raw = FileManager.default.contents(atPath: "/proc/\(name)/cmdline"), !raw.isEmpty, isAlive(pid)
            else { return nil }
            let arguments = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return (pid, arguments, arguments.joined(separator: " "))
        }
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

    /// Children of `parent` (by ppid), kube9's guardian (`kube9-guardian PID`, see ProcessGuardian) left out.
    public static func children(of parent: Int32) -> [Int32] {
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

    /// How many file descriptors this process has open.
    public static func openFileDescriptorCount() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
    }

    /// True when `pid` ignores or blocks `signal` (SigIgn / SigBlk of /proc/PID/status).
    public static func ignoresOrBlocks(_ signal: Int32, pid: Int32) -> Bool {
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

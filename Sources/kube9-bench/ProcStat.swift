import Kube9Kit
import Synchronization
import Foundation

/// What /proc says about one process: resident memory and CPU time.
enum ProcStat {
    /// VmRSS in MiB.
    static func residentMiB(pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let kib = line.split(separator: " ").compactMap { Double($0) }.first
            return kib.map { $0 / 1024 }
        }
        return nil
    }

    /// utime + stime in seconds.
    static func cpuSeconds(pid: Int32, task: String? = nil) -> Double? {
        guard let text = try? String(contentsOfFile: (task ?? "/proc/\(pid)") + "/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14, stime 15 (1-based) → indices 11 and 12 here.
        guard fields.count > 12, let utime = Double(fields[11]), let stime = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return (utime + stime) / ticks
    }
}

/// Ports the kernel hands out: bind 127.0.0.1:0, read the port, close (never 8080).
/// Local ports for forwards: random ones in 20000–31999, below the kernel's ephemeral range (32768+), where
/// kubectl's own outgoing connections take their ports and could make a kernel-picked port busy a moment later.
/// Each is checked free (127.0.0.1 and ::1, as kubectl binds) and never handed out twice in one run.
enum FreePort {
    private static let handedOut = Mutex<Set<Int>>([])

    static func next() -> Int {
        let probe = LocalPortProbe()
        while true {
            let port = Int.random(in: 20000..<32000)
            guard port != 8080, handedOut.withLock({ $0.insert(port).inserted }) else { continue }
            if probe.check(port) == .available { return port }
        }
    }
}

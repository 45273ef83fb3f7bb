import Foundation

/// The fields of `/proc/PID/stat` kube9 reads: what follows the command name in parentheses (which may itself
/// contain spaces and parentheses, hence the last `)`).
struct ProcessStat {
    /// `R`, `S`, `T` (stopped), `Z` (zombie), …
    let state: Character
    let parent: pid_t
    let group: pid_t

    init?(pid: pid_t) {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ", maxSplits: 4)
        guard fields.count > 2, let state = fields[0].first, let parent = pid_t(fields[1]), let group = pid_t(fields[2])
        else { return nil }
        self.state = state
        self.parent = parent
        self.group = group
    }

    /// Ended, waiting to be reaped (`Z`) or being torn down (`X`): no signal reaches it.
    var isDead: Bool { state == "Z" || state == "X" }
}

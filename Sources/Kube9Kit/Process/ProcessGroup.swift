import Foundation
import Synchronization

/// The process group a child leads (every child gets its own: pgid == the child's pid) and everything started
/// in it: a shim's kubectl, an exec credential plugin, the dispatcher's real kubectl.
///
/// Stopping a child stops its group: SIGTERM to the group, then SIGKILL to the group 1 s later if anything in it
/// is still alive. The leader exiting early proves nothing about the rest, so when the leader has exited (on its
/// own or stopped) whatever is left in its group is stopped the same way before the run counts as over. The
/// group is registered with the guardian from spawn until nothing in it is alive, so kube9's death stops it too.
///
/// Created before the spawn; `attach` gives it the leader right after the spawn (before the child can have done
/// much: the parent-death signal covers the leader meanwhile).
final class ProcessGroup: Sendable {
    /// From SIGTERM to SIGKILL.
    static let gracePeriod: Duration = .seconds(1)

    private struct State {
        var leader: pid_t?
        var stopRequested = false
        var stopStarted: ContinuousClock.Instant?
        /// Nothing left alive: never signal the number again (it may be reused).
        var ended = false
    }

    private let state = Mutex(State())
    private let guardian: ProcessGuardian

    init(guardian: ProcessGuardian) {
        self.guardian = guardian
    }

    var leader: pid_t? { state.withLock { $0.leader } }

    /// The child was spawned as `leader` of its own group: registers it (and stops it at once if a stop was
    /// asked for while it spawned).
    func attach(leader: pid_t) {
        let stopNow = state.withLock { state in
            state.leader = leader
            return state.stopRequested
        }
        guardian.register(leader)
        if stopNow { beginStop() }
    }

    /// SIGTERM to the group now, SIGKILL 1 s later to whatever in it is alive then. Returns at once; the run
    /// that owns the leader sees it exit. Safe to call more than once.
    func stop() {
        state.withLock { $0.stopRequested = true }
        beginStop()
    }

    /// Called once the leader has exited and been reaped: stops what is left in the group (SIGTERM now unless a
    /// stop began, SIGKILL when the stop's grace period is over), waits until nothing in it is alive and forgets
    /// it. Runs to its end even when the caller is cancelled.
    func finish() async {
        guard let group = leader else { return }
        // Usually the leader was alone (kubectl itself): one kill(2) says so, and no task is needed.
        if Self.hasLiveMembers(group) {
            await Task {
                self.stop()
                let started = self.state.withLock { $0.stopStarted } ?? .now
                // SIGKILL once the grace period is over, from here too: the stop's timer may wake late on a loaded
                // machine, and the group must not be declared over while something in it was never killed. Then
                // 1 s for its effect (a zombie waiting for init is not worth more).
                var killed: ContinuousClock.Instant?
                while Self.hasLiveMembers(group) {
                    let now = ContinuousClock.now
                    if killed == nil, now >= started + Self.gracePeriod {
                        self.killIfAlive(group)
                        killed = now
                    }
                    if let killed, now >= killed + .seconds(1) { break }
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }.value
        }
        state.withLock { $0.ended = true }
        guardian.unregister(group)
    }

    private func beginStop() {
        let group: pid_t? = state.withLock { state in
            guard let leader = state.leader, state.stopStarted == nil, !state.ended else { return nil }
            state.stopStarted = .now
            return leader
        }
        guard let group else { return }
        kill(-group, SIGTERM)
        Task {
            try? await Task.sleep(for: Self.gracePeriod)
            self.killIfAlive(group)
        }
    }

    /// SIGKILL to the group if anything in it is alive. Under the lock so that `finish` cannot declare the group
    /// over (and its number reusable) meanwhile.
    private func killIfAlive(_ group: pid_t) {
        state.withLock { state in
            if !state.ended, Self.hasLiveMembers(group) { kill(-group, SIGKILL) }
        }
    }

    /// True when a process of group `group` is alive (zombies, which no signal reaches, do not count).
    static func hasLiveMembers(_ group: pid_t) -> Bool {
        if kill(-group, 0) != 0, errno == ESRCH { return false }
        // Something is in the group, perhaps only zombies waiting for init: look for a live one.
        guard let directory = opendir("/proc") else { return true }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let pid = Int32(name), let stat = ProcessStat(pid: pid) else { continue }
            if stat.group == group, !stat.isDead { return true }
        }
        return false
    }
}

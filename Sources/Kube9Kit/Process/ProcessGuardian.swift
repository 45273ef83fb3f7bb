import Foundation
import Synchronization

/// A small `/bin/sh` process that stops every child's process group when kube9 dies, however it dies (SIGKILL,
/// crash, OOM kill), whatever the children do inside (a dispatcher that execs from another thread and so loses
/// the parent-death signal, a shim that runs kubectl as its own child).
///
/// How: kube9 and the guardian share a socket pair. kube9's end is close-on-exec and no child inherits it
/// (``ChildSpawner`` also closes every descriptor above 2 in children), so only kube9 holds it and the kernel
/// closes it when kube9 ends. kube9 writes `+PGID` when a child is spawned and `-PGID` once nothing is left in
/// that group; on end of file the guardian sends SIGTERM to every registered group, SIGKILL to the same groups
/// 0.2 s later (to whatever is left in them) and exits.
///
/// The guardian runs in a process group of its own (Ctrl-C and a terminal hangup reach kube9's group, not it) and
/// ignores SIGINT, SIGHUP, SIGQUIT and SIGTERM, so only the end of kube9 (or SIGKILL) ends it. It carries no
/// parent-death signal: a SIGKILL on kube9's death would kill it before it could act, and end of file already
/// tells it. If it is killed anyway, the next spawn starts a new one and registers the live groups again.
///
/// One per kube9 process (`shared`), started by the runner before its first child.
public final class ProcessGuardian: Sendable {
    /// The guardian every `ProcessRunner` of this process uses.
    public static let shared = ProcessGuardian()

    /// The guardian's `$0`, followed by kube9's process ID, so `ps` shows whose guardian it is.
    let label: String

    private struct State {
        /// kube9's end of the socket pair while a guardian runs, else -1.
        var socket: Int32 = -1
        var processID: Int32?
        /// The start in progress or done; nil when no guardian runs.
        var start: Task<Void, Never>?
        /// The groups registered and not yet empty (sent again to a restarted guardian).
        var groups: Set<pid_t> = []
        var closed = false
    }

    private let state = Mutex(State())

    init(label: String = "kube9-guardian") {
        self.label = label
    }

    /// The guardian's process ID once it runs.
    public var processID: Int32? { state.withLock { $0.socket >= 0 ? $0.processID : nil } }

    /// The groups registered and not yet empty.
    var registeredGroups: Set<pid_t> { state.withLock { $0.groups } }

    /// Starts the guardian unless it runs; returns once it is spawned, so that a group registered afterwards is
    /// in its hands. Cheap when it runs.
    func ensureRunning() async {
        let start: Task<Void, Never>? = state.withLock { state in
            guard !state.closed else { return nil }
            if let start = state.start { return start }
            let start = Task { await self.spawn() }
            state.start = start
            return start
        }
        await start?.value
    }

    /// Registers a child's process group (its leader's pid): from now on it is stopped if kube9 dies.
    func register(_ group: pid_t) {
        state.withLock { state in
            state.groups.insert(group)
            Self.send("+\(group)\n", to: state.socket)
        }
    }

    /// Forgets a group once nothing in it is alive (its number may be reused from then on).
    func unregister(_ group: pid_t) {
        state.withLock { state in
            guard state.groups.remove(group) != nil else { return }
            Self.send("-\(group)\n", to: state.socket)
        }
    }

    /// Closes kube9's end as kube9's death would: the guardian stops the registered groups and exits. For tests
    /// of a guardian of their own.
    func close() {
        state.withLock { state in
            state.closed = true
            if state.socket >= 0 { Glibc.close(state.socket) }
            state.socket = -1
        }
    }

    /// Whole lines only: each is far below the socket buffer, and the lock keeps writers from interleaving.
    /// MSG_NOSIGNAL: a dead guardian must not SIGPIPE kube9 (its end is noticed by the run that spawned it).
    private static func send(_ line: String, to socket: Int32) {
        guard socket >= 0 else { return }
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
    }

    private func spawn() async {
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            state.withLock { $0.start = nil }
            return
        }
        // Groups registered while no guardian ran (it was killed) go to the new one before any new child.
        state.withLock { state in
            state.socket = ends[0]
            for group in state.groups { Self.send("+\(group)\n", to: ends[0]) }
        }
        let request = ChildSpawner.Request(
            executable: "/bin/sh", arguments: ["-c", Self.script, label, "\(getpid())"],
            environment: ProcessInfo.processInfo.environment, standardInput: ends[1], discardsOutput: true)
        let socket = ends[0]
        let child = try? await ChildSpawner.shared.spawn(request)
        Glibc.close(ends[1])
        state.withLock { $0.processID = child?.processID }
        Task {
            _ = await child?.exit()
            // The guardian ended while kube9 lives (killed, or `close()`): the next spawn starts another one.
            self.state.withLock { state in
                guard state.socket == socket else { return }
                Glibc.close(socket)
                state.socket = -1
                state.processID = nil
                if !state.closed { state.start = nil }
            }
        }
    }

    /// The guardian: collects `+PGID`/`-PGID` lines until end of file, then SIGTERM to each group and SIGKILL to
    /// each 0.2 s later (kubectl is normally gone by then; a zombie waiting for init, which `kill -0` cannot tell
    /// from a live process, is not worth waiting for). `$1` is kube9's pid (for `ps` only). One `sleep` process:
    /// on a loaded machine every fork costs.
    static let script = """
        trap '' INT HUP QUIT TERM PIPE
        PATH=/usr/bin:/bin
        groups=' '
        while IFS= read -r line; do
          case $line in
            +*) groups="$groups${line#+} " ;;
            -*) g=${line#-}
                case $groups in *" $g "*) groups="${groups%% $g *} ${groups#* $g }" ;; esac ;;
          esac
        done
        [ -z "${groups# }" ] && exit 0
        for g in $groups; do kill -TERM -$g 2>/dev/null; done
        sleep 0.2
        for g in $groups; do kill -KILL -$g 2>/dev/null; done
        """
}

import CSpawn
import Foundation
import Glibc
import Synchronization

/// Starts children (vfork and execve, `kube9_spawn` in the CSpawn target), from one thread of its own that lives
/// as long as kube9: Linux delivers the parent-death signal when the *thread* that created the child ends, so no
/// child may be spawned from a pool thread that can retire. Every child:
/// - gets an argv array and an environment list, never a shell;
/// - leads a process group of its own (setpgid 0 0);
/// - starts with every signal at its default disposition (kube9 ignores SIGPIPE, and an ignored signal would
///   otherwise be inherited) and an empty signal mask;
/// - gets the parent-death signal SIGKILL when asked (``Request/deathSignal``), set in the child before exec: no
///   wrapper program to exec first;
/// - has /dev/null (or the descriptor asked for) as stdin, a pipe as stdout and one as stderr (or /dev/null for
///   both), and no other descriptor: everything from 3 up is closed in it before exec.
///
/// What follows the spawn (output, exit) is ``SpawnedChild``'s: event sources, nothing that polls.
final class ChildSpawner: Sendable {
    /// The spawner of every child of this process.
    static let shared = ChildSpawner()

    struct Request: Sendable {
        /// An absolute path (``ExecutableLocator`` resolves names first).
        var executable: String
        /// argv[1...]; argv[0] is `executable`.
        var arguments: [String]
        /// The child's whole environment.
        var environment: [String: String]
        /// Becomes the child's stdin (the caller keeps its own descriptor open until the spawn returns); nil is
        /// /dev/null.
        var standardInput: Int32?
        /// stdout and stderr to /dev/null instead of pipes; ``SpawnedChild/output`` then ends at once.
        var discardsOutput = false
        /// SIGKILL to the child when kube9 ends (the parent-death signal; it holds for as long as the child, and
        /// whatever it execs, keep it).
        var deathSignal = false
        /// Added to kube9's nice value in the child before it execs (10: a background observer that must not take
        /// the CPU from forwarded traffic, from its first instruction on).
        var niceness: Int32 = 0
    }

    /// What the spawn thread hands back: the child and kube9's ends of its descriptors.
    struct Spawned: Sendable {
        var processID: pid_t
        var processDescriptor: Int32
        var standardOutput: Int32?
        var standardError: Int32?
    }

    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let pending = DispatchSemaphore(value: 0)

    private init() {
        let thread = Thread { [self] in
            while true {
                pending.wait()
                let job = jobs.withLock { $0.removeFirst() }
                job()
            }
        }
        thread.name = "kube9-spawner"
        thread.start()
    }

    /// Spawns `request` (on the spawn thread) and starts following its output and exit.
    func spawn(_ request: Request) async throws(ProcessRunError) -> SpawnedChild {
        let result: Result<Spawned, ProcessRunError> = await withCheckedContinuation { continuation in
            jobs.withLock { $0.append { continuation.resume(returning: Self.spawnNow(request)) } }
            pending.signal()
        }
        return SpawnedChild(try result.get())
    }

    private static func spawnNow(_ request: Request) -> Result<Spawned, ProcessRunError> {
        var standardOutput: [Int32] = [-1, -1]
        var standardError: [Int32] = [-1, -1]
        if !request.discardsOutput {
            guard kube9_pipe2(&standardOutput, O_CLOEXEC) == 0 else { return .failure(.launchFailed("pipe: \(lastError())")) }
            guard kube9_pipe2(&standardError, O_CLOEXEC) == 0 else {
                closeAll(standardOutput)
                return .failure(.launchFailed("pipe: \(lastError())"))
            }
        }
        // kube9's read ends; the write ends are closed here once the child holds them.
        let readEnds = [standardOutput[0], standardError[0]]
        defer { closeAll([standardOutput[1], standardError[1]]) }

        let argv = ([request.executable] + request.arguments).map { strdup($0) } + [nil]
        let envp = request.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        let processID = kube9_spawn(
            request.executable, argv, envp, request.standardInput ?? -1, standardOutput[1], standardError[1],
            request.deathSignal ? SIGKILL : 0, request.niceness)
        guard processID > 0 else {
            closeAll(readEnds)
            let status = -processID
            if status == ENOENT || status == EACCES {
                return .failure(.executableNotFound(request.executable, ExecutableLocator.missing(request.executable)))
            }
            return .failure(.launchFailed("spawn \(request.executable): \(String(cString: strerror(status)))"))
        }
        // Not reaped yet, so the number is still this child's.
        let processDescriptor = kube9_pidfd_open(processID)
        guard processDescriptor >= 0 else {
            let error = lastError()
            closeAll(readEnds)
            kill(-processID, SIGKILL)
            var ignored: Int32 = 0
            waitpid(processID, &ignored, 0)
            return .failure(.launchFailed("pidfd_open: \(error)"))
        }
        for end in readEnds where end >= 0 { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
        return .success(
            Spawned(
                processID: processID, processDescriptor: processDescriptor,
                standardOutput: request.discardsOutput ? nil : standardOutput[0],
                standardError: request.discardsOutput ? nil : standardError[0]))
    }

    private static func closeAll(_ descriptors: [Int32]) {
        for descriptor in descriptors where descriptor >= 0 { close(descriptor) }
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}

import Foundation
import Logging
import Synchronization

/// The one place kube9 starts child processes (always an argv array, never a shell). Every child:
/// - runs in its own process group, so a terminal's Ctrl-C reaches kube9, which then stops it deliberately, and
///   so that stopping it reaches everything it started (see `ProcessGroup`);
/// - is stopped by SIGTERM to its group, then SIGKILL to its group 1 s later if anything in it is alive, when it
///   is terminated, its deadline passes or the task running it is cancelled; whatever is left in its group when
///   it exits on its own is stopped the same way;
/// - has its group registered with the `ProcessGuardian` from spawn until the group is empty, so the group is
///   stopped within a second of kube9's death by any means, whatever the child does inside;
/// - gets the parent-death signal SIGKILL, set in the child before it execs the program, an extra layer that
///   ends the child at once on kube9's death as long as the child keeps it (a dispatcher that execs from another
///   thread, or a shim that forks, does not);
/// - is spawned by ``ChildSpawner`` (default signal dispositions, empty mask, only fds 0-2) and followed by
///   event sources, so a child that runs quietly costs kube9 nothing.
public struct ProcessRunner: Sendable {
    /// Output of a process that ran to its end.
    public struct Collected: Sendable {
        public var exit: ProcessExit
        public var standardOutput: [UInt8]
        public var standardError: String
    }

    /// Extra environment merged over the inherited one.
    public var environment: [String: String]
    /// Children get the parent-death signal SIGKILL.
    public var usesDeathSignal: Bool
    /// Added to kube9's nice value in every child, from its start (0: none).
    public var niceness: Int32 = 0
    public var logger: Logger
    /// Stops the children's groups when kube9 dies.
    public var guardian: ProcessGuardian = .shared
    /// The most a read call may print (5,000 pods are ~20 MB).
    public var outputLimit = 512 * 1024 * 1024
    /// The most of a read call's stderr kept.
    static let standardErrorLimit = 1024 * 1024

    public init(environment: [String: String] = [:], useDeathSignal: Bool = true, logger: Logger = ProcessRunner.silentLogger) {
        self.environment = environment
        self.usesDeathSignal = useDeathSignal
        self.logger = logger
    }

    public static let silentLogger = Logger(label: "kube9.silent", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs `executable arguments` to its end, collecting its output; stopped and `.timedOut` after `timeout`.
    /// Its stderr is read as it comes: a line asking the person to log in (``CredentialPrompt``, a credential
    /// plugin's URL or code) goes to `onPrompt` at once and gives the run up to ``CredentialPrompt/loginWait``.
    public func collect(
        executable: String, arguments: [String], timeout: Duration,
        onPrompt: (@Sendable (String) -> Void)? = nil
    ) async throws(ProcessRunError) -> Collected {
        let request = try spawnRequest(executable: executable, arguments: arguments, standardInput: nil)
        logger.debug("run", metadata: ["argv": "\(([executable] + arguments).joined(separator: " "))"])
        await guardian.ensureRunning()
        let processGroup = ProcessGroup(guardian: guardian)
        let child = try await ChildSpawner.shared.spawn(request)
        processGroup.attach(leader: child.processID)
        let deadline = MovableDeadline(ContinuousClock.now + timeout)
        let limit = outputLimit
        let logger = self.logger
        // Reads to the end of the output (the run closes it once the child's group is over); a run printing more
        // than `limit` is stopped.
        let reading = Task { () -> (standardOutput: [UInt8], standardError: [UInt8], overLimit: Bool) in
            var standardOutput: [UInt8] = []
            var standardError: [UInt8] = []
            var overLimit = false
            var lines = LineSplitter()
            for await chunk in child.output {
                switch chunk {
                case .standardOutput(let bytes):
                    guard !overLimit else { continue }
                    standardOutput += bytes
                    if standardOutput.count > limit {
                        overLimit = true
                        standardOutput = []
                        processGroup.stop()
                    }
                case .standardError(let bytes):
                    if standardError.count < Self.standardErrorLimit { standardError += bytes }
                    for line in lines.append(bytes) where CredentialPrompt.isPrompt(line) {
                        logger.info("credential plugin asks for a login", metadata: ["line": "\(line)"])
                        deadline.extend(to: ContinuousClock.now + CredentialPrompt.loginWait)
                        onPrompt?(line)
                    }
                }
            }
            return (standardOutput, standardError, overLimit)
        }
        enum Outcome: Sendable {
            case exited(ProcessExit)
            case deadline
            case cancelled
        }
        let outcome: Outcome = await withTaskGroup(of: Outcome.self) { group in
            group.addTask { .exited(await Self.runToItsEnd(child, in: processGroup)) }
            group.addTask {
                // The deadline may move later while sleeping (a login prompt): sleep again until it has passed.
                while true {
                    let until = deadline.instant
                    do { try await Task.sleep(until: until, clock: .continuous) } catch { return .cancelled }
                    if deadline.instant <= ContinuousClock.now { return .deadline }
                }
            }
            let first = await group.next() ?? .cancelled
            if case .exited = first {
                group.cancelAll()
            } else {
                // Deadline or cancellation: stop the child's whole group; the run waits for its end.
                processGroup.stop()
            }
            await group.waitForAll()
            return first
        }
        let output = await reading.value
        switch outcome {
        case .exited(let exit):
            if output.overLimit { throw .launchFailed("more than \(limit) bytes of output") }
            return Collected(
                exit: exit, standardOutput: output.standardOutput,
                standardError: String(decoding: output.standardError, as: UTF8.self))
        case .cancelled: throw .cancelled
        case .deadline:
            logger.info("deadline passed; stopped", metadata: ["executable": "\(executable)"])
            throw .timedOut
        }
    }

    /// Starts a long-running child; returns once it is spawned. `standardInput` becomes the child's standard input
    /// (closed here once spawned, or when the launch fails); nil gives it /dev/null.
    public func launch(
        executable: String, arguments: [String], standardInput: Int32? = nil
    ) async throws(ProcessRunError) -> RunningProcess {
        defer { if let standardInput { close(standardInput) } }
        let request = try spawnRequest(executable: executable, arguments: arguments, standardInput: standardInput)
        logger.debug("launch", metadata: ["argv": "\(([executable] + arguments).joined(separator: " "))"])
        await guardian.ensureRunning()
        let processGroup = ProcessGroup(guardian: guardian)
        let child = try await ChildSpawner.shared.spawn(request)
        processGroup.attach(leader: child.processID)
        let run = Task { await Self.runToItsEnd(child, in: processGroup) }
        if Task.isCancelled {
            // Cancelled while spawning: the child is stopped before giving up.
            processGroup.stop()
            _ = await run.value
            throw .cancelled
        }
        return RunningProcess(processID: child.processID, output: child.output, run: run, group: processGroup)
    }

    /// A child's run: its exit, then what it left in its group stopped, then its output closed (anything that
    /// escaped the group cannot keep the run from ending).
    private static func runToItsEnd(_ child: SpawnedChild, in processGroup: ProcessGroup) async -> ProcessExit {
        let exit = await child.exit()
        await processGroup.finish()
        await child.closeOutput()
        return exit
    }

    /// The spawn of `executable arguments`: resolved as a shell would, with the inherited environment and
    /// `environment` over it.
    private func spawnRequest(
        executable: String, arguments: [String], standardInput: Int32?
    ) throws(ProcessRunError) -> ChildSpawner.Request {
        guard let resolved = ExecutableLocator.find(executable, environment: environment) else {
            throw .executableNotFound(executable, ExecutableLocator.missing(executable, environment: environment))
        }
        let inherited = ProcessInfo.processInfo.environment.merging(environment) { _, configured in configured }
        return ChildSpawner.Request(
            executable: resolved, arguments: arguments, environment: inherited, standardInput: standardInput,
            deathSignal: usesDeathSignal, niceness: niceness)
    }
}

/// A run's deadline, which a login prompt may move later (never earlier).
private final class MovableDeadline: Sendable {
    private let value: Mutex<ContinuousClock.Instant>

    init(_ instant: ContinuousClock.Instant) { value = Mutex(instant) }

    var instant: ContinuousClock.Instant { value.withLock { $0 } }

    func extend(to instant: ContinuousClock.Instant) { value.withLock { $0 = max($0, instant) } }
}

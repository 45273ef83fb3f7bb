import Foundation
import Logging
import Subprocess
import Synchronization

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// The one place kube9 starts child processes (always an argv array, never a shell). Every child:
/// - runs in its own process group, so a terminal's Ctrl-C reaches kube9, which then stops it deliberately, and
///   so that stopping it reaches everything it started (see `ProcessGroup`);
/// - is stopped by SIGTERM to its group, then SIGKILL to its group 1 s later if anything in it is alive, when it
///   is terminated, its deadline passes or the task running it is cancelled; whatever is left in its group when
///   it exits on its own is stopped the same way;
/// - has its group registered with the `ProcessGuardian` from spawn until the group is empty, so the group is
///   stopped within a second of kube9's death by any means, whatever the child does inside;
/// - gets the parent-death signal SIGKILL through `setpriv --pdeathsig KILL --` when setpriv exists, an extra
///   layer that ends the child at once on kube9's death as long as the child keeps it (a dispatcher that execs
///   from another thread, or a shim that forks, does not).
public struct ProcessRunner: Sendable {
    /// Output of a process that ran to its end.
    public struct Collected: Sendable {
        public var exit: ProcessExit
        public var standardOutput: [UInt8]
        public var standardError: String
    }

    /// Extra environment merged over the inherited one.
    public var environment: [String: String]
    /// `setpriv` (absolute path) when present; nil spawns the executable directly.
    public var deathSignalWrapper: String?
    public var logger: Logger
    /// Stops the children's groups when kube9 dies.
    public var guardian: ProcessGuardian = .shared
    /// The most a read call may print (5,000 pods are ~20 MB).
    public var outputLimit = 512 * 1024 * 1024
    /// The most of a read call's stderr kept.
    static let standardErrorLimit = 1024 * 1024

    public init(environment: [String: String] = [:], useDeathSignal: Bool = true, logger: Logger = ProcessRunner.silentLogger) {
        self.environment = environment
        self.deathSignalWrapper = useDeathSignal ? ExecutableLocator.find("setpriv", environment: environment) : nil
        self.logger = logger
    }

    public static let silentLogger = Logger(label: "kube9.silent", factory: { _ in SwiftLogNoOpLogHandler() })

    /// What swift-subprocess does if the task running a child is cancelled: the same stop, to the whole group.
    static let stopSequence: [TeardownStep] = [
        .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: ProcessGroup.gracePeriod)
    ]

    /// Runs `executable arguments` to its end, collecting its output; stopped and `.timedOut` after `timeout`.
    /// Its stderr is read as it comes: a line asking the person to log in (``CredentialPrompt``, a credential
    /// plugin's URL or code) goes to `onPrompt` at once and gives the run up to ``CredentialPrompt/loginWait``.
    public func collect(
        executable: String, arguments: [String], timeout: Duration,
        onPrompt: (@Sendable (String) -> Void)? = nil
    ) async throws(ProcessRunError) -> Collected {
        let configuration = try configuration(executable: executable, arguments: arguments)
        let limit = outputLimit
        logger.debug("run", metadata: ["argv": "\(([executable] + arguments).joined(separator: " "))"])
        enum Outcome: Sendable {
            case finished(Collected)
            case failed(ProcessRunError)
            case deadline
        }
        await guardian.ensureRunning()
        let processGroup = ProcessGroup(guardian: guardian)
        let deadline = MovableDeadline(ContinuousClock.now + timeout)
        let logger = self.logger
        let outcome: Outcome = await withTaskGroup(of: Outcome.self) { group in
            group.addTask {
                do {
                    let result = try await Subprocess.run(
                        configuration, input: .none, output: .bytes(limit: limit), error: .sequence
                    ) { execution in
                        processGroup.attach(leader: execution.processIdentifier.value)
                        var standardError: [UInt8] = []
                        var lines = LineSplitter()
                        for try await chunk in execution.standardError {
                            let bytes = chunk.withUnsafeBytes { Array($0) }
                            if standardError.count < Self.standardErrorLimit { standardError += bytes }
                            for line in lines.append(bytes) where CredentialPrompt.isPrompt(line) {
                                logger.info("credential plugin asks for a login", metadata: ["line": "\(line)"])
                                deadline.extend(to: ContinuousClock.now + CredentialPrompt.loginWait)
                                onPrompt?(line)
                            }
                        }
                        return standardError
                    }
                    return .finished(
                        Collected(
                            exit: ProcessExit(result.terminationStatus), standardOutput: result.standardOutput,
                            standardError: String(decoding: result.closureResult, as: UTF8.self)))
                } catch {
                    return .failed(Self.classify(error, executable: executable))
                }
            }
            group.addTask {
                // The deadline may move later while sleeping (a login prompt): sleep again until it has passed.
                while true {
                    let until = deadline.instant
                    do { try await Task.sleep(until: until, clock: .continuous) } catch { return .failed(.cancelled) }
                    if deadline.instant <= ContinuousClock.now { return .deadline }
                }
            }
            let first = await group.next() ?? .failed(.cancelled)
            if case .finished = first {
                group.cancelAll()
            } else {
                // Deadline or cancellation: stop the child's whole group and wait for the leader's end.
                processGroup.stop()
            }
            await group.waitForAll()
            await processGroup.finish()
            return first
        }
        switch outcome {
        case .finished(let collected): return collected
        case .failed(let error): throw error
        case .deadline:
            logger.info("deadline passed; stopped", metadata: ["executable": "\(executable)"])
            throw .timedOut
        }
    }

    /// Starts a long-running child; returns once it is spawned. `standardInput` becomes the child's standard input
    /// (closed here once spawned); nil gives it /dev/null.
    public func launch(executable: String, arguments: [String], standardInput: Int32? = nil) async throws(ProcessRunError) -> RunningProcess {
        let configuration = try configuration(executable: executable, arguments: arguments)
        let input = standardInput.map { FileDescriptor(rawValue: $0) } ?? (try? FileDescriptor.open("/dev/null", .readOnly))
        guard let input else { throw .launchFailed("cannot open /dev/null") }
        logger.debug("launch", metadata: ["argv": "\(([executable] + arguments).joined(separator: " "))"])
        let (output, outputSink) = AsyncStream.makeStream(of: RunningProcess.Output.self)
        let (spawned, spawnedSink) = AsyncStream.makeStream(of: Result<Int32, ProcessRunError>.self)
        await guardian.ensureRunning()
        let processGroup = ProcessGroup(guardian: guardian)
        let run = Task<ProcessExit, Never> {
            do {
                let result = try await Subprocess.run(
                    configuration, input: .fileDescriptor(input, closeAfterSpawningProcess: true), output: .sequence, error: .sequence
                ) { execution in
                    processGroup.attach(leader: execution.processIdentifier.value)
                    spawnedSink.yield(.success(execution.processIdentifier.value))
                    spawnedSink.finish()
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask {
                            do {
                                for try await chunk in execution.standardOutput {
                                    outputSink.yield(.standardOutput(chunk.withUnsafeBytes { Array($0) }))
                                }
                            } catch {}
                        }
                        group.addTask {
                            do {
                                for try await chunk in execution.standardError {
                                    outputSink.yield(.standardError(chunk.withUnsafeBytes { Array($0) }))
                                }
                            } catch {}
                        }
                    }
                }
                outputSink.finish()
                await processGroup.finish()
                return ProcessExit(result.terminationStatus)
            } catch {
                spawnedSink.yield(.failure(Self.classify(error, executable: executable)))
                spawnedSink.finish()
                outputSink.finish()
                await processGroup.finish()
                return .unknown
            }
        }
        for await first in spawned {
            switch first {
            case .success(let pid): return RunningProcess(processID: pid, output: output, run: run, group: processGroup)
            case .failure(let error): throw error
            }
        }
        // Cancelled while spawning: make sure a child that did start is stopped before giving up.
        processGroup.stop()
        run.cancel()
        _ = await run.value
        throw .cancelled
    }

    private func configuration(executable: String, arguments: [String]) throws(ProcessRunError) -> Configuration {
        guard let resolved = ExecutableLocator.find(executable, environment: environment) else {
            throw .executableNotFound(executable)
        }
        var options = PlatformOptions()
        options.teardownSequence = Self.stopSequence
        options.processGroupID = 0
        var overrides: [Environment.Key: String?] = [:]
        for (key, value) in environment { overrides[Environment.Key(stringLiteral: key)] = value }
        let env = Environment.inherit.updating(overrides)
        if let wrapper = deathSignalWrapper {
            return Configuration(
                executable: .path(FilePath(wrapper)),
                arguments: Arguments(["--pdeathsig", "KILL", "--", resolved] + arguments),
                environment: env, platformOptions: options)
        }
        return Configuration(
            executable: .path(FilePath(resolved)), arguments: Arguments(arguments), environment: env,
            platformOptions: options)
    }

    private static func classify(_ error: any Error, executable: String) -> ProcessRunError {
        if error is CancellationError { return .cancelled }
        if let error = error as? SubprocessError {
            if error.code == .executableNotFound { return .executableNotFound(executable) }
            if let underlying = error.underlyingError, underlying == .noSuchFileOrDirectory || underlying == .permissionDenied {
                return .executableNotFound(executable)
            }
            return .launchFailed("\(error)")
        }
        return .launchFailed("\(error)")
    }
}

/// A run's deadline, which a login prompt may move later (never earlier).
private final class MovableDeadline: Sendable {
    private let value: Mutex<ContinuousClock.Instant>

    init(_ instant: ContinuousClock.Instant) { value = Mutex(instant) }

    var instant: ContinuousClock.Instant { value.withLock { $0 } }

    func extend(to instant: ContinuousClock.Instant) { value.withLock { $0 = max($0, instant) } }
}

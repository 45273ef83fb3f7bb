import Foundation
import Logging
import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// The one place kube9 starts child processes (always an argv array, never a shell). Every child:
/// - gets the parent-death signal SIGKILL through `setpriv --pdeathsig KILL --` when setpriv exists, so it
///   dies with kube9 even when kube9 is SIGKILLed (swift-subprocess forks from one long-lived thread, so the
///   signal is not sent early when some other thread exits);
/// - runs in its own process group, so a terminal's Ctrl-C reaches kube9, which then stops it deliberately;
/// - is stopped by SIGTERM, then SIGKILL 1 s later, when the task running it is cancelled or times out.
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
    /// The most a read call may print (5,000 pods are ~20 MB).
    public var outputLimit = 512 * 1024 * 1024

    public init(environment: [String: String] = [:], useDeathSignal: Bool = true, logger: Logger = ProcessRunner.silentLogger) {
        self.environment = environment
        self.deathSignalWrapper = useDeathSignal ? ExecutableLocator.find("setpriv", environment: environment) : nil
        self.logger = logger
    }

    public static let silentLogger = Logger(label: "kube9.silent", factory: { _ in SwiftLogNoOpLogHandler() })

    static let stopSequence: [TeardownStep] = [.gracefulShutDown(allowedDurationToNextStep: .seconds(1))]

    /// Runs `executable arguments` to its end, collecting its output; stopped and `.timedOut` after `timeout`.
    public func collect(executable: String, arguments: [String], timeout: Duration) async throws(ProcessRunError) -> Collected {
        let configuration = try configuration(executable: executable, arguments: arguments)
        let limit = outputLimit
        logger.debug("run", metadata: ["argv": "\(([executable] + arguments).joined(separator: " "))"])
        enum Outcome: Sendable {
            case finished(Collected)
            case failed(ProcessRunError)
            case deadline
        }
        let outcome: Outcome = await withTaskGroup(of: Outcome.self) { group in
            group.addTask {
                do {
                    let result = try await Subprocess.run(
                        configuration, input: .none, output: .bytes(limit: limit), error: .bytes(limit: 1024 * 1024))
                    return .finished(
                        Collected(
                            exit: ProcessExit(result.terminationStatus), standardOutput: result.standardOutput,
                            standardError: String(decoding: result.standardError, as: UTF8.self)))
                } catch {
                    return .failed(Self.classify(error, executable: executable))
                }
            }
            group.addTask {
                do { try await Task.sleep(for: timeout) } catch { return .failed(.cancelled) }
                return .deadline
            }
            let first = await group.next() ?? .failed(.cancelled)
            group.cancelAll()
            await group.waitForAll()
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

    /// Starts a long-running child; returns once it is spawned.
    public func launch(executable: String, arguments: [String]) async throws(ProcessRunError) -> RunningProcess {
        let configuration = try configuration(executable: executable, arguments: arguments)
        logger.debug("launch", metadata: ["argv": "\(([executable] + arguments).joined(separator: " "))"])
        let (output, outputSink) = AsyncStream.makeStream(of: RunningProcess.Output.self)
        let (spawned, spawnedSink) = AsyncStream.makeStream(of: Result<Int32, ProcessRunError>.self)
        let run = Task<ProcessExit, Never> {
            do {
                let result = try await Subprocess.run(
                    configuration, input: .none, output: .sequence, error: .sequence
                ) { execution in
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
                return ProcessExit(result.terminationStatus)
            } catch {
                spawnedSink.yield(.failure(Self.classify(error, executable: executable)))
                spawnedSink.finish()
                outputSink.finish()
                return .unknown
            }
        }
        for await first in spawned {
            switch first {
            case .success(let pid): return RunningProcess(processID: pid, output: output, run: run)
            case .failure(let error): throw error
            }
        }
        // Cancelled while spawning: make sure a child that did start is stopped before giving up.
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

/// Runs a command to completion; on the deadline the process is killed and the call throws with its output.
public func runProcess(_ argv: [String], environment: [String: String]? = nil, timeout: Duration) async throws -> ProcessResult {
    let process = try SpawnedProcess.start(argv: argv, env: environment)
    do {
        return try await process.waitForExit(timeout: timeout)
    } catch {
        process.kill()
        _ = try? await process.waitForExit(timeout: .seconds(5))
        throw error
    }
}

/// Polls `condition` every 20 ms until it holds; throws naming `what` at the deadline.
public func eventually(
    _ what: String, timeout: Duration, _ condition: @Sendable () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return }
        if ContinuousClock.now >= deadline { throw TestSupportError("timed out after \(timeout) waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}

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

import Foundation

/// Checks `condition` every 20 ms until it holds or `timeout` passes; returns whether it held (a last check at the
/// deadline). The one polling helper of the tests: `#expect(await pollUntil { … }, "what")`, or
/// `try #require(await pollUntil { … }, "what")` where the test cannot go on without it.
public func pollUntil(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

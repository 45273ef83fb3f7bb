import Foundation
import Kube9Kit
import Logging
import Synchronization
import Testing

/// The control socket in-process: the protocol, bounded lines, the status line.
@Suite(.timeLimit(.minutes(1)))
struct ControlSocketTests {
    static let record = ForwardRecord(
        id: "ctx/ns/web-0:18080:80", target: ForwardTarget(context: "ctx", namespace: "ns", name: "web-0"), localPort: 18080,
        remotePort: 80, status: .connected, startTime: Date(timeIntervalSinceNow: -65), connectionCount: 3,
        bytesIn: 146, bytesOut: 4_100, onDemand: true, backendRunning: true)

    final class Stops: Sendable {
        let ids = Mutex<[String]>([])
    }

    static func withServer(_ body: (ControlServer, ControlDirectory, Stops) async throws -> Void) async throws {
        // `record` is made on first use: before any request, so that its start is 65 s before the server's `now`.
        let record = Self.record
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kube9-ctl-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let directory = ControlDirectory(environment: ["XDG_RUNTIME_DIR": path])
        let stops = Stops()
        let actions = ControlActions(
            forwards: { [record] },
            stop: { id in
                stops.ids.withLock { $0.append(id) }
                return nil
            },
            start: nil)
        let server = try await ControlServer.start(
            kind: .up, actions: actions, directory: directory, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        defer { server.stop() }
        try await body(server, directory, stops)
    }

    /// The client blocks in recv(2): off the cooperative pool, which answers the request in this process.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }

    static func request(_ request: ControlRequest, _ server: ControlServer) async throws -> ControlResponse {
        let path = server.socketPath
        return try await offPool { Result { () throws(ControlError) in try ControlClient.request(request, socket: path, timeout: .seconds(20)) } }.get()
    }

    @Test func aListShowsTheRecordAndTheInstance() async throws {
        try await Self.withServer { server, directory, _ in
            var info = stat()
            #expect(stat(directory.path, &info) == 0 && info.st_mode & 0o777 == 0o700)
            #expect(stat(server.socketPath, &info) == 0 && info.st_mode & 0o777 == 0o600)
            let replies = await Self.offPool { ControlClient.broadcast(ControlRequest(op: .list), directory: directory, timeout: .seconds(20)) }
            #expect(replies.count == 1)
            let response = try #require(try replies.first?.result.get())
            #expect(response.ok && response.instance?.pid == getpid() && response.instance?.kind == .up)
            let forward = try #require(response.forwards?.first)
            #expect(forward.localPort == 18080 && forward.target == "pod/web-0" && forward.state == "connected")
            #expect(forward.connections == 3 && forward.uptimeSeconds >= 65 && forward.onDemand)
            #expect(forward.bytesIn == 146 && forward.bytesOut == 4_100)
            #expect(forward.label == "localhost:18080 → ns/web-0:80")
        }
    }

    @Test func stopStopsOnlyTheGivenPortsAndStartIsRefusedWhenNotTaken() async throws {
        try await Self.withServer { server, directory, stops in
            let other = try await Self.request(ControlRequest(op: .stop, ports: [9]), server)
            #expect(other.ok && other.forwards == [] && stops.ids.withLock { $0 }.isEmpty)
            let mine = try await Self.request(ControlRequest(op: .stop, ports: [18080]), server)
            #expect(mine.forwards?.map(\.localPort) == [18080] && stops.ids.withLock { $0 } == [Self.record.id])
            let request = ForwardRequest(context: "c", namespace: "n", name: "p", localPort: 1, remotePort: 2)
            let start = try await Self.request(
                ControlRequest.start(request), server)
            #expect(!start.ok && start.error?.contains("does not take attached forwards") == true)
            var future = ControlRequest(op: .list)
            future.v = 2
            let newer = try await Self.request(future, server)
            #expect(!newer.ok && newer.error?.contains("unsupported protocol version 2") == true)
        }
    }

    @Test func statusLineCountsConnectedAndFailing() {
        func forward(_ status: ForwardStatus) -> ControlForward {
            var record = Self.record
            record.status = status
            return ControlForward(record, now: Date())
        }
        #expect(StatusLine(forwards: [], instances: 2).render(format: nil) == "")
        #expect(StatusLine(forwards: [], instances: 2).render(format: "{total}") == "")
        let three = StatusLine(forwards: [forward(.connected), forward(.connected), forward(.connected)], instances: 1)
        #expect(three.render(format: nil) == "⇄ 3")
        let mixed = StatusLine(forwards: [forward(.connected), forward(.connected), forward(.reconnecting), forward(.connecting)], instances: 2)
        #expect(mixed.render(format: nil) == "⇄ 2 !1")
        #expect(mixed.render(format: "{connected}/{total} !{failing} in {instances}") == "2/4 !1 in 2")
    }
}

import Foundation
@testable import Kube9Kit
import Kube9TestSupport
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
            let response = try #require(replies.first?.response)
            #expect(response.ok && response.instance?.pid == getpid() && response.instance?.kind == .up)
            let forward = try #require(response.forwards?.first)
            #expect(forward.localPort == 18080 && forward.target == "pod/web-0" && forward.state == "connected")
            #expect(forward.connections == 3 && forward.uptimeSeconds >= 65 && forward.onDemand)
            #expect(forward.bytesIn == 146 && forward.bytesOut == 4_100)
            #expect(forward.label == "localhost:18080 → ns/web-0:80")
        }
    }

    /// A stopped process behind a listening `<pid>.sock` is a suspended kube9: named at once, not waited for. A
    /// stopped process behind a socket nobody listens on (a dead kube9's, its pid taken since) is no kube9.
    @Test func aStoppedProcessIsSuspendedOnlyWhenItsSocketListens() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kube9-ctl-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let directory = ControlDirectory(environment: [ControlDirectory.overrideVariable: path])
        try directory.prepare()
        let listening = try SpawnedProcess.start(argv: ["/bin/sleep", "30"])
        let stale = try SpawnedProcess.start(argv: ["/bin/sleep", "30"])
        defer {
            listening.kill()
            stale.kill()
        }
        listening.signal(SIGSTOP)
        stale.signal(SIGSTOP)
        #expect(await pollUntil { ProcessStat(pid: listening.pid)?.state == "T" && ProcessStat(pid: stale.pid)?.state == "T" })
        let listener = try Self.unixSocket(at: directory.socketPath(pid: listening.pid), listens: true)
        let dead = try Self.unixSocket(at: directory.socketPath(pid: stale.pid), listens: false)
        defer {
            close(listener)
            close(dead)
        }
        let started = ContinuousClock.now
        let replies = await Self.offPool { ControlClient.broadcast(ControlRequest(op: .list), directory: directory, timeout: .seconds(20)) }
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(replies.map(\.pid) == [listening.pid])
        guard case .suspended = replies.first?.outcome else {
            Issue.record("expected suspended, got \(String(describing: replies.first?.outcome))")
            return
        }
        // Asked again and again (a status line every 2 s), it stays named: nothing waits in its backlog (8 here).
        let again = await Self.offPool {
            (0..<20).map { _ in ControlClient.broadcast(ControlRequest(op: .list), directory: directory).map(\.pid) }
        }
        #expect(again.allSatisfy { $0 == [listening.pid] })
    }

    /// A Unix socket bound at `path`, listening or not (a dead process's socket file).
    static func unixSocket(at path: String, listens: Bool) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8))
            raw[path.utf8.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0, "bind \(path)")
        if listens { try #require(listen(fd, 8) == 0) }
        return fd
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

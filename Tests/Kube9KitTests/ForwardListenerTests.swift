import Foundation
import Glibc
import Kube9TestSupport
import Synchronization
import Testing

@testable import Kube9Kit

/// kube9's listener and relay on their own, with a plain echo server as the backend and no manager: what it does
/// on the event loop when a backend is published (the fast path), when none is (the lifecycle decides), and when
/// the published one refuses.
struct ForwardListenerTests {
    /// The listener with a recorder of its wake-ups in place of a manager (one that never takes its events is a
    /// busy manager).
    private static func listen(backend: Int?) async throws -> (ForwardListener, RelayActivity, SharedCount) {
        let wakes = SharedCount()
        let activity = RelayActivity {}
        let listener = try await ForwardListener.bind(address: "127.0.0.1", port: freeTCPPort(), activity: activity) {
            wakes.add()
        }
        // This process stands for the backend's kubectl: it runs.
        listener.publishBackend(backend.map { ($0, getpid()) })
        return (listener, activity, wakes)
    }

    /// Takes the listener's events until `done` says enough (or the deadline: generous, the whole suite runs in
    /// parallel on two cores).
    private static func events(
        of listener: ForwardListener, until done: ([ForwardListener.Event]) -> Bool
    ) async -> [ForwardListener.Event] {
        var events: [ForwardListener.Event] = []
        _ = await pollUntil(timeout: .seconds(60)) {
            events += listener.takeEvents()
            return done(events)
        }
        return events
    }

    @Test func aConnectionIsRelayedToThePublishedBackendWhileNobodyTakesTheEvents() async throws {
        let backend = try EchoServer()
        defer { backend.close() }
        let (listener, activity, wakes) = try await Self.listen(backend: backend.port)
        let payload = Array(repeating: Array("kube9 fast path\n".utf8), count: 4096).flatMap { $0 }
        let echoed = try await tcpRoundTrip(port: try #require(listener.port), sending: payload, timeout: .seconds(60))
        #expect(echoed == payload)
        #expect(activity.read() == RelayActivity.Totals(bytesIn: Int64(payload.count), bytesOut: Int64(payload.count)))
        // Nobody took the events: one wake-up so far, however many wait.
        #expect(wakes.value == 1)
        let events = await Self.events(of: listener) { $0.count >= 2 }
        #expect(events.map(\.summary) == ["relayed #1", "closed #1"])
        await listener.close()
    }

    @Test func withNoBackendPublishedAConnectionWaitsForTheLifecycleAndLosesNothing() async throws {
        let backend = try EchoServer()
        defer { backend.close() }
        let (listener, activity, _) = try await Self.listen(backend: nil)
        let payload = Array("held, then served".utf8)
        let port = try #require(listener.port)
        let client = Task { try await tcpRoundTrip(port: port, sending: payload, timeout: .seconds(60)) }
        let events = await Self.events(of: listener) { !$0.isEmpty }
        guard case .accepted(let connection, let channel) = try #require(events.first) else {
            Issue.record("expected an accepted connection, got \(events.map(\.summary))")
            return
        }
        // The client has sent all and ended its input: NIO reads that even from a connection that is not read
        // (held); the relay keeps it for the backend, and nothing of it is lost.
        #expect(activity.read().bytesIn <= Int64(payload.count))
        listener.relay(channel, connection: connection, toPort: backend.port)
        #expect(try await client.value == payload)
        await listener.close()
    }

    @Test func aConnectionTheBackendRefusesIsHandedBackOpenAndServedByTheNext() async throws {
        let backend = try EchoServer()
        defer { backend.close() }
        // A port nothing listens on: the published backend's kubectl is gone.
        let (listener, _, _) = try await Self.listen(backend: freeTCPPort())
        let payload = Array("refused, then served".utf8)
        let port = try #require(listener.port)
        let client = Task { try await tcpRoundTrip(port: port, sending: payload, timeout: .seconds(60)) }
        let events = await Self.events(of: listener) { $0.count >= 2 }
        #expect(events.map(\.summary) == ["relayed #1", "refused #1"])
        guard events.count == 2, case .refused(let connection, let channel) = events[1] else { return }
        listener.relay(channel, connection: connection, toPort: backend.port)
        #expect(try await client.value == payload)
        await listener.close()
    }

    /// A backend that ends (a plain end of input) a connection whose client has sent nothing yet (a protocol where
    /// the server speaks first): nothing can have reached the pod, so the connection is handed back and the next
    /// backend serves it.
    @Test func aConnectionTheBackendEndsBeforeTheClientSentIsHandedBackAndServedByTheNext() async throws {
        let ending = try LoopbackTestServer { Glibc.close($0) }
        defer { ending.close() }
        let greeting = Array("greeting\n".utf8)
        let greeter = try LoopbackTestServer { client in
            _ = greeting.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            Glibc.close(client)
        }
        defer { greeter.close() }
        let (listener, _, _) = try await Self.listen(backend: ending.port)
        let port = try #require(listener.port)
        let client = Task { try LoopbackSocket(port: port, timeout: .seconds(5)).receiveAll() }
        let events = await Self.events(of: listener) { $0.count >= 2 }
        #expect(events.map(\.summary) == ["relayed #1", "refused #1"])
        guard events.count == 2, case .refused(let connection, let channel) = events[1] else { return }
        listener.relay(channel, connection: connection, toPort: greeter.port)
        #expect(try await client.value == greeting)
        await listener.close()
    }

    /// A request the backend has read may have reached the pod: when the backend then ends without answering, the
    /// connection ends with it (never sent twice).
    @Test func aRequestTheBackendReadAndEndedUnansweredIsNotSentAgain() async throws {
        let ending = try OneRequestServer(answer: nil)
        defer { ending.close() }
        let (listener, _, _) = try await Self.listen(backend: ending.port)
        let port = try #require(listener.port)
        await #expect(throws: (any Error).self) { try await httpGet(port: port, timeout: .seconds(60)) }
        let events = await Self.events(of: listener) { $0.count >= 2 }
        #expect(events.map(\.summary) == ["relayed #1", "closed #1"])
        #expect(ending.requests == 1)
        await listener.close()
    }

    /// Once a backend has answered, its end is the client's: no hand-back.
    @Test func aBackendThatAnsweredEndsTheConnectionAsUsual() async throws {
        let answering = try OneRequestServer(answer: "answered")
        defer { answering.close() }
        let (listener, _, _) = try await Self.listen(backend: answering.port)
        #expect(try await httpGet(port: try #require(listener.port), timeout: .seconds(60)).body == "answered")
        let events = await Self.events(of: listener) { $0.count >= 2 }
        #expect(events.map(\.summary) == ["relayed #1", "closed #1"])
        await listener.close()
    }

    /// The published backend's kubectl has died and the manager has not heard yet (it is not even reaped): its port
    /// may be anyone's by now (here it is still a listening echo server's), so a new connection is not relayed there
    /// but handed to the lifecycle, and a lifecycle that still relays it there gets it back.
    @Test func aConnectionAfterTheBackendsKubectlDiedIsHandedToTheLifecycle() async throws {
        let backend = try EchoServer()
        defer { backend.close() }
        let next = try EchoServer()
        defer { next.close() }
        // A child of this process that holds no descriptor of it (other tests' listening sockets among them).
        let kubectl = try SpawnedProcess.start(argv: ["/bin/sleep", "60"])
        let pid = kubectl.pid
        let (listener, _, _) = try await Self.listen(backend: nil)
        listener.publishBackend((backend.port, pid))
        let port = try #require(listener.port)
        let payload = Array("through the running backend".utf8)
        #expect(try await tcpRoundTrip(port: port, sending: payload, timeout: .seconds(60)) == payload)

        kill(pid, SIGKILL)
        // Dead (a zombie, or reaped already: the pidfd taken while it ran says so either way).
        #expect(await pollUntil(timeout: .seconds(30)) { !kubectl.isRunning || Self.isZombie(pid) })
        let client = Task { try await tcpRoundTrip(port: port, sending: payload, timeout: .seconds(60)) }
        let events = await Self.events(of: listener) { $0.contains { $0.summary.hasSuffix("#2") } }
        let second = events.filter { $0.summary.hasSuffix("#2") }
        #expect(second.map(\.summary) == ["accepted #2"])
        if case .accepted(let connection, let channel) = second.first {
            listener.relay(channel, connection: connection, toPort: backend.port)
            let refused = await Self.events(of: listener) { $0.contains { $0.summary.hasSuffix("#2") } }
            #expect(refused.map(\.summary).filter { $0.hasSuffix("#2") } == ["refused #2"])
            listener.relay(channel, connection: connection, toPort: next.port)
            #expect(try await client.value == payload)
        }
        await listener.close()
    }

    private static func isZombie(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[stat.index(close, offsetBy: 2)] == "Z"
    }

    @Test func closingTheListenerClosesItsConnectionsAndFreesThePort() async throws {
        let (listener, _, _) = try await Self.listen(backend: nil)
        let port = try #require(listener.port)
        let client = Task { try await tcpRoundTrip(port: port, sending: Array("x".utf8), timeout: .seconds(60)) }
        _ = await Self.events(of: listener) { !$0.isEmpty }
        await listener.close()
        // Closed unread: an end of input or a reset, never an answer.
        #expect((try? await client.value)?.isEmpty ?? true, "the held connection was closed")
        #expect(LocalPortProbe().availability(of: port) == .free)
    }
}

/// A count shared across threads (how many times the listener woke its absent manager, how many requests a test
/// server read).
final class SharedCount: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

extension ForwardListener.Event {
    var summary: String {
        switch self {
        case .accepted(let connection, _): "accepted \(connection)"
        case .relayed(let connection): "relayed \(connection)"
        case .refused(let connection, _): "refused \(connection)"
        case .closed(let connection): "closed \(connection)"
        }
    }
}

/// A loopback echo server on a port of its own: each connection gets back what it sent, once it has sent all.
final class EchoServer: Sendable {
    private let server: LoopbackTestServer
    var port: Int { server.port }

    init() throws {
        server = try LoopbackTestServer { Self.echo($0) }
    }

    private static func echo(_ client: Int32) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        var offset = 0
        while offset < received.count {
            let written = received[offset...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            if written <= 0 { break }
            offset += written
        }
        Glibc.close(client)
    }

    func close() { server.close() }
}

/// A loopback HTTP server on a port of its own: it reads each connection's request to its blank line, then answers
/// `answer` (200, `Connection: close`) and closes, or, with no answer, closes having read it (an end of input, not a
/// reset).
final class OneRequestServer: Sendable {
    private let server: LoopbackTestServer
    private let served: SharedCount
    var port: Int { server.port }

    init(answer: String?) throws {
        let served = SharedCount()
        self.served = served
        server = try LoopbackTestServer { Self.serve($0, answer: answer, served: served) }
    }

    /// Connections whose request was read whole.
    var requests: Int { served.value }

    private static func serve(_ client: Int32, answer: String?, served: SharedCount) {
        defer { Glibc.close(client) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !received.ends(with: Array("\r\n\r\n".utf8)) {
            let count = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
            if count <= 0 { return }
            received += buffer[0..<count]
        }
        served.add()
        guard let answer else { return }
        let response = Array("HTTP/1.1 200 OK\r\nContent-Length: \(answer.utf8.count)\r\nConnection: close\r\n\r\n\(answer)".utf8)
        var offset = 0
        while offset < response.count {
            let written = response[offset...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            offset += written
        }
    }

    func close() { server.close() }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}

/// A loopback TCP server on a port of its own for the relay's tests: each accepted connection goes to `serve` on a
/// thread of its own.
final class LoopbackTestServer: Sendable {
    let port: Int
    private let socket: Int32

    init(serve: @escaping @Sendable (Int32) -> Void) throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let port = freeTCPPort()
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            Glibc.close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        self.port = port
        self.socket = fd
        Thread {
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                Thread { serve(client) }.start()
            }
        }.start()
    }

    func close() {
        shutdown(socket, Int32(SHUT_RDWR))
        Glibc.close(socket)
    }
}

import Foundation
import Glibc
import Kube9TestSupport
import Synchronization
import Testing

@testable import Kube9Kit

/// The forward holder in this process (``ForwardHolder/serve(control:)`` on a thread of its own), driven over its
/// socket pair as kube9 drives `kube9 hold`, with a echo server as the backend: a listening socket handed
/// over is served; after `release` new connections wait for the socket's owner while the held one carries on, and
/// the holder returns once it closes; kube9's end closing ends it at once.
@Suite(.timeLimit(.minutes(2)))
struct ForwardHolderTests {
    @Test func aListenerHandedOverIsServedAndReleasedOnceItsLastConnectionCloses() async throws {
        let backend = try ImmediateEcho()
        defer { backend.close() }
        let listener = try TestListener()
        defer { listener.close() }
        let holder = try await RunningHolder.start(handing: [listener], backendPort: backend.port)

        // Served by the holder (nobody else accepts on the socket).
        let payload = Array("through the holder\n".utf8)
        #expect(try await tcpRoundTrip(port: listener.port, sending: payload, timeout: .seconds(30)) == payload)
        // A connection that stays open across the release.
        let kept = try TestClient(port: listener.port)
        defer { kept.close() }
        #expect(try kept.roundTrip("before") == "before")

        holder.send(HolderSocket.release)
        #expect(await holder.reply() == HolderSocket.released)
        // New connections are no longer the holder's: they wait in the backlog for the socket's owner.
        let waiting = try TestClient(port: listener.port)
        defer { waiting.close() }
        #expect(listener.acceptsWithin(.seconds(10)))
        // The held connection carries on, and the holder is still there for it.
        #expect(try kept.roundTrip("after") == "after")
        #expect(!holder.hasReturned)
        kept.close()
        #expect(await holder.returned(within: .seconds(10)))
    }

    @Test func theHolderEndsAtOnceWhenKube9Goes() async throws {
        let backend = try ImmediateEcho()
        defer { backend.close() }
        let listener = try TestListener()
        defer { listener.close() }
        let holder = try await RunningHolder.start(handing: [listener], backendPort: backend.port)
        let open = try TestClient(port: listener.port)
        defer { open.close() }
        #expect(try open.roundTrip("hello") == "hello")
        holder.closeKube9End()
        #expect(await holder.returned(within: .seconds(10)))
        #expect(open.readsEndOfFile())
    }

    @Test func listeningSocketsAreFoundByPortAndDuplicated() throws {
        let held = try HeldPort()
        defer { held.close() }
        let found = ListeningSockets.duplicates(onPorts: [held.port])
        defer { for socket in found { close(socket.descriptor) } }
        #expect(found.count == 1, "\(found)")
        let duplicate = try #require(found.first?.descriptor)
        #expect(ListeningSockets.listeningPort(duplicate) == held.port)
        // A connection accepted through the duplicate is a socket on that port too, but no listener.
        let client = try TestClient(port: held.port)
        defer { client.close() }
        let accepted = accept(duplicate, nil, nil)
        defer { close(accepted) }
        #expect(accepted >= 0)
        let again = ListeningSockets.duplicates(onPorts: [held.port])
        for socket in again { close(socket.descriptor) }
        // The listener and its first duplicate: the same socket, found under both numbers.
        #expect(again.count == 2, "\(again)")
        #expect(ListeningSockets.duplicates(onPorts: [freeTCPPort()]).isEmpty)
    }
}

/// ``ForwardHolder/serve(control:)`` on a thread, with kube9's end of its socket pair.
private final class RunningHolder: Sendable {
    private let kube9: Int32
    private let finished = Atomic(false)

    private init(kube9: Int32, holder: Int32) {
        self.kube9 = kube9
        Thread {
            ForwardHolder.serve(control: holder)
            close(holder)
            self.finished.store(true, ordering: .releasing)
        }.start()
    }

    /// Hands `listeners` over (the holder gets its own descriptors) and waits for `ready`.
    static func start(handing listeners: [TestListener], backendPort: Int) async throws -> RunningHolder {
        let pair = try #require(HolderSocket.pair())
        let holder = RunningHolder(kube9: pair.kube9, holder: pair.holder)
        for listener in listeners {
            holder.send("\(HolderSocket.listen) \(backendPort)", descriptor: listener.descriptor)
        }
        holder.send(HolderSocket.serve)
        #expect(await holder.reply() == HolderSocket.ready)
        return holder
    }

    /// The holder's next message.
    func reply() async -> String? {
        let kube9 = self.kube9
        return await Task.detached { HolderSocket.receive(on: kube9)?.text }.value
    }

    func send(_ text: String, descriptor: Int32? = nil) {
        #expect(HolderSocket.send(text, descriptor: descriptor, on: kube9))
    }

    func closeKube9End() { close(kube9) }

    var hasReturned: Bool { finished.load(ordering: .acquiring) }

    func returned(within timeout: Duration) async -> Bool {
        await pollUntil(timeout: timeout) { self.hasReturned }
    }
}

/// A listening socket on 127.0.0.1 (``HeldPort``) that accepts only when asked (what kube9's own listener is
/// while it is stopped), through a descriptor of its own.
private final class TestListener: Sendable {
    private let held: HeldPort
    let descriptor: Int32
    var port: Int { held.port }

    init() throws {
        held = try HeldPort()
        descriptor = try #require(ListeningSockets.duplicates(onPorts: [held.port]).first?.descriptor)
    }

    /// Whether a connection waits to be accepted within `timeout` (it is accepted and closed).
    func acceptsWithin(_ timeout: Duration) -> Bool {
        var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&ready, 1, Int32(timeout.components.seconds * 1000)) == 1 else { return false }
        let client = accept(descriptor, nil, nil)
        guard client >= 0 else { return false }
        Glibc.close(client)
        return true
    }

    func close() {
        held.close()
        Glibc.close(descriptor)
    }
}

/// A connection to 127.0.0.1 kept open between exchanges.
final class TestClient: Sendable {
    private let socket: LoopbackSocket

    init(port: Int) throws {
        socket = try LoopbackSocket(port: port, timeout: .seconds(60))
    }

    /// Sends `text` and reads as many bytes back (the connection stays open).
    func roundTrip(_ text: String) throws -> String {
        let bytes = Array(text.utf8)
        try socket.send(bytes)
        return String(decoding: try socket.receiveAll { $0.count >= bytes.count }, as: UTF8.self)
    }

    /// Whether the peer has closed its side with nothing more sent.
    func readsEndOfFile() -> Bool {
        (try? socket.receiveAll()) == []
    }

    /// Ends the connection (the descriptor is closed with this object).
    func close() { socket.shutdownBoth() }

    deinit { socket.close() }
}

/// An echo server that answers each read at once (the connection stays open as long as its client's).
final class ImmediateEcho: Sendable {
    private let listener: TestListener
    var port: Int { listener.port }

    init() throws {
        listener = try TestListener()
        Thread { [listener] in
            while true {
                let client = accept(listener.descriptor, nil, nil)
                guard client >= 0 else { return }
                Thread { Self.echo(client) }.start()
            }
        }.start()
    }

    private static func echo(_ client: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            var offset = 0
            while offset < count {
                let written = buffer[offset..<count].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
                if written <= 0 { break }
                offset += written
            }
        }
        Glibc.close(client)
    }

    func close() {
        shutdown(listener.descriptor, Int32(SHUT_RDWR))
        listener.close()
    }
}

import Foundation
import Glibc
import Kube9TestSupport
import Testing

@testable import Kube9Kit

/// kube9's side of the handover with the real `kube9 hold` (the built binary, started through the ProcessRunner
/// with the socket pair as its standard input): the held port is answered by the holder, which exits once released
/// and idle; a holder that never says `ready` is an error and is not left running.
@Suite(.timeLimit(.minutes(2)))
struct ForwardHandoverTests {
    @Test func theHolderAnswersAHandedOverPortAndExitsOnceReleased() async throws {
        let backend = try ImmediateEcho()
        defer { backend.close() }
        let held = try HeldPort()
        defer { held.close() }
        let handover = ForwardHandover(
            runner: ProcessRunner(), executable: try BuiltExecutables.path(of: "kube9"), logger: ProcessRunner.silentLogger)
        try await handover.hold([ForwardHandover.Target(localPort: held.port, backendPort: backend.port)])
        let holders = handover.processIDs
        #expect(holders.count == 1)
        // Nobody in this process accepts on the port: the holder does.
        let client = try TestClient(port: held.port)
        #expect(try client.roundTrip("held") == "held")
        #expect(await handover.release() == [held.port])
        #expect(try client.roundTrip("still held") == "still held")
        #expect(handover.processIDs == holders)
        client.close()
        #expect(await pollUntil(timeout: .seconds(20)) { handover.processIDs.isEmpty })
        for pid in holders { #expect(!ProcessTable.isAlive(pid)) }
    }

    @Test func aHolderThatNeverAnswersIsAnErrorAndIsNotLeftRunning() async throws {
        let held = try HeldPort()
        defer { held.close() }
        let handover = ForwardHandover(runner: ProcessRunner(), executable: "/bin/true", logger: ProcessRunner.silentLogger)
        await #expect(throws: KubeError.self) {
            try await handover.hold([ForwardHandover.Target(localPort: held.port, backendPort: 9)])
        }
        #expect(await pollUntil(timeout: .seconds(10)) { handover.processIDs.isEmpty })
    }

    /// Two forwards on one port (other addresses) with other backends: which socket is whose is not known by port,
    /// so neither is handed over (no holder starts; `/bin/false` would fail the hold).
    @Test func aPortTwoForwardsShareWithOtherBackendsIsNotHandedOver() async throws {
        let held = try HeldPort()
        defer { held.close() }
        let handover = ForwardHandover(runner: ProcessRunner(), executable: "/bin/false", logger: ProcessRunner.silentLogger)
        try await handover.hold([
            ForwardHandover.Target(localPort: held.port, backendPort: 9),
            ForwardHandover.Target(localPort: held.port, backendPort: 10),
        ])
        #expect(handover.processIDs.isEmpty)
    }

    @Test func withNoListenerToHandOverNoHolderStarts() async throws {
        let handover = ForwardHandover(runner: ProcessRunner(), executable: "/bin/false", logger: ProcessRunner.silentLogger)
        try await handover.hold([ForwardHandover.Target(localPort: freeTCPPort(), backendPort: 9)])
        #expect(handover.processIDs.isEmpty)
    }
}

/// kube9's own listener while a holder has its sockets: paused, it accepts nothing (another acceptor gets every
/// connection, with no race between the two); resumed, it relays again.
@Suite(.timeLimit(.minutes(2)))
struct ListenerPauseTests {
    @Test func aPausedListenerLeavesConnectionsToAnotherAcceptorAndRelaysAgainOnceResumed() async throws {
        let backend = try ImmediateEcho()
        defer { backend.close() }
        let listener = try await ForwardListener.bind(address: "127.0.0.1", port: freeTCPPort(), activity: RelayActivity {}) {}
        listener.publishBackend((backend.port, getpid()))
        let port = try #require(listener.port)
        let other = try #require(ListeningSockets.duplicates(onPorts: [port]).first?.descriptor)
        defer { close(other) }

        await listener.setAccepting(false)
        let waiting = try TestClient(port: port)
        defer { waiting.close() }
        var ready = pollfd(fd: other, events: Int16(POLLIN), revents: 0)
        #expect(poll(&ready, 1, 10_000) == 1)
        let taken = accept(other, nil, nil)
        #expect(taken >= 0)
        close(taken)

        await listener.setAccepting(true)
        let served = try TestClient(port: port)
        defer { served.close() }
        #expect(try served.roundTrip("relayed again") == "relayed again")
        await listener.close()
    }
}

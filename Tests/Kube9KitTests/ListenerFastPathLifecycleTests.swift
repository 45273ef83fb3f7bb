import Testing

@testable import Kube9Kit

/// The listener's fast path as the lifecycle sees it: a connection the listener relayed by itself to the connected
/// backend (`connectionRelayed`) is one the lifecycle counts as relaying, and falls back to it when refused.
struct ListenerFastPathLifecycleTests {
    @Test func aConnectionTheListenerRelayedIsOpenUntilItEnds() {
        var world = LifecycleWorld.connected()
        let connection = ConnectionID(value: 7)
        world.send(.connectionRelayed(connection))
        #expect(world.state.relaying == [connection] && world.state.held.isEmpty)
        #expect(world.last.isEmpty, "no relay asked for: the listener did it")
        world.send(.relayEnded(connection))
        #expect(world.state.relaying.isEmpty)
    }

    @Test func oneRefusedByADyingBackendIsHeldAndServedByTheNext() {
        var world = LifecycleWorld.connected()
        let connection = ConnectionID(value: 7)
        world.send(.connectionRelayed(connection))
        // The backend died before the manager heard of it: the lifecycle is reconnecting when the refusal comes.
        world.exits()
        world.backendRefuses(connection)
        #expect(world.state.held == [connection] && world.timers[.held(connection)] != nil)
        world.fire(.backoff)
        world.spawnSucceeds()
        world.forwarding(port: 43000)
        #expect(world.relayed[connection] == 43000 && world.state.held.isEmpty)
    }

    @Test func anOnDemandForwardDoesNotGoIdleUnderARelayedConnection() {
        var world = LifecycleWorld.connected()
        world.send(.setOnDemand(true, idleTimeout: LifecycleWorld.idleTimeout))
        #expect(world.timers[.idle] != nil)
        world.send(.connectionRelayed(ConnectionID(value: 7)))
        #expect(world.timers[.idle] == nil)
    }

    @Test func aStoppingForwardIgnoresIt() {
        var world = LifecycleWorld.connected()
        world.send(.stop)
        world.send(.connectionRelayed(ConnectionID(value: 7)))
        #expect(world.state.relaying.isEmpty)
    }
}

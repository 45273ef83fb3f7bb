import Foundation
import Testing

@testable import Kube9Kit

/// An on-demand forward's life with a fake clock and fake processes: idle until a connection, kubectl until the
/// idle timeout, failures of first use reported with the forward idle again.
@Suite struct OnDemandLifecycleTests {
    /// An on-demand forward woken by one connection and connected, that connection relayed.
    static func active() -> (LifecycleWorld, ConnectionID) {
        var world = LifecycleWorld(onDemand: true)
        let connection = world.accept()
        world.spawnSucceeds()
        world.forwarding()
        return (world, connection)
    }

    @Test func anOnDemandStartListensAtOnceWithNoKubectl() {
        let world = LifecycleWorld(onDemand: true)
        #expect(world.state.phase == .idle(ending: nil))
        #expect(world.resolvedStarts == 1 && !world.state.startPending && world.spawns == 0 && !world.spawnPending)
        #expect(world.timers.isEmpty && world.listenerOpen)
        #expect(world.state.record.status == .connected && world.state.record.isAnswering)
        #expect(!world.state.record.backendRunning)
        #expect(world.state.record.onDemandStatus == "on demand • idle")
    }

    @Test func theFirstConnectionStartsKubectlAndIsServedOnceItForwards() {
        var world = LifecycleWorld(onDemand: true)
        let connection = world.accept()
        #expect(world.spawnPending && world.spawns == 1 && world.state.held == [connection])
        #expect(world.timers[.deadline] == world.now + .seconds(10) && world.timers[.held(connection)] != nil)
        #expect(world.state.record.backendRunning && world.state.record.onDemandStatus == "on demand • active")
        // A second connection while kubectl starts waits too; no second kubectl.
        let second = world.accept()
        #expect(world.spawns == 1 && world.state.held == [connection, second])
        world.spawnSucceeds()
        world.forwarding(port: 41000)
        #expect(world.relayed == [connection: 41000, second: 41000] && world.state.held.isEmpty)
        #expect(world.state.relaying == [connection, second] && world.timers.isEmpty)
        #expect(world.resolvedStarts == 1, "the start was answered when the listener opened")
    }

    @Test func kubectlStopsAfterTheIdleTimeoutOnceNoConnectionIsOpenAndThePortStaysOpen() {
        var (world, connection) = Self.active()
        #expect(world.timers[.idle] == nil, "a connection is open")
        world.relayEnds(connection)
        #expect(world.timers[.idle] == world.now + LifecycleWorld.idleTimeout)
        let pid = world.pid!
        world.fire(.idle)
        #expect(world.live[pid] == true && world.state.phase == .idle(ending: .running(pid)))
        #expect(!world.state.record.backendRunning && world.state.record.processId == nil && world.unwatched == 1)
        #expect(world.listenerOpen && world.state.record.isAnswering)
        world.exits(.signaled(15))
        #expect(world.state.phase == .idle(ending: nil) && world.timers.isEmpty && world.finished == nil)
    }

    @Test func aConnectionBeforeTheIdleTimeoutKeepsKubectl() {
        var (world, connection) = Self.active()
        world.relayEnds(connection)
        let next = world.accept()
        #expect(world.timers[.idle] == nil && world.relayed[next] != nil && world.spawns == 1)
        world.relayEnds(next)
        #expect(world.timers[.idle] != nil)
    }

    @Test func aConnectionWhileTheIdleKubectlEndsWaitsForItsExitThenStartsTheNext() {
        var (world, connection) = Self.active()
        world.relayEnds(connection)
        world.fire(.idle)
        let next = world.accept()
        #expect(!world.spawnPending && world.state.held == [next], "one kubectl at a time")
        world.exits(.signaled(15))
        #expect(world.spawnPending && world.spawns == 2)
        world.spawnSucceeds()
        world.forwarding()
        #expect(world.relayed[next] != nil)
    }

    @Test func anIdleForwardIsWokenAgainByTheNextConnection() {
        var (world, connection) = Self.active()
        world.relayEnds(connection)
        world.fire(.idle)
        world.exits(.signaled(15))
        let next = world.accept()
        #expect(world.spawnPending && world.spawns == 2 && world.state.held == [next])
    }

    @Test func aFirstUseThatTimesOutReportsClosesTheConnectionsAndIsIdleAgain() {
        var world = LifecycleWorld(onDemand: true)
        let connection = world.accept()
        world.spawnSucceeds()
        let pid = world.pid!
        world.fire(.deadline)
        #expect(world.reported == [.timedOut] && world.closed == [connection] && world.state.held.isEmpty)
        #expect(world.live[pid] == true && world.state.phase == .idle(ending: .running(pid)))
        #expect(world.listenerOpen && world.finished == nil && world.state.record.isAnswering)
        world.exits(.signaled(15))
        #expect(world.state.phase == .idle(ending: nil) && world.timers.isEmpty)
    }

    @Test func aFirstUseWhoseKubectlFailsReportsItsExitAndNeverHeals() {
        var world = LifecycleWorld(heals: true, onDemand: true)
        let connection = world.accept()
        world.spawnSucceeds()
        world.send(.stderrLine(pid: world.pid!, "error: unable to forward port because pod is not running. Current status=Pending"))
        world.exits(.exited(1))
        #expect(world.reported == [.exited(.exited(1))] && world.closed == [connection])
        #expect(world.state.phase == .idle(ending: nil) && world.spawns == 1 && world.timers.isEmpty)
        #expect(world.state.stderrTail.count == 1, "kept for the report")
    }

    @Test func aFirstUseWhoseSpawnFailsReportsIt() {
        var world = LifecycleWorld(onDemand: true)
        let connection = world.accept()
        world.spawnFails()
        #expect(world.reported == [.failedToStart(KubeError(.kubectlNotFound, Messages.kubectlNotFound))])
        #expect(world.closed == [connection] && world.state.phase == .idle(ending: nil) && world.timers.isEmpty)
    }

    @Test func aFirstUseThatTimesOutWhileSpawningEndsTheProcessOnceItExists() {
        var world = LifecycleWorld(onDemand: true)
        world.accept()
        world.fire(.deadline)
        #expect(world.state.phase == .idle(ending: .spawning))
        world.spawnSucceeds()
        #expect(world.live.values.allSatisfy { $0 } && world.state.phase == .idle(ending: .running(world.pid!)))
        world.exits()
        #expect(world.state.phase == .idle(ending: nil))
    }

    @Test func aFirstUseFindingThePodReplacedFollowsTheReplacement() {
        var world = LifecycleWorld(heals: true, onDemand: true)
        let connection = world.accept()
        world.spawnSucceeds()
        world.exits(.exited(1), cause: .podGone(follow: LifecycleWorld.pod))
        #expect(world.state.phase == .awaitingReplacement(gone: LifecycleWorld.pod, attempt: 1, ending: nil))
        #expect(world.last.contains(.watchNamespace) && world.replacementsLookedFor == [LifecycleWorld.pod])
        world.send(.podReady(LifecycleWorld.replacement))
        #expect(world.state.record.target.name == "web-1" && world.spawnPending)
        world.spawnSucceeds()
        world.forwarding()
        #expect(world.relayed[connection] != nil && world.reported.isEmpty)
    }

    @Test func anActiveKubectlEndingWithNothingOpenMakesTheForwardIdle() {
        var (world, connection) = Self.active()
        world.relayEnds(connection)
        world.exits()
        #expect(world.state.phase == .idle(ending: nil) && world.timers.isEmpty && world.spawns == 1)
        #expect(world.reported.isEmpty && world.finished == nil)
    }

    /// The kubectl gave a connection back unanswered as it ended (nothing of it reached the pod): the forward does
    /// not heal or end (healing on or off), it starts the next kubectl at once and that one serves the connection.
    @Test(arguments: [true, false])
    func anActiveKubectlEndingWithOnlyAGivenBackConnectionStartsTheNextAtOnce(heals: Bool) {
        var (world, connection) = Self.active()
        world.send(.setHealing(heals))
        world.backendRefuses(connection)
        world.exits()
        #expect(world.spawnPending && world.finished == nil && world.state.held == [connection])
        #expect(world.timers[.backoff] == nil && world.timers[.held(connection)] != nil)
        world.spawnSucceeds()
        world.forwarding(port: 43000)
        #expect(world.relayed[connection] == 43000)
    }

    @Test func anActiveKubectlEndingWithAConnectionOpenHeals() {
        var (world, _) = Self.active()
        world.exits()
        #expect(world.state.record.status == .reconnecting && world.timers[.backoff] != nil)
    }

    @Test func aDeletedPodIsIgnoredWhileIdle() {
        var world = LifecycleWorld(onDemand: true)
        world.send(.podDeleted(LifecycleWorld.pod, followable: true))
        #expect(world.last.isEmpty && world.state.phase == .idle(ending: nil))
    }

    @Test func aStopWhileIdleEndsAtOnceAndWhileTheIdleKubectlEndsOnceItExits() {
        var world = LifecycleWorld(onDemand: true)
        world.send(.stop)
        #expect(world.finished == .stoppedByUser)
        world.expectNothingLeft()

        var (ending, connection) = Self.active()
        ending.relayEnds(connection)
        ending.fire(.idle)
        ending.send(.stop)
        #expect(ending.finished == nil && !ending.listenerOpen)
        ending.exits()
        ending.expectNothingLeft()
    }

    @Test func aStopWhileActiveCancelsTheIdleTimer() {
        var (world, connection) = Self.active()
        world.relayEnds(connection)
        world.send(.stop)
        world.drain()
        world.expectNothingLeft()
    }

    @Test func aHeldConnectionThatCloseLeavesTheIdleTimerRunning() {
        var (world, connection) = Self.active()
        world.backendRefuses(connection)
        #expect(world.state.held == [connection] && world.state.relaying.isEmpty && world.timers[.idle] == nil)
        world.waiting.remove(connection)
        world.send(.connectionClosed(connection))
        #expect(world.timers[.idle] != nil)
    }

    @Test func aConnectedForwardSwitchedToOnDemandStopsKubectlWhenIdle() {
        var world = LifecycleWorld.connected()
        world.send(.setOnDemand(true, idleTimeout: .seconds(90)))
        #expect(world.state.record.onDemand && world.state.record.backendRunning)
        #expect(world.timers[.idle] == world.now + .seconds(90))
        world.fire(.idle)
        world.exits(.signaled(15))
        #expect(world.state.phase == .idle(ending: nil) && world.state.record.onDemandStatus == "on demand • idle")
    }

    @Test func anIdleForwardSwitchedBackStartsKubectlAtOnce() {
        var world = LifecycleWorld(onDemand: true)
        world.send(.setOnDemand(false, idleTimeout: LifecycleWorld.idleTimeout))
        #expect(world.spawnPending && world.state.record.status == .connecting && !world.state.record.onDemand)
        world.spawnSucceeds()
        world.forwarding()
        #expect(world.state.isConnected && world.timers.isEmpty, "no idle timer once eager")

        // Switched back while its idle kubectl is still ending: the next starts once it has exited.
        var (ending, connection) = Self.active()
        ending.relayEnds(connection)
        ending.fire(.idle)
        ending.send(.setOnDemand(false, idleTimeout: LifecycleWorld.idleTimeout))
        #expect(!ending.spawnPending)
        ending.exits(.signaled(15))
        #expect(ending.spawnPending && ending.spawns == 2)
    }

    @Test func aFirstStartStillUnansweredIsNotSwitched() {
        var world = LifecycleWorld()
        world.send(.setOnDemand(true, idleTimeout: LifecycleWorld.idleTimeout))
        #expect(!world.state.record.onDemand && world.last.isEmpty)
    }

    @Test func onDemandStatusTextIsNilForEagerForwards() {
        let world = LifecycleWorld.connected()
        #expect(world.state.record.onDemandStatus == nil && world.state.record.isAnswering)
    }

    @Test func durationsAsTyped() {
        #expect(DurationText.parse("90s") == .seconds(90))
        #expect(DurationText.parse("10m") == .seconds(600))
        #expect(DurationText.parse("1h") == .seconds(3600))
        for bad in ["", "10", "m", "0s", "-5s", "1.5m", "10d"] { #expect(DurationText.parse(bad) == nil, "\(bad)") }
    }
}

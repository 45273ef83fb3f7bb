import Foundation
import Testing

@testable import Kube9Kit

/// Every phase of a forward's life with a fake clock and fake processes: the pure lifecycle alone, no kubectl.
@Suite struct ForwardLifecycleTests {
    // MARK: Starting

    @Test func aStartSpawnsKubectlWithTheDeadlineAndConnectsOnItsForwardingLine() {
        var world = LifecycleWorld()
        #expect(world.spawnPending && world.timers[.deadline] == world.now + .seconds(10))
        #expect(world.state.record.status == .connecting)
        world.spawnSucceeds()
        #expect(world.state.record.processId == world.pid && world.published == 1)
        world.send(.stdoutLine(pid: world.pid!, "Forwarding from 127.0.0.1:41234 -> 80"))
        #expect(world.state.phase == .connected(pid: world.pid!, backendPort: 41234))
        #expect(world.state.record.status == .connected && world.resolvedStarts == 1 && !world.state.startPending)
        #expect(world.last.contains(.watchNamespace) && world.timers.isEmpty)
        // The second line (`[::1]`) changes nothing.
        world.send(.stdoutLine(pid: world.pid!, "Forwarding from [::1]:41234 -> 80"))
        #expect(world.last.isEmpty && world.resolvedStarts == 1)
    }

    @Test func theForwardingLineGivesTheBackendPort() {
        #expect(ForwardLifecycle.forwardingPort("Forwarding from 127.0.0.1:41234 -> 80") == 41234)
        #expect(ForwardLifecycle.forwardingPort("Forwarding from [::1]:5000 -> 8080") == 5000)
        #expect(ForwardLifecycle.forwardingPort("Handling connection for 8080") == nil)
        #expect(ForwardLifecycle.forwardingPort("Forwarding from nowhere -> 80") == nil)
    }

    @Test func aFirstStartThatMissesItsDeadlineEndsTimedOutOnceKubectlHasExited() {
        var world = LifecycleWorld()
        world.spawnSucceeds()
        let pid = world.pid!
        world.fire(.deadline)
        #expect(world.state.phase == .stopping(reason: .timedOut, ending: .running(pid)))
        #expect(world.live[pid] == true && world.state.record.status == .error && world.finished == nil)
        world.exits()
        #expect(world.finished == .timedOut && world.resolvedStarts == 0)
        world.expectNothingLeft()
    }

    @Test func aFirstStartWhoseKubectlExitsEndsWithItsExitAndNeverHeals() {
        var world = LifecycleWorld(heals: true)
        world.spawnSucceeds()
        world.send(.stderrLine(pid: world.pid!, "error: pods \"web-0\" not found"))
        world.exits(.exited(1), cause: .podGone(follow: LifecycleWorld.pod))
        #expect(world.finished == .exited(.exited(1)) && world.spawns == 1)
        #expect(world.state.stderrTail == ["error: pods \"web-0\" not found"])
        world.expectNothingLeft()
    }

    @Test func aSpawnThatFailsEndsTheForward() {
        var world = LifecycleWorld()
        world.spawnFails()
        #expect(world.finished == .failedToStart(KubeError(.kubectlNotFound, Messages.kubectlNotFound)))
        world.expectNothingLeft()
    }

    @Test func aStopWhileSpawningEndsTheProcessOnceItExists() {
        var world = LifecycleWorld()
        world.send(.stop)
        #expect(world.state.phase == .stopping(reason: .stoppedByUser, ending: .spawning) && world.finished == nil)
        #expect(!world.listenerOpen && world.state.record.status == .stopped)
        world.spawnSucceeds()
        #expect(world.live.values.allSatisfy { $0 }, "terminated as soon as spawned")
        world.exits()
        #expect(world.finished == .stoppedByUser)
        world.expectNothingLeft()
    }

    @Test func aStopOfAConnectedForwardTerminatesKubectlAndEndsWhenItExits() {
        var world = LifecycleWorld.connected()
        world.send(.stop)
        #expect(world.live[world.pid!] == true && world.finished == nil)
        world.send(.stop)
        #expect(world.last.isEmpty, "a second stop adds nothing")
        world.exits()
        #expect(world.finished == .stoppedByUser)
        world.expectNothingLeft()
    }

    // MARK: Healing

    @Test func kubectlDyingAfterConnectingReconnectsWithBackoffAndTheSamePort() {
        var world = LifecycleWorld.connected()
        world.exits()
        #expect(world.state.phase == .reconnecting(attempt: 1, ending: nil, backoffElapsed: false))
        #expect(world.state.record.status == .reconnecting && world.state.record.reconnectAttempt == 1)
        #expect(world.state.record.processId == nil && world.timers[.backoff] == world.now + .seconds(1))
        world.fire(.backoff)
        #expect(world.spawnPending && world.timers[.deadline] != nil)
        world.spawnSucceeds()
        world.forwarding(port: 41999)
        #expect(world.state.phase == .connected(pid: world.pid!, backendPort: 41999))
        #expect(world.state.record.reconnectAttempt == 0 && world.resolvedStarts == 1 && world.timers.isEmpty)
    }

    @Test func reconnectAttemptsBackOffAndTheirDeadlinesCountAsFailures() {
        var world = LifecycleWorld.connected()
        world.exits()
        world.fire(.backoff)
        world.spawnSucceeds()
        let stuck = world.pid!
        world.fire(.deadline)
        #expect(world.state.phase == .reconnecting(attempt: 2, ending: .running(stuck), backoffElapsed: false))
        #expect(world.live[stuck] == true && world.timers[.backoff] == world.now + .seconds(2))
        world.fire(.backoff)
        #expect(!world.spawnPending, "the next kubectl waits for the last to exit")
        world.exits()
        #expect(world.spawnPending)
        #expect((1...8).map { ForwardLifecycle.reconnectDelay(attempt: $0) } == [1, 2, 4, 8, 16, 30, 30, 30].map { .seconds($0) })
    }

    @Test func withHealingOffAnExitAfterConnectingEndsTheForward() {
        var world = LifecycleWorld.connected(heals: false)
        world.exits(.exited(1))
        #expect(world.finished == .exited(.exited(1)) && world.state.record.status == .error)
        world.expectNothingLeft()
    }

    @Test func healingCanBeTurnedOffWhileConnected() {
        var world = LifecycleWorld.connected()
        world.send(.setHealing(false))
        #expect(!world.state.record.heals && world.last == [.publishUpdate])
        world.exits()
        #expect(world.finished == .exited(.signaled(9)))
    }

    @Test func linesAndExitsOfAnotherProcessAreIgnored() {
        var world = LifecycleWorld.connected()
        let before = world.state
        world.send(.exited(pid: 7, .exited(0), cause: .unknown))
        world.send(.stdoutLine(pid: 7, "Handling connection for 8080"))
        #expect(world.state == before && world.last.isEmpty)
        world.send(.stdoutLine(pid: world.pid!, "Handling connection for 8080"))
        #expect(world.last.isEmpty, "connections are counted by the relay, not from kubectl's lines")
    }

    // MARK: Pods

    @Test func aDeletedPodWithAControllerIsFollowedToItsReplacement() {
        var world = LifecycleWorld.connected()
        world.send(.podDeleted(LifecycleWorld.pod, followable: true))
        #expect(world.state.phase == .awaitingReplacement(gone: LifecycleWorld.pod, attempt: 1, ending: .running(world.pid!)))
        #expect(world.replacementsLookedFor == [LifecycleWorld.pod] && world.state.record.status == .reconnecting)
        world.send(.podReady(LifecycleWorld.stranger))
        #expect(world.last.isEmpty, "a pod of another app is no replacement")
        world.send(.podReady(LifecycleWorld.replacement))
        #expect(world.state.record.target.name == "web-1" && !world.spawnPending, "waits for the old kubectl")
        #expect(world.notices == [Notice(.info, Messages.forwardMoved(namespace: "default", pod: "web-1"))])
        world.exits()
        #expect(world.spawnPending, "no backoff for a replacement")
        world.spawnSucceeds()
        world.forwarding()
        #expect(world.state.isConnected && world.state.record.target.name == "web-1")
    }

    @Test func aKubectlExitThatFoundThePodGoneWaitsForTheReplacement() {
        var world = LifecycleWorld.connected()
        world.exits(.exited(1), cause: .podGone(follow: LifecycleWorld.pod))
        #expect(world.state.phase == .awaitingReplacement(gone: LifecycleWorld.pod, attempt: 1, ending: nil))
        world.send(.podReady(LifecycleWorld.replacement))
        #expect(world.spawnPending)
    }

    @Test func aDeletedPodWithoutControllerEndsTheForwardStopped() {
        var world = LifecycleWorld.connected()
        world.send(.podDeleted(LifecycleWorld.stranger, followable: false))
        #expect(world.last.isEmpty, "another pod's deletion")
        world.send(.podDeleted(LifecycleWorld.pod, followable: false))
        #expect(world.state.record.status == .stopped && !world.listenerOpen)
        world.exits()
        #expect(world.finished == .podDeleted)
        world.expectNothingLeft()
    }

    @Test func aPodGoneWithoutControllerAtExitEndsTheForward() {
        var world = LifecycleWorld.connected()
        world.exits(.exited(1), cause: .podGone(follow: nil))
        #expect(world.finished == .podDeleted)
        world.expectNothingLeft()
    }

    /// A real API server keeps a deleted pod listed, Running, through its grace period (MODIFIED with a
    /// deletionTimestamp): its kubectl serves on, and the forward moves once a replacement is Ready.
    @Test func aTerminatingPodIsServedUntilItsReplacementIsReady() {
        var world = LifecycleWorld.connected()
        let pid = world.pid!
        world.send(.podTerminating(LifecycleWorld.pod, followable: true))
        #expect(world.state.isConnected && world.live[pid] == false, "the pod still serves: its kubectl stays")
        #expect(world.replacementsLookedFor == [LifecycleWorld.pod] && world.state.terminatingPod == LifecycleWorld.pod)
        let served = world.accept()
        #expect(world.relayed[served] == 41234)
        world.send(.podReady(LifecycleWorld.stranger))
        #expect(world.last.isEmpty, "a pod of another app stands in for nothing")
        world.send(.podReady(LifecycleWorld.replacement))
        // The connection the old pod serves ends first; a new one waits for the move.
        #expect(world.live[pid] == false && world.state.standIn == LifecycleWorld.replacement && world.timers[.drain] != nil)
        let waiting = world.accept()
        #expect(world.state.held == [waiting] && world.relayed[waiting] == nil)
        world.relayEnds(served)
        #expect(world.live[pid] == true && world.state.record.target.name == "web-1" && world.timers[.drain] == nil)
        #expect(world.notices == [Notice(.info, Messages.forwardMoved(namespace: "default", pod: "web-1"))])
        let held = world.accept()
        #expect(world.state.held == [waiting, held], "held while the next kubectl starts, not refused")
        world.exits()
        world.spawnSucceeds()
        world.forwarding(port: 42000)
        #expect(world.state.isConnected && world.relayed == [waiting: 42000, held: 42000] && world.state.terminatingPod == nil)
        #expect(world.state.standIn == nil)
    }

    @Test func aMoveWaitsForTheOldPodsConnectionsAtMostTheDrainLimit() {
        var world = LifecycleWorld.connected()
        let pid = world.pid!
        world.send(.podTerminating(LifecycleWorld.pod, followable: true))
        let download = world.accept()
        world.send(.podReady(LifecycleWorld.replacement))
        #expect(world.timers[.drain] == world.now + ForwardLifecycle.drainLimit)
        world.fire(.drain)
        #expect(world.live[pid] == true && world.state.record.target.name == "web-1")
        world.exits()
        world.spawnSucceeds()
        world.forwarding(port: 42000)
        #expect(world.state.isConnected && world.relayed[download] == 41234, "cut with its kubectl, never sent twice")
    }

    @Test func healingTurnedOffDropsAMoveThatWaits() {
        var world = LifecycleWorld.connected()
        let pid = world.pid!
        world.send(.podTerminating(LifecycleWorld.pod, followable: true))
        _ = world.accept()
        world.send(.podReady(LifecycleWorld.replacement))
        #expect(world.state.standIn != nil)
        let waiting = world.accept()
        #expect(world.state.held == [waiting])
        world.send(.setHealing(false))
        #expect(world.state.standIn == nil && world.state.terminatingPod == nil && world.timers[.drain] == nil)
        #expect(world.relayed[waiting] == 41234 && world.state.held.isEmpty, "what the move held goes to the kubectl that stays")
        world.send(.podReady(LifecycleWorld.replacement))
        #expect(world.live[pid] == false && world.state.record.target.name == "web-0", "stays with its pod")
    }

    @Test func theOldPodRefusingItsLastConnectionEndsTheWaitAtOnce() {
        var world = LifecycleWorld.connected()
        let pid = world.pid!
        world.send(.podTerminating(LifecycleWorld.pod, followable: true))
        let served = world.accept()
        world.send(.podReady(LifecycleWorld.replacement))
        world.backendRefuses(served)
        #expect(world.live[pid] == true && world.state.record.target.name == "web-1" && world.state.held == [served])
        world.exits()
        world.spawnSucceeds()
        world.forwarding(port: 42000)
        #expect(world.relayed[served] == 42000)
    }

    @Test func anOnDemandForwardWhosePodStopsServingWaitsForTheReplacement() {
        var (world, first) = OnDemandLifecycleTests.active()
        world.relayEnds(first)
        world.send(.podTerminating(LifecycleWorld.pod, followable: true))
        let held = world.accept()
        world.backendRefuses(held)
        world.exits()
        #expect(world.state.phase == .awaitingReplacement(gone: LifecycleWorld.pod, attempt: 1, ending: nil))
        #expect(world.state.held == [held] && world.closed.isEmpty && !world.spawnPending, "held, not refused nor retried")
        world.send(.podReady(LifecycleWorld.replacement))
        world.spawnSucceeds()
        world.forwarding(port: 42000)
        #expect(world.relayed[held] == 42000)
    }

    /// An on-demand forward with nothing in flight whose kubectl ends while its pod is Terminating goes idle, as
    /// after any exit (a pod scaled away for good would otherwise leave it reconnecting forever).
    @Test func anIdleOnDemandForwardWhosePodIsGoingGoesIdle() {
        var (world, first) = OnDemandLifecycleTests.active()
        world.relayEnds(first)
        world.send(.podTerminating(LifecycleWorld.pod, followable: true))
        world.exits()
        #expect(world.state.phase == .idle(ending: nil) && world.state.terminatingPod == nil)
    }

    @Test func aStopWhileAMoveWaitsLeavesNothing() {
        var world = LifecycleWorld.connected()
        world.send(.podTerminating(LifecycleWorld.pod, followable: true))
        _ = world.accept()
        world.send(.podReady(LifecycleWorld.replacement))
        _ = world.accept()
        world.send(.stop)
        world.drain()
        #expect(world.finished == .stoppedByUser && world.state.standIn == nil)
        world.expectNothingLeft()
    }

    @Test func aTerminatingPodThatStopsServingIsNotTriedAgain() {
        var world = LifecycleWorld.connected()
        world.send(.podTerminating(LifecycleWorld.pod, followable: true))
        world.exits(.exited(1))
        #expect(world.state.phase == .awaitingReplacement(gone: LifecycleWorld.pod, attempt: 1, ending: nil))
        #expect(!world.spawnPending && world.timers[.backoff] == nil, "no kubectl to the pod being deleted")
        let held = world.accept()
        world.send(.podReady(LifecycleWorld.replacement))
        world.spawnSucceeds()
        world.forwarding(port: 42000)
        #expect(world.relayed[held] == 42000 && world.state.record.target.name == "web-1")
    }

    @Test func aTerminatingPodWithoutControllerOrHealingIsLeftToItsDeletion() {
        for heals in [true, false] {
            var world = LifecycleWorld.connected(heals: heals)
            world.send(.podTerminating(LifecycleWorld.pod, followable: heals ? false : true))
            #expect(world.last.isEmpty && world.state.terminatingPod == nil)
            world.send(.podDeleted(LifecycleWorld.pod, followable: false))
            #expect(world.state.record.status == .stopped)
        }
    }

    @Test func aStopWhileAwaitingAReplacementEnds() {
        var world = LifecycleWorld.connected()
        world.send(.podDeleted(LifecycleWorld.pod, followable: true))
        world.send(.stop)
        #expect(world.finished == nil)
        world.exits()
        #expect(world.finished == .stoppedByUser)
        world.expectNothingLeft()
    }

    // MARK: Held connections

    @Test func connectionsWhileConnectedAreRelayedToTheBackend() {
        var world = LifecycleWorld.connected()
        let connection = world.accept()
        #expect(world.relayed[connection] == 41234)
    }

    @Test func connectionsAcceptedWhileReconnectingAreHeldThenServedByTheNewBackend() {
        var world = LifecycleWorld.connected()
        world.exits()
        let first = world.accept()
        let second = world.accept()
        #expect(world.state.held == [first, second] && world.timers[.held(first)] == world.now + .seconds(10))
        world.fire(.backoff)
        world.spawnSucceeds()
        world.forwarding(port: 42000)
        #expect(world.relayed == [first: 42000, second: 42000] && world.state.held.isEmpty && world.timers.isEmpty)
    }

    @Test func aConnectionTheDyingBackendRefusedIsHeldForTheNextOne() {
        var world = LifecycleWorld.connected()
        let connection = world.accept()
        world.backendRefuses(connection)
        // Still connected: it waits briefly for the kubectl to exit...
        #expect(world.state.held == [connection] && world.timers[.held(connection)] == world.now + .seconds(1))
        world.exits()
        // ...and once it has, as long as any held connection.
        #expect(world.timers[.held(connection)] == world.now + .seconds(10) && world.state.unanswered.isEmpty)
        world.fire(.backoff)
        world.spawnSucceeds()
        world.forwarding(port: 43000)
        #expect(world.relayed[connection] == 43000 && world.state.held.isEmpty)
    }

    /// The pod's server closed a connection without answering (kubectl ends it as it would a lost pod's): the
    /// connection is given back, waits a second for the kubectl to exit, and is closed when it goes on running.
    @Test func aConnectionGivenBackByABackendThatStaysIsClosedAfterItsShortWait() {
        var world = LifecycleWorld.connected()
        let connection = world.accept()
        world.backendRefuses(connection)
        #expect(world.state.unanswered == [connection])
        world.fire(.held(connection))
        #expect(world.closed == [connection] && world.state.held.isEmpty && world.state.unanswered.isEmpty)
        #expect(world.state.isConnected && world.live.count == 1, "the backend that stays is kept")
    }

    @Test func aConnectionGivenBackAndThenClosedByItsClientIsForgotten() {
        var world = LifecycleWorld.connected()
        let connection = world.accept()
        world.backendRefuses(connection)
        world.waiting.remove(connection)
        world.send(.connectionClosed(connection))
        #expect(world.state.held.isEmpty && world.state.unanswered.isEmpty && world.timers[.held(connection)] == nil)
    }

    @Test func aHeldConnectionIsClosedAtItsDeadline() {
        var world = LifecycleWorld.connected()
        world.send(.podDeleted(LifecycleWorld.pod, followable: true))
        let connection = world.accept()
        world.fire(.held(connection))
        #expect(world.closed == [connection] && world.state.held.isEmpty)
    }

    @Test func aHeldConnectionClosedByItsClientIsForgotten() {
        var world = LifecycleWorld()
        let connection = world.accept()
        world.waiting.remove(connection)
        world.send(.connectionClosed(connection))
        #expect(world.state.held.isEmpty && world.timers[.held(connection)] == nil)
    }

    @Test func heldConnectionsAreClosedWhenTheForwardEnds() {
        var world = LifecycleWorld()
        let connection = world.accept()
        world.spawnFails()
        #expect(world.closed == [connection])
        world.expectNothingLeft()
        let late = world.accept()
        #expect(world.closed.contains(late), "an ended forward closes what it is handed")
    }
}

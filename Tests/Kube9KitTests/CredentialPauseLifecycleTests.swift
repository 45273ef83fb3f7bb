import Foundation
import Testing

@testable import Kube9Kit

/// A forward whose context's credentials fail pauses with the reason (no kubectl, no timer, the port kept, a
/// connection closed at once) and starts again once they are restored; a credential plugin's login prompt is
/// shown on the row and gives the start longer. The pure lifecycle with a fake clock.
@Suite struct CredentialPauseLifecycleTests {
    static let expired = KubeError(
        .authentication, "Authentication failed for context 'ctx': error: You must be logged in to the server (Unauthorized)")

    @Test func aReconnectAttemptRefusedForItsCredentialsPausesWithTheReasonAndStartsNothingMore() {
        var world = LifecycleWorld.connected()
        world.exits()
        world.fire(.backoff)
        world.spawnSucceeds()
        world.exits(.exited(1), cause: .credentialsFailed(Self.expired))
        #expect(world.state.phase == .paused(reason: Self.expired, ending: nil))
        #expect(world.state.record.status == .paused && world.state.record.pausedReason == Self.expired.message)
        #expect(world.state.record.reconnectAttempt == 0 && world.state.record.processId == nil)
        #expect(world.timers.isEmpty && world.listenerOpen && world.live.isEmpty && !world.spawnPending)
        // Time passes: nothing is tried again.
        let spawns = world.spawns
        world.now += .seconds(3600)
        world.fireNextTimer()
        #expect(world.spawns == spawns)
    }

    @Test func otherForwardsOfTheContextPauseWhereTheyWouldStartKubectl() {
        // Backing off: paused, the backoff cancelled.
        var backingOff = LifecycleWorld.connected()
        backingOff.exits()
        backingOff.send(.credentialsFailed(Self.expired))
        #expect(backingOff.state.phase == .paused(reason: Self.expired, ending: nil) && backingOff.timers.isEmpty)

        // A healing attempt under way: its kubectl ends, the next one is not started.
        var attempting = LifecycleWorld.connected()
        attempting.exits()
        attempting.fire(.backoff)
        attempting.spawnSucceeds()
        let pid = attempting.pid!
        attempting.send(.credentialsFailed(Self.expired))
        #expect(attempting.state.phase == .paused(reason: Self.expired, ending: .running(pid)))
        #expect(attempting.live[pid] == true && attempting.timers.isEmpty)
        attempting.exits()
        #expect(attempting.state.phase == .paused(reason: Self.expired, ending: nil) && !attempting.spawnPending)

        // An attempt still being spawned: the process is ended as soon as it exists.
        var spawning = LifecycleWorld.connected()
        spawning.exits()
        spawning.fire(.backoff)
        spawning.send(.credentialsFailed(Self.expired))
        #expect(spawning.state.phase == .paused(reason: Self.expired, ending: .spawning))
        spawning.spawnSucceeds()
        #expect(spawning.live[spawning.pid!] == true)
        spawning.exits()
        #expect(spawning.state.phase == .paused(reason: Self.expired, ending: nil))
    }

    @Test func aConnectedForwardKeepsServingAndAFirstStartGetsItsOwnAnswer() {
        var connected = LifecycleWorld.connected()
        connected.send(.credentialsFailed(Self.expired))
        #expect(connected.state.isConnected && connected.last.isEmpty)
        // It pauses when its kubectl ends (the manager knows the context fails).
        connected.exits(.exited(1), cause: .credentialsFailed(Self.expired))
        #expect(connected.state.isPaused && connected.spawns == 1)

        var starting = LifecycleWorld()
        starting.spawnSucceeds()
        starting.send(.credentialsFailed(Self.expired))
        #expect(starting.last.isEmpty)
        starting.exits(.exited(1), cause: .credentialsFailed(Self.expired))
        #expect(starting.finished == .exited(.exited(1)), "a first start that fails is answered, never paused")
        starting.expectNothingLeft()

        var noHeal = LifecycleWorld.connected(heals: false)
        noHeal.exits(.exited(1), cause: .credentialsFailed(Self.expired))
        #expect(noHeal.finished == .exited(.exited(1)))
    }

    @Test func restoredCredentialsStartKubectlAtOnceAndTheForwardConnectsOnItsPort() {
        var world = LifecycleWorld.connected()
        world.exits()
        world.send(.credentialsFailed(Self.expired))
        world.send(.credentialsRestored)
        #expect(world.spawnPending && world.timers[.deadline] == world.now + .seconds(10))
        #expect(world.state.record.status == .reconnecting && world.state.record.pausedReason == nil)
        world.spawnSucceeds()
        world.forwarding(port: 42000)
        #expect(world.state.phase == .connected(pid: world.pid!, backendPort: 42000))
        #expect(world.state.record.status == .connected && world.listenerOpen)
        // Restored again while connected: nothing.
        world.send(.credentialsRestored)
        #expect(world.last.isEmpty)
    }

    @Test func restoredBeforeThePausedKubectlHasExitedWaitsForItsExit() {
        var world = LifecycleWorld.connected()
        world.exits()
        world.fire(.backoff)
        world.spawnSucceeds()
        world.send(.credentialsFailed(Self.expired))
        world.send(.credentialsRestored)
        #expect(!world.spawnPending, "at most one kubectl at a time")
        world.exits()
        #expect(world.spawnPending)
    }

    @Test func connectionsToAPausedForwardAreClosedAtOnceAndHeldOnesWhenItPauses() {
        var world = LifecycleWorld.connected()
        world.exits()
        let held = world.accept()
        #expect(world.state.held == [held])
        world.send(.credentialsFailed(Self.expired))
        #expect(world.closed == [held] && world.state.held.isEmpty && world.timers.isEmpty)
        let late = world.accept()
        #expect(world.closed.contains(late) && world.waiting.isEmpty && world.listenerOpen)
    }

    @Test func aPausedForwardStopsAtOnceAndItsDeletedPodWithoutControllerEndsIt() {
        var stopped = LifecycleWorld.connected()
        stopped.exits()
        stopped.send(.credentialsFailed(Self.expired))
        stopped.send(.stop)
        #expect(stopped.finished == .stoppedByUser)
        stopped.expectNothingLeft()

        var deleted = LifecycleWorld.connected()
        deleted.exits()
        deleted.send(.credentialsFailed(Self.expired))
        deleted.send(.podDeleted(LifecycleWorld.pod, followable: true))
        #expect(deleted.state.isPaused, "a controller's replacement is followed once the credentials work")
        deleted.send(.podDeleted(LifecycleWorld.pod, followable: false))
        #expect(deleted.finished == .podDeleted)
        deleted.expectNothingLeft()
    }

    @Test func aNewReasonReplacesTheShownOne() {
        var world = LifecycleWorld.connected()
        world.exits()
        world.send(.credentialsFailed(Self.expired))
        let untrusted = KubeError(.untrustedCertificate, "The certificate of context 'ctx' is not trusted: x509: expired")
        world.send(.credentialsFailed(untrusted))
        #expect(world.state.record.pausedReason == untrusted.message && world.published > 0)
        world.send(.credentialsFailed(untrusted))
        #expect(world.last.isEmpty)
    }

    // MARK: Login prompts

    @Test func aLoginPromptIsShownOnTheRowAndTheStartWaitsTwoMinutes() {
        var world = LifecycleWorld()
        world.spawnSucceeds()
        let prompt = "Please visit https://login.example/device and enter code WXYZ-1234"
        world.now += .seconds(3)
        world.send(.stderrLine(pid: world.pid!, prompt))
        #expect(world.state.record.loginPrompt == prompt && world.last.contains(.publishUpdate))
        #expect(world.timers[.deadline] == world.now + CredentialPrompt.loginWait)
        // The usual deadline passes without ending it; the extended one would.
        world.now += .seconds(60)
        #expect(world.finished == nil && world.state.phase.name == "starting")
        world.forwarding()
        #expect(world.state.isConnected && world.state.record.loginPrompt == nil && world.resolvedStarts == 1)
    }

    @Test func aStartWaitingForALoginEndsAtTheLongerDeadline() {
        var world = LifecycleWorld()
        world.spawnSucceeds()
        world.send(.stderrLine(pid: world.pid!, "To sign in, use a web browser to open the page https://microsoft.com/devicelogin"))
        world.fire(.deadline)
        #expect(world.state.phase.name == "stopping" && world.state.record.loginPrompt == nil)
        world.exits()
        #expect(world.finished == .timedOut)
        world.expectNothingLeft()
    }

    /// A plugin that prints its URL and then succeeds, then the cluster out of reach: the retries say reconnecting,
    /// not the old URL.
    @Test func aPromptIsNotShownOnceItsKubectlHasEnded() {
        var world = LifecycleWorld.connected()
        world.exits()
        world.fire(.backoff)
        world.spawnSucceeds()
        world.send(.stderrLine(pid: world.pid!, "Please visit https://login.example/device and enter code WXYZ-1234"))
        #expect(world.state.record.loginPrompt != nil)
        world.exits(.exited(1))
        #expect(world.state.record.status == .reconnecting && world.state.record.loginPrompt == nil)
    }

    @Test func promptsAreToldApartFromKubectlsOwnLines() {
        for line in [
            "Please visit https://login.example/device and enter code WXYZ-1234",
            "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code AB12 to authenticate.",
            "Please visit the following URL in your browser: http://localhost:8000",
            "Opening in existing browser session.",
            "Please log in to continue: waiting for the SSO session",
        ] {
            #expect(CredentialPrompt.isPrompt(line), "\(line)")
        }
        for line in [
            "error: You must be logged in to the server (Unauthorized)",
            "Unable to connect to the server: dial tcp 127.0.0.1:6443: connect: connection refused",
            #"E1130 02:04:52.049394   15924 memcache.go:265] couldn't get current server API group list: Get "https://127.0.0.1:6443/api""#,
            "error: token expired; run: acme-login --refresh",
            "acme-login: refresh token expired",
            "oidc-login: no cached token and no refresh token",
            "Forwarding from 127.0.0.1:41234 -> 80",
            "",
        ] {
            #expect(!CredentialPrompt.isPrompt(line), "\(line)")
        }
    }
}

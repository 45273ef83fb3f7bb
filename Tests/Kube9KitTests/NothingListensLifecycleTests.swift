import Foundation
import Testing

@testable import Kube9Kit

/// Issue 14: a forwarded connection to a port nothing listens on in the pod. The kubelet refuses it; kubectl 1.20
/// keeps running, later ones exit. kube9 says so once per forward, keeps its listener and backs off instead of
/// restarting kubectl at once on every refused connection.
@Suite struct NothingListensLifecycleTests {
    /// What kubectl prints for the kubelet's refusal, one line per kubectl format on this machine (SPDY and
    /// WebSocket print the same).
    static let refusals = [
        // 1.20 (keeps running) and 1.27: klog's plain text.
        #"E1130 04:56:29.049741   27200 portforward.go:400] an error occurred forwarding 38425 -> 80: error forwarding port 80 to pod 6f1b793e, uid : failed to execute portforward in network namespace "/var/run/netns/cni-fffe": failed to connect to localhost:80 inside namespace "6f1b793e", IPv4: dial tcp4 127.0.0.1:80: connect: connection refused IPv6 dial tcp6 [::1]:80: connect: connection refused "#,
        // 1.31 to 1.33: structured, quoted.
        #"E1130 04:56:03.742566   25147 portforward.go:413] "Unhandled Error" err="an error occurred forwarding 32899 -> 80: error forwarding port 80 to pod 01ab0c81, uid : failed to execute portforward in network namespace \"/var/run/netns/cni-dd28\": failed to connect to localhost:80 inside namespace \"01ab0c81\", IPv4: dial tcp4 127.0.0.1:80: connect: connection refused IPv6 dial tcp6 [::1]:80: connect: connection refused ""#,
        // 1.37.
        #"E1130 04:56:39.990014   27968 portforward.go:549] "An error occurred forwarding" err="error forwarding port 80 to pod 02e04195, uid : failed to execute portforward in network namespace \"/var/run/netns/cni-2733\": failed to connect to localhost:80 inside namespace \"02e04195\", IPv4: dial tcp4 127.0.0.1:80: connect: connection refused IPv6 dial tcp6 [::1]:80: connect: connection refused " localPort=33199 remotePort=80"#,
    ]

    static let told = Notice(.warning, "Nothing listens on port 80 in pod default/web-0")

    @Test(arguments: refusals)
    func everyKubectlFormatOfTheRefusalGivesTheRemotePort(line: String) {
        #expect(KubectlErrorClassifier.refusedRemotePort(line) == 80)
        let error = KubectlErrorClassifier.classify(
            stderr: line + "\nerror: lost connection to pod", purpose: .portForward(ForwardTarget(context: "dev", namespace: "default", name: "web-0"), localPort: 8080))
        #expect(error == KubeError(.nothingListens, "Nothing listens on port 80 in pod default/web-0"))
    }

    @Test func otherConnectionRefusedLinesAreNotTheKubelets() {
        let server = "The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?"
        let dial = #"E1130 05:00:00.000000   1 memcache.go:265] couldn't get current server API group list: Get "https://127.0.0.1:6443/api": dial tcp 127.0.0.1:6443: connect: connection refused"#
        #expect(KubectlErrorClassifier.refusedRemotePort(server) == nil)
        #expect(KubectlErrorClassifier.refusedRemotePort(dial) == nil)
        #expect(KubectlErrorClassifier.classify(stderr: dial + "\n" + server, purpose: .read).kind == .unreachable)
    }

    /// The refused connection comes back from the backend unanswered just before kubectl's line, or just after it:
    /// either way it is closed at once (as raw kubectl closes it), not kept for a next kubectl to be refused again.
    @Test(arguments: [true, false])
    func aConnectionThePodRefusedIsClosedAtOnce(lineFirst: Bool) throws {
        var world = LifecycleWorld.connected()
        let pid = try #require(world.pid)
        let connection = world.accept()
        if lineFirst {
            world.send(.stderrLine(pid: pid, Self.refusals[0]))
            world.backendRefuses(connection)
        } else {
            world.backendRefuses(connection)
            #expect(world.state.unanswered == [connection])
            world.send(.stderrLine(pid: pid, Self.refusals[0]))
        }
        #expect(world.closed == [connection] && world.state.held.isEmpty && world.state.unanswered.isEmpty)
        #expect(world.timers[.held(connection)] == nil && world.state.isConnected)
    }

    /// kubectl 1.20 goes on after a refusal: a connection it gives back much later (its pod lost, say) is not the
    /// refused one, and waits like any given back; one line closes one connection given back before it.
    @Test func aRefusalLongAgoDoesNotCloseALaterGivenBackConnection() throws {
        var world = LifecycleWorld.connected()
        let pid = try #require(world.pid)
        let first = world.accept()
        let second = world.accept()
        world.backendRefuses(first)
        world.backendRefuses(second)
        world.send(.stderrLine(pid: pid, Self.refusals[0]))
        #expect(world.closed == [first] && world.state.unanswered == [second])
        world.now = world.now + .seconds(5)
        let later = world.accept()
        world.backendRefuses(later)
        #expect(world.closed == [first] && world.state.unanswered.contains(later))
    }

    /// After the refusal, a kubectl that exits drops the connections it had: one given back after that exit waits
    /// for the next kubectl, which may find the port listening by then.
    @Test func aConnectionGivenBackAfterTheRefusingKubectlExitedWaitsForTheNext() throws {
        var world = LifecycleWorld.connected()
        let pid = try #require(world.pid)
        let connection = world.accept()
        world.send(.stderrLine(pid: pid, Self.refusals[0]))
        world.exits(.exited(1))
        world.backendRefuses(connection)
        #expect(world.closed.isEmpty && world.state.held == [connection] && world.timers[.held(connection)] != nil)
    }

    /// kubectl 1.20: each refused connection is one more line; kubectl goes on and so does the forward.
    @Test func aKubectlThatKeepsRunningGetsTheNoticeOnceAndNothingElse() {
        var world = LifecycleWorld.connected()
        let pid = world.pid!
        for _ in 0..<3 {
            let connection = world.accept()
            #expect(world.relayed[connection] == 41234)
            world.send(.stderrLine(pid: pid, Self.refusals[0]))
            world.relayEnds(connection)
        }
        #expect(world.notices == [Self.told])
        #expect(world.state.phase == .connected(pid: pid, backendPort: 41234) && world.listenerOpen)
        #expect(world.spawns == 1 && world.timers.isEmpty)
    }

    /// kubectl 1.27+: it exits after the refusal. The next one starts after the backoff, and one that is refused
    /// again backs off longer (its connect does not reset the count); the person hears of it once.
    @Test(arguments: [true, false])
    func aKubectlThatExitsOnTheRefusalIsRestartedWithAGrowingBackoffAndTheListenerStays(heals: Bool) {
        var world = LifecycleWorld.connected(heals: heals)
        var delays: [Duration] = []
        for round in 0..<4 {
            let connection = world.accept()
            world.send(.stderrLine(pid: world.pid!, Self.refusals[1]))
            world.send(.stderrLine(pid: world.pid!, "error: lost connection to pod"))
            world.exits(.exited(1))
            world.relayEnds(connection)
            #expect(world.state.phase == .reconnecting(attempt: round + 1, ending: nil, backoffElapsed: false))
            #expect(world.listenerOpen && world.finished == nil && world.state.record.status == .reconnecting)
            delays.append(world.timers[.backoff]! - world.now)
            world.fire(.backoff)
            world.spawnSucceeds()
            world.forwarding(port: 41300 + round)
            #expect(world.state.record.reconnectAttempt == round + 1, "a connect after a refusal keeps the count")
        }
        #expect(delays == [1, 2, 4, 8].map { .seconds($0) })
        #expect(world.notices == [Self.told] && world.spawns == 5)
        // Served at last (someone listens now); the next exit for another reason counts afresh.
        let served = world.accept()
        #expect(world.relayed[served] == 41303)
        world.relayEnds(served)
        if heals {
            world.exits()
            #expect(world.state.phase == .reconnecting(attempt: 1, ending: nil, backoffElapsed: false))
            #expect(world.timers[.backoff] == world.now + .seconds(1))
        } else {
            world.exits(.exited(1))
            #expect(world.finished == .exited(.exited(1)))
        }
    }

    /// Connections arriving while the next kubectl is awaited are held and served by it, as when healing.
    @Test func connectionsDuringTheBackoffAreHeldForTheNextKubectl() {
        var world = LifecycleWorld.connected()
        world.accept()
        world.send(.stderrLine(pid: world.pid!, Self.refusals[2]))
        world.exits(.exited(1))
        let waiting = world.accept()
        #expect(world.waiting.contains(waiting) && world.timers[.held(waiting)] != nil)
        world.fire(.backoff)
        world.spawnSucceeds()
        world.forwarding(port: 41500)
        #expect(world.relayed[waiting] == 41500)
    }

    /// A kubectl shared with the forward of another port: that port's refusal is not this forward's.
    @Test func anotherPortsRefusalIsNotThisForwards() {
        var world = LifecycleWorld.connected()
        world.send(.stderrLine(pid: world.pid!, Self.refusals[1].replacingOccurrences(of: ":80", with: ":9090")))
        world.exits(.exited(1))
        #expect(world.notices.isEmpty)
        #expect(world.state.phase == .reconnecting(attempt: 1, ending: nil, backoffElapsed: false))
        world.fire(.backoff)
        world.spawnSucceeds()
        world.forwarding()
        #expect(world.state.record.reconnectAttempt == 0, "an ordinary exit: the count starts afresh")
    }

    /// On demand: the refused kubectl leaves the forward idle (still listening); the next connection starts one.
    @Test func anOnDemandForwardGoesIdleOnTheRefusal() {
        var world = LifecycleWorld(onDemand: true)
        let first = world.accept()
        world.spawnSucceeds()
        world.forwarding()
        #expect(world.relayed[first] == 41234)
        world.send(.stderrLine(pid: world.pid!, Self.refusals[1]))
        world.exits(.exited(1))
        #expect(world.state.phase == .idle(ending: nil) && world.listenerOpen && world.reported.isEmpty)
        #expect(world.notices == [Self.told])
        world.relayEnds(first)
        world.accept()
        #expect(world.spawnPending)
        world.spawnSucceeds()
        world.forwarding()
        world.send(.stderrLine(pid: world.pid!, Self.refusals[1]))
        #expect(world.notices == [Self.told], "once per forward")
    }
}

import Foundation
import PropertyBased
import Testing

@testable import Kube9Kit

/// Random inputs in random order: the lifecycle never runs two kubectl at once, and once stopped or ended it
/// leaves no process, timer or waiting connection behind.
@Suite struct ForwardLifecyclePropertyTests {
    /// The environment's possible moves; those that do not apply at the moment are skipped.
    static let moveCount = 22

    static func move(_ index: Int, _ world: inout LifecycleWorld) {
        switch index {
        case 0: if world.spawnPending { world.spawnSucceeds() }
        case 1: if world.spawnPending { world.spawnFails() }
        case 2: if let pid = world.pid { world.send(.stdoutLine(pid: pid, "Forwarding from 127.0.0.1:\(40000 + Int(pid)) -> 80")) }
        case 3: if let pid = world.pid { world.send(.stdoutLine(pid: pid, "Handling connection for 8080")) }
        case 4: if let pid = world.pid { world.send(.stderrLine(pid: pid, "E0101 error: lost connection to pod")) }
        case 5: if world.pid != nil { world.exits() }
        case 6: if world.pid != nil { world.exits(.exited(1), cause: .podGone(follow: LifecycleWorld.pod)) }
        case 7: if world.pid != nil { world.exits(.exited(1), cause: .podGone(follow: nil)) }
        case 8, 9: world.fireNextTimer()
        case 10: world.send(.podDeleted(LifecycleWorld.pod, followable: true))
        case 11: world.send(.podDeleted(LifecycleWorld.pod, followable: false))
        case 12: world.send(.podReady(LifecycleWorld.replacement))
        case 13: world.send(.podReady(LifecycleWorld.stranger))
        case 14: world.accept()
        case 15: world.send(.setHealing(!world.state.record.heals))
        case 16: if let connection = world.relayed.keys.first { world.backendRefuses(connection) }
        case 17: if let connection = world.relayed.keys.first { world.relayEnds(connection) }
        case 18: world.send(.setOnDemand(!world.state.record.onDemand, idleTimeout: LifecycleWorld.idleTimeout))
        case 19: world.send(.podTerminating(LifecycleWorld.pod, followable: true))
        case 20: world.send(.podTerminating(LifecycleWorld.pod, followable: false))
        default:
            if let connection = world.state.held.first {
                world.waiting.remove(connection)
                world.send(.connectionClosed(connection))
            }
        }
    }

    static func checkInvariants(_ world: LifecycleWorld) {
        #expect(world.live.count + (world.spawnPending ? 1 : 0) <= 1, "two kubectl at once")
        #expect(world.waiting == world.state.held, "a waiting connection the lifecycle does not hold")
        #expect(world.state.held.allSatisfy { world.timers[.held($0)] != nil }, "a held connection without deadline")
        #expect(world.state.unanswered.isSubset(of: world.state.held), "given back and not held")
        #expect(world.state.unanswered.isEmpty || world.state.isConnected, "a short wait outlives its backend")
        #expect((world.state.standIn != nil) == (world.timers[.drain] != nil), "a move waiting without its limit, or a limit without a move")
        #expect(world.state.standIn == nil || world.state.isConnected, "a move waits only while connected")
        if case .awaitingReplacement = world.state.phase {
            #expect(world.state.terminatingPod == nil, "waiting for a replacement and for the pod's end at once")
        }
        switch world.state.phase {
        case .connected where world.state.record.onDemand && world.state.held.isEmpty && world.state.relaying.isEmpty:
            // Nothing open: kubectl stops after the idle timeout.
            #expect(world.timers[.idle] != nil, "an unused on-demand kubectl without idle timer")
            #expect(world.timers[.deadline] == nil && world.timers[.backoff] == nil)
        case .idle(let ending):
            #expect(world.timers[.deadline] == nil && world.timers[.backoff] == nil && world.timers[.idle] == nil)
            if ending == nil { #expect(world.live.isEmpty && !world.spawnPending && world.state.held.isEmpty) }
        case .connected:
            // Held only what the dying backend refused.
            #expect(world.timers[.deadline] == nil && world.timers[.backoff] == nil)
        case .stopping, .ended:
            #expect(world.timers.isEmpty && !world.listenerOpen)
        case .starting:
            #expect(world.timers[.deadline] != nil)
        default:
            break
        }
        if !world.state.isEnded, world.state.phase.name != "stopping" {
            #expect(world.state.relaying == Set(world.relayed.keys), "relayed connections the lifecycle lost")
        }
        if world.state.isEnded { #expect(world.live.isEmpty && !world.spawnPending && world.finished != nil) }
    }

    @Test(arguments: [false, true]) func randomLivesStopCleanly(onDemand: Bool) async {
        let moves = Gen.int(in: 0...(Self.moveCount - 1)).array(of: 0...60)
        await propertyCheck(count: 400, input: moves) { indices in
            var world = LifecycleWorld(onDemand: onDemand)
            for index in indices {
                Self.move(index, &world)
                Self.checkInvariants(world)
            }
            world.send(.stop)
            world.drain()
            Self.checkInvariants(world)
            world.expectNothingLeft()
            #expect(world.resolvedStarts <= 1)
            if onDemand { #expect(world.resolvedStarts == 1, "an on-demand start is answered at once") }
        }
    }

    @Test(arguments: [false, true]) func randomLivesThatEndOnTheirOwnLeaveNothing(onDemand: Bool) async {
        let moves = Gen.int(in: 0...(Self.moveCount - 1)).array(of: 0...60)
        await propertyCheck(count: 400, input: moves) { indices in
            var world = LifecycleWorld(onDemand: onDemand)
            for index in indices {
                Self.move(index, &world)
                if world.finished != nil {
                    world.expectNothingLeft()
                    // Whatever comes after the end starts nothing.
                    Self.move(index, &world)
                    #expect(!world.spawnPending && world.timers.isEmpty)
                    return
                }
            }
        }
    }
}

import Foundation
import Kube9TestSupport
import Glibc
import PropertyBased
import Testing

@testable import Kube9Kit

@Suite struct LocalPortProbeTests {
    let probe = LocalPortProbe()

    @Test func busyOnIPv4IsInUseWithTheNextFreePortSuggested() throws {
        let held = try HeldPort()
        let check = probe.check(held.port)
        guard case .inUse(let suggestion?) = check else {
            Issue.record("expected inUse, got \(check)")
            return
        }
        #expect(suggestion > held.port)
        #expect(probe.availability(of: suggestion) == .free)
        for between in (held.port + 1)..<suggestion {
            #expect(probe.availability(of: between) != .free)
        }
        #expect(
            Messages.portInUse(port: held.port, suggestion: suggestion)
                == "Port \(held.port) is already in use. Try \(suggestion)?")
    }

    @Test func busyOnIPv6OnlyIsAlsoInUse() throws {
        let held = try HeldPort(ipv6: true)
        #expect(probe.availability(of: held.port) == .busy)
    }

    /// `:REMOTE`'s port: one the system gives, free on both loopback addresses, never a reserved one.
    @Test func anyFreePortIsFreeAndNotReserved() throws {
        let first = try #require(probe.anyFree())
        #expect(probe.availability(of: first) == .free)
        let held = try HeldPort()
        var reserved: Set<Int> = [first, held.port]
        for _ in 0..<20 {
            let port = try #require(probe.anyFree(reserved: reserved))
            #expect(!reserved.contains(port) && probe.availability(of: port) == .free)
            reserved.insert(port)
        }
    }

    @Test func suggestionSkipsBusyNeighbours() throws {
        let first = try HeldPort()
        // Hold the port the probe would offer next (taken by someone else between the two calls: ask again).
        var neighbour: HeldPort?
        for _ in 0..<20 where neighbour == nil {
            let offered = try #require(probe.suggestion(above: first.port))
            neighbour = try? HeldPort(port: offered)
        }
        let held = try #require(neighbour, "could not hold the port offered above \(first.port)")
        let check = probe.check(first.port)
        guard case .inUse(let suggestion?) = check else {
            Issue.record("expected inUse, got \(check)")
            return
        }
        #expect(suggestion > first.port && suggestion != held.port)
        #expect(probe.availability(of: held.port) == .busy)
    }

    @Test func reservedPortsCountAsInUse() throws {
        let held = try HeldPort()
        let candidate = try #require(probe.suggestion(above: held.port))
        if case .inUse(let next?) = probe.check(candidate, reserved: [candidate]) {
            #expect(next > candidate)
        } else {
            Issue.record("a reserved port must be in use")
        }
    }

    @Test func privilegedPortsSuggestAPortFrom1024UpUnlessWeMayBindThem() {
        let check = probe.check(80)
        if geteuid() == 0 {
            // root binds below 1024: never "privileged"
            if case .privileged = check { Issue.record("root was told port 80 needs privileges") }
        } else {
            switch check {
            case .privileged(let suggestion?): #expect(suggestion >= 1024)
            case .inUse(let suggestion?): #expect(suggestion > 80)
            case .available: #expect(probe.availability(of: 80) == .free)  // CAP_NET_BIND_SERVICE
            default: Issue.record("unexpected \(check)")
            }
        }
    }

    @Test func aRefusedPortCarriesItsCheckAndSuggestion() throws {
        let busy = KubeError.portUnavailable(8080, .inUse(suggestion: 8081))
        #expect(busy == KubeError(.portInUse, "Port 8080 is already in use. Try 8081?", portCheck: .inUse(suggestion: 8081)))
        #expect(busy.suggestedPort == 8081)
        let privileged = KubeError.portUnavailable(80, .privileged(suggestion: 1024))
        #expect(privileged.kind == .portInUse && privileged.message == "Port 80 needs root privileges. Try 1024?")
        #expect(privileged.suggestedPort == 1024)
        #expect(KubeError.portUnavailable(8080, .inUse(suggestion: nil)).suggestedPort == nil)
        #expect(KubeError.portUnavailable(0, .invalid(message: "Port 0 is not allowed: use 1–65535.")) == KubeError(.other, "Port 0 is not allowed: use 1–65535."))
        // A port found busy by a failed bind: only the suggestion is searched, and it skips reserved ports.
        let held = try HeldPort()
        let check = probe.unavailable(held.port, reserved: [held.port + 1])
        if case .inUse(let suggestion?) = check { #expect(suggestion > held.port + 1) } else { Issue.record("\(check)") }
        #expect(probe.unavailable(80, needsPrivilege: true).suggestion ?? 0 >= 1024)
    }

    @Test func outOfRangeIsInvalid() {
        #expect(probe.check(0) == .invalid(message: "Port 0 is not allowed: use 1–65535."))
        #expect(probe.check(70000) == .invalid(message: "Ports go up to 65535."))
        #expect(probe.check(-1) == .invalid(message: "A port cannot be negative: use 1–65535."))
    }

    @Test func aCheckTakesWellUnder100ms() throws {
        let held = try HeldPort()
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = probe.check(held.port) }
        #expect(elapsed < .milliseconds(100))
    }

    @Test func suggestionIsAlwaysAboveAndFree() async {
        await propertyCheck(count: 40, input: Gen.int(in: 1024...60000)) { port in
            let suggestion = try #require(probe.suggestion(above: port))
            #expect(suggestion > port)
            #expect(suggestion <= 65535)
            #expect(probe.availability(of: suggestion) == .free)
        }
        #expect(probe.suggestion(above: 65535) == nil)
    }

    @Test func theSearchSkipsReservedAndBusyPortsAndJumpsPastPrivilegedOnes() {
        #expect(LocalPortProbe.firstFree(from: 80, reserved: [80, 81]) == 82)
        #expect(LocalPortProbe.firstFree(from: 80, reserved: []) == 80)
        let busy: Set<Int> = [8081, 8083]
        #expect(LocalPortProbe.firstFree(from: 8081, reserved: [8082]) { busy.contains($0) ? .busy : .free } == 8084)
        #expect(LocalPortProbe.firstFree(from: 80, reserved: [1024]) { $0 < 1024 ? .needsPrivilege : .free } == 1025)
        #expect(LocalPortProbe.firstFree(from: 65535, reserved: [65535]) == nil)
    }
}

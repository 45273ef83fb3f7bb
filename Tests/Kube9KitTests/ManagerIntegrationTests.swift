import Kube9TestSupport
import Foundation
import Glibc
import Testing

@testable import Kube9Kit

extension KubectlIntegration {
    /// The manager and client with the REAL kubectl against kube9-sim. Each test has its own sim, HOME and
    /// kubeconfig; "no process left" is checked by the test's unique kubeconfig path in /proc.
    @Suite(.serialized) struct ManagerIntegrationTests {
        @Test func readsContextsNamespacesAndPodsThroughKubectl() async throws {
            try await KitSim.with(ForwardScenarios.standard(unreachable: true)) { sim in
                let client = KubectlClient(configuration: sim.configuration)
                let contexts = try await client.contexts()
                #expect(contexts.map(\.name) == ["dev", "down"])
                #expect(contexts.first(where: \.isCurrent)?.name == "dev")
                #expect(try await client.currentContextName() == "dev")
                let namespaces = try await client.namespaces(context: "dev")
                #expect(Set(namespaces.map(\.name)).isSuperset(of: ["default", "locked"]))
                let pods = try await client.pods(context: "dev", namespace: "default")
                #expect(pods.map(\.name).sorted() == ["api-0", "pending-0", "web-0"])
                let web = try await client.pod(context: "dev", namespace: "default", name: "web-0")
                #expect(web.phase == .running)
                #expect(web.containers.flatMap(\.ports) == [ContainerPort(containerPort: 80, name: "p80", protocolName: "TCP")])
                #expect(web.podIP != nil)
                let missing = await #expect(throws: KubeError.self) {
                    try await client.pod(context: "dev", namespace: "default", name: "ghost")
                }
                #expect(missing == KubeError(.notFound, #"Error from server (NotFound): pods "ghost" not found"#))
            }
        }

        @Test func anUnreachableClusterIsAClassifiedErrorWithinSeconds() async throws {
            try await KitSim.with(ForwardScenarios.standard(unreachable: true)) { sim in
                let client = KubectlClient(configuration: sim.configuration)
                let started = ContinuousClock.now
                let error = await #expect(throws: KubeError.self) { try await client.namespaces(context: "down") }
                #expect(error == KubeError(.unreachable, Messages.clusterUnreachable))
                #expect(ContinuousClock.now - started < .seconds(8))
            }
        }

        @Test func aForwardCarriesBytesAndStopsCleanly() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let events = EventRecorder(manager.events())
                let port = freeTCPPort()
                let record = try await manager.startForward(sim.request("web-0", local: port, remote: 80))
                #expect(record.status == .connected)
                #expect(record.id == "dev/default/web-0:\(port):80")
                #expect(
                    Messages.established(record.label)
                        == "Port forward established: localhost:\(port) → default/web-0:80")
                let pid = try #require(record.processId)
                #expect(ProcessTable.isAlive(pid))
                #expect(try await sim.httpBody(port: port) == "kube9-sim dev/default/web-0:80\n")
                // The GET above is one connection: the record now counts it (issue 7 activity).
                #expect(await manager.forwards().map(\.id) == [record.id])
                #expect(await pollUntil { await manager.forwards().first?.connectionCount == 1 })
                #expect(await manager.activeCount() == 1)

                try await manager.stopForward(id: record.id)
                #expect(!ProcessTable.isAlive(pid))
                #expect(await manager.forwards().isEmpty)
                #expect(await events.waitFor { event in
                    if case .removed(let r) = event { return r.id == record.id && r.status == .stopped } else { return false }
                })
                let statuses = await events.events.compactMap { event -> ForwardStatus? in
                    switch event {
                    case .added(let r), .updated(let r), .removed(let r): r.status
                    case .notice: nil
                    }
                }
                #expect(statuses.first == .connecting)
                #expect(statuses.contains(.connected))
                #expect(await events.notices.isEmpty)
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
                await #expect(throws: KubeError(.notFound, "Forward \(record.id) not found")) {
                    try await manager.stopForward(id: record.id)
                }
            }
        }

        @Test func aPendingPodIsRefusedWithItsPhase() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let error = await #expect(throws: KubeError.self) {
                    try await manager.startForward(sim.request("pending-0", local: freeTCPPort(), remote: 80))
                }
                #expect(error == KubeError(.podNotRunning, "Cannot port forward: Pod 'pending-0' is not in Running state (current: Pending)"))
                #expect(await manager.forwards().isEmpty)
                #expect(sim.leftoverProcesses().isEmpty)
            }
        }

        @Test func aBusyLocalPortIsRefusedWithTheNextFreePort() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let held = try HeldPort()
                let expected = try #require(LocalPortProbe().suggestion(above: held.port))
                let error = await #expect(throws: KubeError.self) {
                    try await manager.startForward(sim.request("web-0", local: held.port, remote: 80))
                }
                #expect(error?.kind == .portInUse && error?.message == "Port \(held.port) is already in use. Try \(expected)?")
                // The suggestion is data too: no one parses it out of the text or probes again.
                #expect(error?.suggestedPort == expected && error?.portCheck == .inUse(suggestion: expected))
                #expect(await manager.forwards().isEmpty)
                #expect(sim.leftoverProcesses().isEmpty)
            }
        }

        @Test func aForbiddenNamespaceNeedsPortForwardPermission() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let events = EventRecorder(manager.events())
                let error = await #expect(throws: KubeError.self) {
                    try await manager.startForward(
                        ForwardRequest(context: "dev", namespace: "locked", name: "secret-0", localPort: freeTCPPort(), remotePort: 80))
                }
                #expect(error == KubeError(.forbidden, "Permission denied. You need pods/portforward permission in namespace 'locked'."))
                #expect(await manager.forwards().isEmpty)
                #expect(await events.waitFor { if case .removed = $0 { true } else { false } })
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func aMissingKubectlIsNamed() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                var configuration = sim.configuration
                configuration.kubectlPath = "/nonexistent/bin/kubectl"
                let manager = PortForwardManager(configuration: configuration)
                let error = await #expect(throws: KubeError.self) {
                    try await manager.startForward(sim.request("web-0", local: freeTCPPort(), remote: 80))
                }
                #expect(
                    error == KubeError(
                        .kubectlNotFound,
                        "kubectl not found. Please install kubectl to use port forwarding. /nonexistent/bin/kubectl: no such file."))
                let clientError = await #expect(throws: KubeError.self) { try await KubectlClient(configuration: configuration).namespaces(context: "dev") }
                #expect(clientError?.kind == .kubectlNotFound)
                #expect(await manager.forwards().isEmpty)
            }
        }

        @Test func aSlowClusterTimesOutAtTheDeadline() async throws {
            try await KitSim.with(ForwardScenarios.standard(latencyMs: 8000)) { sim in
                let manager = sim.manager(connectTimeout: .milliseconds(1500))
                let started = ContinuousClock.now
                let error = await #expect(throws: KubeError.self) {
                    try await manager.startForward(
                        ForwardRequest(context: "slow", namespace: "default", name: "web-0", localPort: freeTCPPort(), remotePort: 80))
                }
                let elapsed = ContinuousClock.now - started
                #expect(error == KubeError(.timedOut, "Port forward connection timed out. Check pod logs and try again."))
                // kubectl itself would answer after 16 s (two slow round trips): the deadline ended it.
                #expect(elapsed >= .milliseconds(1400) && elapsed < .seconds(10), "took \(elapsed)")
                #expect(await manager.forwards().isEmpty)
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func theRealTenSecondDeadline() async throws {
            try await KitSim.with(ForwardScenarios.standard(latencyMs: 12_000)) { sim in
                var configuration = sim.configuration
                configuration.requestTimeout = .seconds(10)
                let manager = PortForwardManager(configuration: configuration)
                #expect(manager.connectTimeout == .seconds(10))
                let started = ContinuousClock.now
                let error = await #expect(throws: KubeError.self) {
                    try await manager.startForward(
                        ForwardRequest(context: "slow", namespace: "default", name: "web-0", localPort: freeTCPPort(), remotePort: 80))
                }
                let elapsed = ContinuousClock.now - started
                #expect(error == KubeError(.timedOut, "Port forward connection timed out. Check pod logs and try again."))
                #expect(elapsed >= .seconds(9.9) && elapsed < .seconds(15), "took \(elapsed)")
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func aDeletedPodStopsItsForwardWithTheDeletedMessage() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let events = EventRecorder(manager.events())
                let record = try await manager.startForward(sim.request("web-0", local: freeTCPPort(), remote: 80))
                // The namespace watch is running alongside the forward.
                #expect(await pollUntil { sim.leftoverProcesses().contains { $0.commandLine.contains("watch=1") } })
                try await sim.deletePod(namespace: "default", name: "web-0")
                #expect(await events.waitFor { $0 == .notice(Notice(.info, "Port forward stopped: Pod 'web-0' was deleted")) })
                #expect(await events.waitFor { if case .removed(let r) = $0 { r.id == record.id } else { false } })
                #expect(await manager.forwards().isEmpty)
                #expect(await events.notices.count == 1)
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func kubectlKilledFromOutsideIsReportedAndRemovedWithoutHealing() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let events = EventRecorder(manager.events())
                let record = try await manager.startForward(sim.request("web-0", local: freeTCPPort(), remote: 80, heals: false))
                let pid = try #require(record.processId)
                kill(pid, SIGKILL)
                let expected = "Port forward stopped unexpectedly: localhost:\(record.localPort) → default/web-0:80"
                #expect(await events.waitFor { $0 == .notice(Notice(.error, expected)) })
                #expect(await events.waitFor { if case .removed(let r) = $0 { r.id == record.id } else { false } })
                #expect(await manager.forwards().isEmpty)
                #expect(await manager.activeCount() == 0)
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func twentyConcurrentForwardsThenStopAllLeavesNothing() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let ports = (0..<20).map { _ in freeTCPPort() }
                let records = try await withThrowingTaskGroup(of: ForwardRecord.self) { group in
                    for (index, port) in ports.enumerated() {
                        group.addTask {
                            try await manager.startForward(sim.request(index % 2 == 0 ? "web-0" : "api-0", local: port, remote: index % 2 == 0 ? 80 : 8080))
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(records.count == 20)
                #expect(Set(records.map(\.id)).count == 20)
                #expect(await manager.activeCount() == 20)
                for record in records.prefix(4) {
                    let pod = record.target.name
                    #expect(try await sim.httpBody(port: record.localPort) == "kube9-sim dev/default/\(pod):\(record.remotePort)\n")
                }
                await manager.stopAllForwards()
                #expect(await manager.forwards().isEmpty)
                for record in records { #expect(!ProcessTable.isAlive(record.processId ?? 0)) }
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func theSameForwardIsNotStartedTwice() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let request = sim.request("web-0", local: freeTCPPort(), remote: 80)
                let results = await withTaskGroup(of: Result<ForwardRecord, KubeError>.self) { group in
                    for _ in 0..<2 {
                        group.addTask {
                            do throws(KubeError) { return .success(try await manager.startForward(request)) } catch {
                                return .failure(error)
                            }
                        }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                let successes = results.compactMap { try? $0.get() }
                #expect(successes.count == 1)
                let failures = results.compactMap { result -> KubeError? in
                    if case .failure(let error) = result { return error } else { return nil }
                }
                #expect(failures == [KubeError(.alreadyActive, "This forward is already active")])
                await manager.stopAllForwards()
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty })
            }
        }

        @Test func rapidStartStopAndConcurrentStopsLeakNothing() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let port = freeTCPPort()
                // Warm up (first kubectl run fills the discovery cache) before counting descriptors.
                let warm = try await manager.startForward(sim.request("web-0", local: port, remote: 80))
                try await manager.stopForward(id: warm.id)
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty })
                let descriptors = ProcessTable.openFileDescriptorCount()
                for cycle in 0..<10 {
                    let record = try await manager.startForward(sim.request("web-0", local: port, remote: 80))
                    if cycle % 2 == 0 {
                        try await manager.stopForward(id: record.id)
                    } else {
                        // Concurrent stops of one forward: both return, one removal.
                        async let a: Void = manager.stopForward(id: record.id)
                        async let b: Void = manager.stopForward(id: record.id)
                        _ = try await (a, b)
                    }
                    #expect(await manager.forwards().isEmpty)
                    #expect(!ProcessTable.isAlive(record.processId ?? 0))
                }
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
                #expect(await pollUntil { ProcessTable.openFileDescriptorCount() <= descriptors + 2 }, "fds \(descriptors) → \(ProcessTable.openFileDescriptorCount())")
            }
        }

        @Test func stoppingAForwardWhileItConnectsEndsTheStartCleanly() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let stream = manager.events()
                let request = sim.request("web-0", local: freeTCPPort(), remote: 80)
                let start = Task { () throws(KubeError) -> ForwardRecord in try await manager.startForward(request) }
                var addedID: String?
                for await event in stream {
                    if case .added(let record) = event {
                        addedID = record.id
                        break
                    }
                }
                let id = try #require(addedID)
                try await manager.stopForward(id: id)
                let result = await start.result
                #expect(throws: KubeError(.other, "Port forward stopped before it connected: localhost:\(request.localPort) → default/web-0:80")) {
                    try result.get()
                }
                #expect(await manager.forwards().isEmpty)
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func aProcessIgnoringSIGTERMIsKilledAfterOneSecond() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                // The one allowed stand-in: port-forward ignores SIGTERM; every other call is the real kubectl.
                let script = sim.home + "/stubborn-kubectl"
                let realKubectl = try #require(ExecutableLocator.find("kubectl"))
                try """
                    #!/bin/sh
                    case "$*" in
                      *port-forward*)
                        trap '' TERM
                        echo "Forwarding from 127.0.0.1:$3 -> 80"
                        exec sleep 300 ;;
                      *) exec \(realKubectl) "$@" ;;
                    esac
                    """.write(toFile: script, atomically: true, encoding: .utf8)
                chmod(script, 0o755)
                var configuration = sim.configuration
                configuration.kubectlPath = script
                let manager = PortForwardManager(configuration: configuration)
                let record = try await manager.startForward(sim.request("web-0", local: freeTCPPort(), remote: 80))
                let pid = try #require(record.processId)
                #expect(await pollUntil { (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) == "sleep\n" })
                #expect(ProcessTable.ignoresOrBlocks(SIGTERM, pid: pid))
                let started = ContinuousClock.now
                try await manager.stopForward(id: record.id)
                let elapsed = ContinuousClock.now - started
                #expect(!ProcessTable.isAlive(pid))
                #expect(elapsed >= .milliseconds(950) && elapsed < .seconds(5), "stop took \(elapsed)")
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }
    }
}

import Foundation
import Glibc
import Testing

@testable import Kube9Kit
import Kube9TestSupport

extension KubectlIntegration {
    /// kube9 owns the local listener (issue 12): kubectl port-forwards to an ephemeral loopback port behind it, and
    /// the local port stays open while kubectl is replaced.
    @Suite(.serialized) struct ManagerListenerTests {
        /// The request `httpGet` sends: what the relay must count as bytes in.
        static func requestBytes(port: Int) -> Int64 {
            Int64("GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUser-Agent: kube9-tests\r\nConnection: close\r\n\r\n".utf8.count)
        }

        /// The processes holding the socket that listens on 127.0.0.1:`port` (found through /proc).
        static func listenerOwners(port: Int, among pids: [Int32]) throws -> Set<Int32> {
            let hexPort = String(format: "%04X", port)
            let table = try String(contentsOfFile: "/proc/net/tcp", encoding: .utf8)
            let inodes = Set(table.split(separator: "\n").compactMap { line -> String? in
                let fields = line.split(separator: " ")
                guard fields.count > 9, fields[1] == "0100007F:\(hexPort)", fields[3] == "0A" else { return nil }
                return String(fields[9])
            })
            var owners: Set<Int32> = []
            for pid in pids {
                let folder = "/proc/\(pid)/fd"
                for fd in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                    guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\(fd)") else {
                        continue
                    }
                    if inodes.contains(where: { target == "socket:[\($0)]" }) { owners.insert(pid) }
                }
            }
            return owners
        }

        /// The socket listening on `port` is held by kube9 and not by kubectl (a /proc scan races with fds being
        /// opened and closed, so it is read until it answers, within a deadline).
        static func onlyKube9Listens(port: Int, kube9: Int32, kubectl: Int32) async -> Bool {
            var owners: Set<Int32> = []
            let found = await pollUntil(timeout: .seconds(5)) {
                owners = (try? listenerOwners(port: port, among: [kube9, kubectl])) ?? []
                return owners == [kube9]
            }
            if !found {
                let table = (try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8)) ?? "?"
                let hexPort = String(format: "%04X", port)
                let rows = table.split(separator: "\n").filter { $0.contains(":\(hexPort)") }
                let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(kube9)/fd")) ?? ["unreadable"]
                let links = fds.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(kube9)/fd/\($0)") }
                Issue.record("listener owners \(owners); kube9 \(kube9), kubectl \(kubectl); rows \(rows); links \(links)")
            }
            return found
        }

        @Test func kubectlForwardsToAnEphemeralPortBehindKube9sListenerAndTheRelayCountsBytes() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let port = freeTCPPort()
                let record = try await manager.startForward(sim.request("web-0", local: port, remote: 80))
                let kubectl = try #require(sim.leftoverProcesses().first { $0.commandLine.contains("port-forward") })
                #expect(kubectl.commandLine.contains("pod/web-0 :80 "), "\(kubectl.commandLine)")
                #expect(kubectl.commandLine.contains("--address 127.0.0.1"))
                #expect(await Self.onlyKube9Listens(port: port, kube9: getpid(), kubectl: kubectl.pid))

                let response = try await httpGet(port: port, timeout: .seconds(5))
                #expect(response.status == 200 && response.body == "kube9-sim dev/default/web-0:80\n")
                #expect(await pollUntil {
                    guard let now = await manager.forwards().first else { return false }
                    return now.connectionCount == 1 && now.bytesIn == Self.requestBytes(port: port) && now.bytesOut > 31
                })
                // A second request right away: `forwards()` (what `kube9 ls` reads) has its bytes as soon as the
                // relay counts them, though events publish them at most once per `activityInterval` (250 ms).
                _ = try await httpGet(port: port, timeout: .seconds(5))
                #expect(await pollUntil { await manager.forwards().first?.connectionCount == 2 })
                let now = try #require(await manager.forwards().first)
                #expect(now.bytesIn == 2 * Self.requestBytes(port: port) && now.bytesOut > 62, "\(now)")
                try await manager.stopForward(id: record.id)
                // The port is free again the moment the stop returns.
                #expect(LocalPortProbe().availability(of: port) == .free)
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func aConnectionMadeWhileKubectlRestartsWaitsAndIsServed() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let port = freeTCPPort()
                let record = try await manager.startForward(sim.request("web-0", local: port, remote: 80))
                kill(try #require(record.processId), SIGKILL)
                #expect(await pollUntil { await manager.forwards().first?.status == .reconnecting })
                #expect(await manager.activeCount() == 0, "connected only when the backend is")
                // The port still listens; the connection is held (the backoff is 1 s) and served by the next kubectl.
                let response = try await httpGet(port: port, timeout: .seconds(12))
                #expect(response.body == "kube9-sim dev/default/web-0:80\n")
                let healed = try #require(await manager.forwards().first)
                #expect(healed.status == .connected && healed.processId != record.processId)
                await manager.stopAllForwards()
                #expect(LocalPortProbe().availability(of: port) == .free)
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        /// While connected, the listener relays each connection by itself (no hop to the manager first); the
        /// lifecycle still hears of every one: 200 at once are all served, counted and their bytes summed.
        @Test func twoHundredConcurrentConnectionsAreServedAndCounted() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let port = freeTCPPort()
                let record = try await manager.startForward(sim.request("web-0", local: port, remote: 80))
                let bodies = try await withThrowingTaskGroup(of: String.self) { group in
                    for _ in 0..<200 { group.addTask { try await httpGet(port: port, timeout: .seconds(60)).body } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(bodies.count == 200 && bodies.allSatisfy { $0 == "kube9-sim dev/default/web-0:80\n" })
                var last: ForwardRecord?
                let counted = await pollUntil(timeout: .seconds(20)) {
                    last = await manager.forwards().first
                    return last?.connectionCount == 200 && last?.bytesIn == 200 * Self.requestBytes(port: port)
                }
                #expect(counted, "\(String(describing: last))")
                #expect(last?.status == .connected && last?.processId == record.processId)
                try await manager.stopForward(id: record.id)
                #expect(LocalPortProbe().availability(of: port) == .free)
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        /// A connection that reaches the listener just after its kubectl was killed (before the manager has seen
        /// it exit) is refused by the dead backend, held by the lifecycle, and served by the next kubectl.
        @Test func aConnectionRightAfterKubectlIsKilledIsServedByTheNext() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let port = freeTCPPort()
                let record = try await manager.startForward(sim.request("web-0", local: port, remote: 80))
                let killed = try #require(record.processId)
                kill(killed, SIGKILL)
                // Once its sockets are closed (a connection in the instant it dies is cut with it: in flight to the
                // old kubectl), whether or not kube9 has noticed yet.
                #expect(await pollUntil(timeout: .seconds(5)) { !ProcessTable.isAlive(killed) })
                let response = try await httpGet(port: port, timeout: .seconds(30))
                #expect(response.status == 200 && response.body == "kube9-sim dev/default/web-0:80\n")
                #expect(await pollUntil(timeout: .seconds(30)) {
                    guard let now = await manager.forwards().first else { return false }
                    return now.status == .connected && now.processId != record.processId && now.connectionCount == 1
                })
                await manager.stopAllForwards()
                #expect(LocalPortProbe().availability(of: port) == .free)
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        /// The namespace watch does not start with the forward (its two kubectl would share the CPU with the first
        /// request, which usually comes right after `established`): none right after the start, and it starts 1 s
        /// later with no connection (sooner once a connection has ended: ManagerOnDemandTests' replaced-while-idle
        /// pod is followed only thanks to that).
        @Test func theNamespaceWatchStartsASecondAfterTheForwardNotWithIt() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let began = ContinuousClock.now
                let port = freeTCPPort()
                let record = try await manager.startForward(sim.request("web-0", local: port, remote: 80))
                #expect(!sim.leftoverProcesses().contains { $0.commandLine.contains("get --raw") })
                #expect(sim.server.podWatchCount(context: "dev", namespace: "default") == 0)
                #expect(await pollUntil(timeout: .seconds(15)) { sim.server.podWatchCount(context: "dev", namespace: "default") > 0 })
                #expect(ContinuousClock.now - began >= PortForwardManager.watchDelay)
                try await manager.stopForward(id: record.id)
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func aPodDeletedWithoutReplacementEndsTheForwardAndClosesThePort() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let manager = sim.manager()
                let events = EventRecorder(manager.events())
                let port = freeTCPPort()
                let record = try await manager.startForward(sim.request("web-0", local: port, remote: 80))
                #expect(await pollUntil(timeout: .seconds(10)) { sim.server.podWatchCount(context: "dev", namespace: "default") > 0 })
                try await sim.deletePod(namespace: "default", name: "web-0")
                #expect(await events.waitFor(timeout: .seconds(15)) { $0 == .notice(Notice(.info, "Port forward stopped: Pod 'web-0' was deleted")) })
                #expect(await events.waitFor { if case .removed(let r) = $0 { r.id == record.id } else { false } })
                #expect(LocalPortProbe().availability(of: port) == .free)
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        /// The issue's loop: a request every 100 ms against `kube9 forward pod/X L:R` while a controller replaces
        /// the pod, then while the backend kubectl is SIGKILLed from outside: every request is answered. (A
        /// connection that reaches kubectl in the very milliseconds it dies is cut with it: in flight to the old one.)
        @Test func everyRequestIsAnsweredAcrossAReplacedPodAndAKilledKubectl() async throws {
            try await KitSim.with(ManagerHealingTests.replicated) { sim in
                let port = freeTCPPort()
                let command = try await ForwardCommandTests().launch(sim, ["--verbose", "pod/web-5d8f7-abcde", "\(port):80"])
                #expect(await command.read(until: "Port forward established: localhost:\(port)"), "\(command.stderr)")
                #expect(await pollUntil(timeout: .seconds(10)) { sim.server.podWatchCount(context: "dev", namespace: "default") > 0 })
                let backend = { sim.leftoverProcesses().first { $0.commandLine.contains("port-forward") }?.pid }
                let first = try #require(backend())
                let kube9 = command.process.processID
                #expect(await Self.onlyKube9Listens(port: port, kube9: kube9, kubectl: first))

                var answered = 0
                var bodies: Set<String> = []
                var killed: Int32?
                var failures: [String] = []
                for index in 0..<80 {
                    if index == 10 { try await sim.deletePod(namespace: "default", name: "web-5d8f7-abcde") }
                    let began = ContinuousClock.now
                    do {
                        let response = try await httpGet(port: port, timeout: .seconds(12))
                        if response.status == 200, response.body.hasPrefix("kube9-sim dev/default/web-5d8f7-") {
                            answered += 1
                            bodies.insert(response.body)
                        } else {
                            failures.append("\(index): \(response.status) \(response.body)")
                        }
                    } catch {
                        failures.append("\(index) after \(ContinuousClock.now - began): \(error)")
                    }
                    if index == 49 {
                        // Between two requests (as a person's `kill` would land), the replacement's kubectl (the
                        // one running now) is killed from outside.
                        try await Task.sleep(until: began + .milliseconds(50), clock: .continuous)
                        killed = backend()
                        if let killed { kill(killed, SIGKILL) }
                    }
                    try await Task.sleep(until: began + .milliseconds(100), clock: .continuous)
                }
                #expect(answered == 80, "\(answered) of 80 answered; \(failures)")
                #expect(bodies.count == 2, "the replacement pod answered too: \(bodies)")
                #expect(killed != nil && killed != first)
                let last = try #require(backend())
                #expect(await Self.onlyKube9Listens(port: port, kube9: kube9, kubectl: last))
                kill(command.process.processID, SIGINT)
                await command.drain()
                #expect(await command.process.waitForExit() == .exited(0))
                if answered < 80 { try? command.stderr.write(toFile: "/tmp/i12-every.log", atomically: true, encoding: .utf8) }
                #expect(LocalPortProbe().availability(of: port) == .free)
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }
    }
}

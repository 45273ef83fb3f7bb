import Foundation
import Glibc
import Kube9TestSupport
import Synchronization
import Testing

@testable import Kube9Kit

extension KubectlIntegration {
    /// A credential plugin that asks the person to log in (prints a URL and a code on stderr, then waits until the
    /// login is done: a file the test creates): kube9 shows the line at once, waits past the usual 10 s deadline,
    /// and a call given up (cancelled, Esc in the UI) leaves no process, the plugin included.
    @Suite(.serialized) struct LoginPromptIntegrationTests {
        static let prompt = LoginPlugin.prompt

        typealias LoginPlugin = Kube9TestSupport.LoginPlugin

        /// What the client was told, and when.
        final class Prompts: Sendable {
            private let lines = Mutex<[(String, ContinuousClock.Instant)]>([])
            func add(_ context: String, _ line: String) { lines.withLock { $0.append(("\(context): \(line)", .now)) } }
            var all: [(String, ContinuousClock.Instant)] { lines.withLock { $0 } }
        }

        @Test func aLoginPromptIsToldAtOnceAndTheCallWaitsPastItsDeadline() async throws {
            let plugin = try LoginPlugin()
            defer { plugin.remove() }
            try await KitSim.with(plugin.scenario) { sim in
                var configuration = sim.configuration
                configuration.requestTimeout = .seconds(10)
                var client = KubectlClient(configuration: configuration)
                let prompts = Prompts()
                client.onLoginPrompt = { context, line in prompts.add(context, line) }
                let started = ContinuousClock.now
                let call = Task { [client] in try await client.pods(context: "secure", namespace: "apps") }
                #expect(await pollUntil(timeout: .seconds(60)) { !prompts.all.isEmpty })
                let (line, at) = try #require(prompts.all.first)
                #expect(line == "secure: \(Self.prompt)")
                #expect(at - started < .seconds(10), "the prompt came \(at - started) after the call started")
                // The usual deadline passes; the call still waits for the login.
                try await Task.sleep(until: started + .seconds(11), clock: .continuous)
                plugin.approve()
                let pods = try await call.value
                #expect(pods.map(\.name) == ["echo-0"])
                #expect(ContinuousClock.now - started > .seconds(10))
            }
        }

        @Test func aCallWaitingForALoginThatIsGivenUpLeavesNoProcess() async throws {
            let plugin = try LoginPlugin()
            defer { plugin.remove() }
            try await KitSim.with(plugin.scenario) { sim in
                var client = KubectlClient(configuration: sim.configuration)
                let prompts = Prompts()
                client.onLoginPrompt = { context, line in prompts.add(context, line) }
                let call = Task { [client] in try await client.namespaces(context: "secure") }
                #expect(await pollUntil(timeout: .seconds(60)) { !prompts.all.isEmpty })
                #expect(!plugin.running.isEmpty, "the plugin waits for the login")
                call.cancel()
                await #expect(throws: KubeError(.other, Messages.cancelled)) { try await call.value }
                #expect(await pollUntil(timeout: .seconds(5)) { plugin.running.isEmpty }, "left: \(plugin.running)")
                #expect(await pollUntil(timeout: .seconds(5)) { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func aForwardWhosePluginAsksForALoginShowsItAndConnectsOnceLoggedIn() async throws {
            let plugin = try LoginPlugin()
            defer { plugin.remove() }
            try await KitSim.with(plugin.scenario) { sim in
                let manager = sim.manager(connectTimeout: .seconds(10))
                let events = EventRecorder(manager.events())
                let port = freeTCPPort()
                let started = ContinuousClock.now
                let start = Task {
                    try await manager.startForward(
                        ForwardRequest(context: "secure", namespace: "apps", name: "echo-0", localPort: port, remotePort: 7000))
                }
                #expect(await events.waitFor(timeout: .seconds(60)) { event in
                    if case .updated(let record) = event { record.loginPrompt == Self.prompt } else { false }
                })
                #expect(ContinuousClock.now - started < .seconds(10))
                try await Task.sleep(until: started + .seconds(11), clock: .continuous)
                plugin.approve()
                let record = try await start.value
                #expect(record.status == .connected && record.loginPrompt == nil)
                #expect(try await sim.httpBody(port: port) == "kube9-sim secure/apps/echo-0:7000\n")
                await manager.stopAllForwards()
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func aForwardStoppedWhileItsPluginWaitsForALoginLeavesNoProcess() async throws {
            let plugin = try LoginPlugin()
            defer { plugin.remove() }
            try await KitSim.with(plugin.scenario) { sim in
                let manager = sim.manager(connectTimeout: .seconds(10))
                let events = EventRecorder(manager.events())
                let request = ForwardRequest(context: "secure", namespace: "apps", name: "echo-0", localPort: freeTCPPort(), remotePort: 7000)
                let start = Task { try await manager.startForward(request) }
                #expect(await events.waitFor(timeout: .seconds(60)) { event in
                    if case .updated(let record) = event { record.loginPrompt != nil } else { false }
                })
                // Esc in the UI: the forward waiting for the login is stopped.
                try await manager.stopForward(id: PortForwardManager.forwardID(for: request))
                await #expect(throws: KubeError.self) { try await start.value }
                #expect(await pollUntil(timeout: .seconds(5)) { plugin.running.isEmpty }, "left: \(plugin.running)")
                #expect(await pollUntil(timeout: .seconds(5)) { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }
    }
}

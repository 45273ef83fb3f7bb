import Foundation
import Glibc
import Kube9TestSupport
import Testing

@testable import Kube9Kit

extension KubectlIntegration {
    /// The real kubectl against kube9-sim whose user is an exec credential plugin that hands out the token in a
    /// file: the token expires while forwards run, their kubectl ends, they pause with the reason (kubectl is not
    /// started again and again: the plugin's runs are counted), and once the token works again they resume and
    /// carry bytes.
    @Suite(.serialized) struct CredentialPauseIntegrationTests {
        /// The sim's context `secure` accepts `live-token` and answers 401 to `stale-token`; the kubeconfig's user
        /// runs `plugin`, which counts its runs and hands out the token in `tokenFile`.
        struct TokenPlugin {
            let directory: String
            var tokenFile: String { directory + "/token" }
            var runsFile: String { directory + "/runs" }
            var plugin: String { directory + "/plugin" }

            init() throws {
                directory = FileManager.default.temporaryDirectory.appendingPathComponent("kube9-pause-\(UUID().uuidString.prefix(8))").path
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try """
                    #!/bin/sh
                    echo run >> \(runsFile)
                    printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"%s"}}' "$(cat \(tokenFile))"
                    """.write(toFile: plugin, atomically: true, encoding: .utf8)
                chmod(plugin, 0o755)
                try use("live-token")
            }

            func use(_ token: String) throws { try token.write(toFile: tokenFile, atomically: true, encoding: .utf8) }

            var runs: Int { ((try? String(contentsOfFile: runsFile, encoding: .utf8)) ?? "").split(separator: "\n").count }

            var scenario: String {
                #"""
                {"contexts":[{"name":"secure","namespace":"apps","auth":{"tokens":["live-token"],"expiredTokens":["stale-token"]},
                  "user":{"exec":{"command":"\#(plugin)"}},
                  "namespaces":[{"name":"apps","pods":[{"name":"echo-0","containers":[{"name":"echo","ports":[{"containerPort":7000}]}]}]}]}]}
                """#
            }

            func remove() { try? FileManager.default.removeItem(atPath: directory) }
        }

        static let identity = "kube9-sim secure/apps/echo-0:7000\n"

        static func request(_ local: Int) -> ForwardRequest {
            ForwardRequest(context: "secure", namespace: "apps", name: "echo-0", localPort: local, remotePort: 7000)
        }

        /// Every forward of `manager` has `status` (false at the deadline).
        static func all(_ manager: PortForwardManager, _ status: ForwardStatus, count: Int) async -> Bool {
            await pollUntil(timeout: .seconds(60)) {
                let records = await manager.forwards()
                return records.count == count && records.allSatisfy { $0.status == status }
            }
        }

        /// The token expires and every forward's kubectl is killed from outside: they pause.
        static func expireAndKill(_ manager: PortForwardManager, _ plugin: TokenPlugin) async throws {
            try plugin.use("stale-token")
            for record in await manager.forwards() {
                kill(try #require(record.processId), SIGKILL)
            }
            let paused = await all(manager, .paused, count: 2)
            let statuses = await manager.forwards().map(\.status)
            #expect(paused, "\(statuses)")
        }

        @Test func expiredCredentialsPauseForwardsWithoutRetriesAndTheyResumeWhenTheTokenWorksAgain() async throws {
            let plugin = try TokenPlugin()
            defer { plugin.remove() }
            try await KitSim.with(plugin.scenario) { sim in
                let manager = sim.manager()
                let events = EventRecorder(manager.events())
                let ports = [freeTCPPort(), freeTCPPort()]
                for port in ports { _ = try await manager.startForward(Self.request(port)) }
                for port in ports { #expect(try await sim.httpBody(port: port) == Self.identity) }
                // The namespace's watch is open (its kubectl has run the plugin) before the token expires.
                #expect(await pollUntil(timeout: .seconds(60)) { sim.server.podWatchCount(context: "secure", namespace: "apps") == 1 })

                try await Self.expireAndKill(manager, plugin)
                let reason = "Authentication failed for context 'secure': "
                for record in await manager.forwards() {
                    #expect(record.pausedReason?.hasPrefix(reason) == true, "\(String(describing: record.pausedReason))")
                    #expect(record.processId == nil)
                }
                #expect(await events.waitFor { event in
                    if case .notice(let notice) = event { notice.severity == .error && notice.text.hasPrefix(reason) } else { false }
                })
                #expect(await events.notices.filter { $0.text.hasPrefix(reason) }.count == 1, "said once")

                // No kubectl is started again: over 8 s (backoff 1 + 2 + 4 s would have tried three times) the
                // plugin does not run, and no port-forward kubectl of this test is alive.
                let runs = plugin.runs
                let quiet = await pollUntil(timeout: .seconds(8)) { plugin.runs != runs }
                #expect(!quiet && plugin.runs == runs, "\(plugin.runs - runs) plugin runs while paused")
                #expect(sim.leftoverProcesses().filter { $0.commandLine.contains("port-forward") }.isEmpty)
                // The port stays kube9's: a connection is accepted and closed at once.
                await #expect(throws: (any Error).self) { _ = try await httpGet(port: ports[0], timeout: .seconds(5)) }
                #expect(await manager.forwards().allSatisfy { $0.status == .paused })

                // The person logs in again and asks (r): the forwards connect and carry bytes.
                try plugin.use("live-token")
                await manager.resumeContext("secure")
                let resumed = await Self.all(manager, .connected, count: 2)
                let statuses = await manager.forwards().map(\.status)
                #expect(resumed, "\(statuses)")
                for port in ports { #expect(try await sim.httpBody(port: port) == Self.identity) }
                #expect(await manager.forwards().allSatisfy { $0.pausedReason == nil })

                await manager.stopAllForwards()
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func aCallThatSucceedsInThePausedContextResumesItsForwards() async throws {
            let plugin = try TokenPlugin()
            defer { plugin.remove() }
            try await KitSim.with(plugin.scenario) { sim in
                let manager = sim.manager()
                let ports = [freeTCPPort(), freeTCPPort()]
                for port in ports { _ = try await manager.startForward(Self.request(port)) }
                try await Self.expireAndKill(manager, plugin)

                // The person logs in; a list read elsewhere (the UI's) succeeds and says so: the forwards resume.
                try plugin.use("live-token")
                let client = KubectlClient(configuration: sim.configuration)
                #expect(try await client.pods(context: "secure", namespace: "apps").map(\.name) == ["echo-0"])
                await manager.noteCall(context: "secure", error: nil)
                #expect(await Self.all(manager, .connected, count: 2))
                for port in ports { #expect(try await sim.httpBody(port: port) == Self.identity) }

                // Paused again; this time a new forward in the context connects, and the others follow it.
                try await Self.expireAndKill(manager, plugin)
                try plugin.use("live-token")
                let third = freeTCPPort()
                _ = try await manager.startForward(Self.request(third))
                #expect(await Self.all(manager, .connected, count: 3))
                for port in ports + [third] { #expect(try await sim.httpBody(port: port) == Self.identity) }

                await manager.stopAllForwards()
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }
    }
}

import Kube9TestSupport
import Foundation
import Glibc
import Testing

@testable import Kube9Kit

extension KubectlIntegration {
    /// The built `kube9 up` binary with saved forwards in a temporary XDG_CONFIG_HOME, the real kubectl, kube9-sim.
    @Suite(.serialized) struct UpCommandTests {
        typealias RunningCommand = ForwardCommandTests.RunningCommand

        func launch(_ sim: KitSim, config: String, _ arguments: [String]) async throws -> RunningCommand {
            var environment = sim.configuration.environment
            environment["XDG_CONFIG_HOME"] = config
            let runner = ProcessRunner(environment: environment)
            let process = try await runner.launch(
                executable: ForwardCommandTests.kube9Binary,
                arguments: ["up", "--kubeconfig", sim.kubeconfigPath] + arguments)
            return RunningCommand(process)
        }

        func configFolder(_ sim: KitSim, saving forwards: [SavedForward]) throws -> String {
            let folder = sim.home + "/xdg-config"
            try SavedForwardStore(environment: ["XDG_CONFIG_HOME": folder]).save(forwards)
            return folder
        }

        @Test func startsEverySavedForwardHoldsThemAndStopsAllOnSigint() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let web = freeTCPPort()
                let api = freeTCPPort()
                let config = try configFolder(sim, saving: [
                    SavedForward(context: "dev", namespace: "default", name: "web-0", localPort: web, remotePort: 80),
                    SavedForward(context: "dev", namespace: "default", name: "api-0", localPort: api, remotePort: 8080),
                    SavedForward(context: "other", namespace: "default", name: "x-0", localPort: 1, remotePort: 80),
                ])
                let command = try await launch(sim, config: config, ["--context", "dev"])
                #expect(await command.read(until: "kube9 up: 2 forward(s) active"), "\(command.stdout) \(command.stderr)")
                #expect(command.stdout.contains("Forwarding localhost:\(web) → default/web-0:80\n"))
                #expect(command.stdout.contains("Forwarding localhost:\(api) → default/api-0:8080\n"))
                #expect(try await sim.httpBody(port: web) == "kube9-sim dev/default/web-0:80\n")
                #expect(try await sim.httpBody(port: api) == "kube9-sim dev/default/api-0:8080\n")
                let children = ProcessTable.children(of: command.process.processID)
                #expect(children.count >= 2)
                kill(command.process.processID, SIGINT)
                await command.drain()
                #expect(await command.process.waitForExit() == .exited(0), "\(command.stderr)")
                #expect(children.allSatisfy { !ProcessTable.isAlive($0) })
                #expect(await pollUntil(timeout: .seconds(2)) { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        /// A saved forward that follows its pod to the replacement is saved as the new pod: the next `kube9 up`
        /// starts it, not a pod that is gone.
        @Test func aSavedForwardThatMovesIsSavedAsItsNewPod() async throws {
            try await KitSim.with(ManagerHealingTests.replicated) { sim in
                let port = freeTCPPort()
                let other = SavedForward(context: "other", namespace: "default", name: "x-0", localPort: freeTCPPort(), remotePort: 80)
                let config = try configFolder(sim, saving: [
                    SavedForward(context: "dev", namespace: "default", name: "web-5d8f7-abcde", localPort: port, remotePort: 80), other,
                ])
                let command = try await launch(sim, config: config, [])
                #expect(await command.read(until: "kube9 up: 1 forward(s) active"), "\(command.stdout) \(command.stderr)")
                #expect(await pollUntil(timeout: .seconds(10)) { sim.server.podWatchCount(context: "dev", namespace: "default") > 0 })
                try await sim.deletePod(namespace: "default", name: "web-5d8f7-abcde")
                #expect(await command.read(until: "Port forward moved to default/web-5d8f7-"), "\(command.stdout) \(command.stderr)")
                let store = SavedForwardStore(environment: ["XDG_CONFIG_HOME": config])
                let saved = await pollUntil(timeout: .seconds(10)) {
                    let names = store.load().forwards.map(\.name)
                    return names.count == 2 && names[0].hasPrefix("web-5d8f7-") && names[0] != "web-5d8f7-abcde"
                }
                #expect(saved, "\(store.load().forwards)")
                #expect(store.load().forwards[1] == other, "the one that failed to start is left as it was")
                kill(command.process.processID, SIGINT)
                await command.drain()
                _ = await command.process.waitForExit()
                #expect(await pollUntil(timeout: .seconds(5)) { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        /// `kube9 stop --all` from another shell: `kube9 up` says each forward stopped and exits 0 (a request, not
        /// forwards ending on their own).
        @Test func stoppedByKube9StopExitsZero() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let web = freeTCPPort()
                let config = try configFolder(sim, saving: [
                    SavedForward(context: "dev", namespace: "default", name: "web-0", localPort: web, remotePort: 80)
                ])
                let controlDirectory = sim.home + "/control"
                var environment = sim.configuration.environment
                environment["XDG_CONFIG_HOME"] = config
                environment["KUBE9_CONTROL_DIR"] = controlDirectory
                let process = try await ProcessRunner(environment: environment).launch(
                    executable: ForwardCommandTests.kube9Binary, arguments: ["up", "--kubeconfig", sim.kubeconfigPath])
                let command = RunningCommand(process)
                #expect(await command.read(until: "kube9 up: 1 forward(s) active"), "\(command.stdout) \(command.stderr)")
                let stop = try await runProcess(
                    [ForwardCommandTests.kube9Binary, "stop", "--all"], environment: environment, timeout: .seconds(20))
                #expect(stop.status == 0, "\(stop)")
                await command.drain()
                #expect(await command.process.waitForExit() == .exited(0), "\(command.stdout) \(command.stderr)")
                #expect(command.stdout.contains("Port forward stopped: localhost:\(web) → default/web-0:80\n"))
                #expect(command.stdout.hasSuffix("kube9 up: every forward was stopped by kube9 stop\n"), "\(command.stdout)")
                #expect(command.stderr.isEmpty, "\(command.stderr)")
                #expect(await pollUntil(timeout: .seconds(2)) { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        /// A forward saved with healing off (`H`) is not healed by `kube9 up`; one saved with it on is.
        @Test func eachSavedForwardHealsAsItWasSaved() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let web = freeTCPPort()
                let api = freeTCPPort()
                let config = try configFolder(sim, saving: [
                    SavedForward(context: "dev", namespace: "default", name: "web-0", localPort: web, remotePort: 80, heals: false),
                    SavedForward(context: "dev", namespace: "default", name: "api-0", localPort: api, remotePort: 8080),
                ])
                let command = try await launch(sim, config: config, ["--context", "dev"])
                #expect(await command.read(until: "kube9 up: 2 forward(s) active"), "\(command.stdout) \(command.stderr)")
                let forwards = sim.leftoverProcesses().filter { $0.commandLine.contains(" port-forward ") }
                #expect(forwards.count == 2, "\(forwards)")
                for forward in forwards { kill(forward.pid, SIGKILL) }
                // Healing off: the forward ends and says so. Healing on (the saved default): served again.
                #expect(await command.read(until: "Port forward stopped unexpectedly: localhost:\(web) → default/web-0:80"), "\(command.stdout) \(command.stderr)")
                #expect(try await sim.httpBody(port: api) == "kube9-sim dev/default/api-0:8080\n")
                #expect(!(command.stdout + command.stderr).contains("Port forward stopped unexpectedly: localhost:\(api)"))
                kill(command.process.processID, SIGTERM)
                await command.drain()
                _ = await command.process.waitForExit()
                #expect(await pollUntil(timeout: .seconds(2)) { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func aFailedForwardIsReportedTheOthersRunAndTheExitSaysSome() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let web = freeTCPPort()
                let pending = freeTCPPort()
                let config = try configFolder(sim, saving: [
                    SavedForward(context: "dev", namespace: "default", name: "web-0", localPort: web, remotePort: 80),
                    SavedForward(context: "dev", namespace: "default", name: "pending-0", localPort: pending, remotePort: 80),
                ])
                let command = try await launch(sim, config: config, [])
                #expect(await command.read(until: "kube9 up: 1 forward(s) active"), "\(command.stdout) \(command.stderr)")
                #expect(await command.read(until: "(current: Pending)"), "\(command.stderr)")
                #expect(command.stderr.contains("localhost:\(pending) → default/pending-0:80: Cannot port forward: Pod 'pending-0' is not in Running state (current: Pending)"), "\(command.stderr)")
                #expect(try await sim.httpBody(port: web) == "kube9-sim dev/default/web-0:80\n")
                kill(command.process.processID, SIGTERM)
                await command.drain()
                #expect(await command.process.waitForExit() == .exited(2))
                #expect(await pollUntil(timeout: .seconds(2)) { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func everyFailureIsReportedWithItsReasonAndCounted() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let web = freeTCPPort()
                let pending = freeTCPPort()
                let locked = freeTCPPort()
                let ghost = freeTCPPort()
                let config = try configFolder(sim, saving: [
                    SavedForward(context: "dev", namespace: "default", name: "web-0", localPort: web, remotePort: 80),
                    SavedForward(context: "dev", namespace: "default", name: "pending-0", localPort: pending, remotePort: 80),
                    SavedForward(context: "dev", namespace: "locked", name: "secret-0", localPort: locked, remotePort: 80),
                    SavedForward(context: "dev", namespace: "default", name: "ghost-0", localPort: ghost, remotePort: 80),
                ])
                let command = try await launch(sim, config: config, [])
                #expect(await command.read(until: "kube9 up: 1 forward(s) active"), "\(command.stdout) \(command.stderr)")
                #expect(await command.read(until: "kube9 up: 3 of 4 saved forward(s) failed to start"), "\(command.stderr)")
                let lines = command.stderr.split(separator: "\n").map(String.init)
                #expect(lines.contains("localhost:\(pending) → default/pending-0:80: Cannot port forward: Pod 'pending-0' is not in Running state (current: Pending)"), "\(lines)")
                #expect(lines.contains("localhost:\(locked) → locked/secret-0:80: Permission denied. You need pods/portforward permission in namespace 'locked'."), "\(lines)")
                #expect(lines.contains { $0.hasPrefix("localhost:\(ghost) → default/ghost-0:80: ") && $0.contains("not found") }, "\(lines)")
                kill(command.process.processID, SIGTERM)
                await command.drain()
                #expect(await command.process.waitForExit() == .exited(2))
                #expect(await pollUntil(timeout: .seconds(2)) { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func noSavedForwardsOrACorruptFileExitsOne() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let config = sim.home + "/xdg-empty"
                let empty = try await launch(sim, config: config, [])
                await empty.drain()
                #expect(await empty.process.waitForExit() == .exited(1))
                #expect(empty.stderr.hasPrefix("kube9 up: no saved forwards in \(config)/kube9/forwards.json"), "\(empty.stderr)")

                try FileManager.default.createDirectory(atPath: config + "/kube9", withIntermediateDirectories: true)
                try Data("{not json".utf8).write(to: URL(fileURLWithPath: config + "/kube9/forwards.json"))
                let corrupt = try await launch(sim, config: config, [])
                await corrupt.drain()
                #expect(await corrupt.process.waitForExit() == .exited(1))
                #expect(corrupt.stderr.contains("forwards.json.corrupt-"), "\(corrupt.stderr)")
                #expect(corrupt.stderr.contains("kube9 up: no saved forwards"))
                #expect(empty.stdout.isEmpty && corrupt.stdout.isEmpty)
            }
        }
    }
}

import Kube9TestSupport
import Foundation
import Glibc
import Synchronization
import Testing

@testable import Kube9Kit

extension KubectlIntegration {
    /// The built `kube9 forward` binary with the real kubectl against kube9-sim.
    @Suite(.serialized) struct ForwardCommandTests {
        static var kube9Binary: String {
            let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            for folder in [beside, beside.deletingLastPathComponent(), Bundle.module.bundleURL.deletingLastPathComponent()] {
                let candidate = folder.appendingPathComponent("kube9").path
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
            return "kube9"
        }

        /// A running `kube9 forward ...` (or `kube9 up`) whose output a task of its own collects as it comes, so that
        /// every wait for a line has its deadline even while the command prints nothing.
        final class RunningCommand: Sendable {
            let process: RunningProcess
            private let buffer: CollectedOutput
            private let collector: Task<Void, Never>

            init(_ process: RunningProcess) {
                self.process = process
                let buffer = CollectedOutput()
                self.buffer = buffer
                collector = Task {
                    for await chunk in process.output { buffer.append(chunk) }
                    buffer.end()
                }
            }

            var stdout: String { buffer.text.stdout }
            var stderr: String { buffer.text.stderr }

            /// Whether `marker` appears on stdout or stderr within `timeout` (false at once if the output ends first).
            func read(until marker: String, timeout: Duration = .seconds(20)) async -> Bool {
                func seen() -> Bool { stdout.contains(marker) || stderr.contains(marker) }
                _ = await pollUntil(timeout: timeout) { seen() || buffer.ended }
                return seen()
            }

            /// The whole stdout line that contains `marker`, or "" when it does not come within `timeout`.
            func line(containing marker: String, timeout: Duration = .seconds(20)) async -> String {
                func found() -> String? {
                    let stdout = self.stdout
                    guard let range = stdout.range(of: marker), let end = stdout[range.upperBound...].firstIndex(of: "\n")
                    else { return nil }
                    let start = stdout[..<range.lowerBound].lastIndex(of: "\n").map { stdout.index(after: $0) } ?? stdout.startIndex
                    return String(stdout[start..<end])
                }
                _ = await pollUntil(timeout: timeout) { found() != nil || buffer.ended }
                return found() ?? ""
            }

            /// Waits for the output to end (the process has exited and its pipes closed).
            func drain() async {
                await collector.value
            }
        }

        /// Bytes as they came (a chunk may end inside a UTF-8 sequence), decoded whole when read.
        final class CollectedOutput: Sendable {
            private let bytes = Mutex<(stdout: [UInt8], stderr: [UInt8], ended: Bool)>(([], [], false))

            func append(_ chunk: RunningProcess.Output) {
                bytes.withLock { bytes in
                    switch chunk {
                    case .standardOutput(let more): bytes.stdout += more
                    case .standardError(let more): bytes.stderr += more
                    }
                }
            }

            func end() { bytes.withLock { $0.ended = true } }

            var ended: Bool { bytes.withLock { $0.ended } }

            var text: (stdout: String, stderr: String) {
                bytes.withLock { (String(decoding: $0.stdout, as: UTF8.self), String(decoding: $0.stderr, as: UTF8.self)) }
            }
        }

        func launch(_ sim: KitSim, _ arguments: [String], environment: [String: String] = [:]) async throws -> RunningCommand {
            let runner = ProcessRunner(environment: sim.configuration.environment.merging(environment) { $1 })
            let process = try await runner.launch(
                executable: Self.kube9Binary, arguments: ["forward", "--kubeconfig", sim.kubeconfigPath] + arguments)
            return RunningCommand(process)
        }

        @Test func sigkillOfKube9LeavesNoKubectlBehind() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let port = freeTCPPort()
                let command = try await launch(sim, ["--context", "dev", "pod/web-0", "\(port):80"])
                #expect(await command.read(until: "Port forward established: localhost:\(port) → default/web-0:80"), "\(command.stderr)")
                #expect(try await sim.httpBody(port: port) == "kube9-sim dev/default/web-0:80\n")
                let children = ProcessTable.children(of: command.process.processID)
                #expect(!children.isEmpty)
                #expect(children.allSatisfy { pid in
                    (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8))?.contains("kubectl") == true
                })
                kill(command.process.processID, SIGKILL)
                #expect(await command.process.waitForExit() == .signaled(SIGKILL))
                #expect(await pollUntil(timeout: .seconds(2)) { children.allSatisfy { !ProcessTable.isAlive($0) } })
                #expect(await pollUntil(timeout: .seconds(2)) { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func sigintStopsKubectlAndExitsZero() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let port = freeTCPPort()
                // No --context: the kubeconfig's current context (dev) and its namespace (default).
                let command = try await launch(sim, ["pod/web-0", "\(port):80"])
                #expect(await command.read(until: "Port forward established: localhost:\(port) → default/web-0:80"), "\(command.stderr)")
                let children = ProcessTable.children(of: command.process.processID)
                // kube9 ignores SIGINT/SIGTERM itself (it handles them); its kubectl children must not inherit that.
                // (Only children that have exec'd kubectl, told by argv[0]: one caught between fork and exec is still
                // kube9, with kube9's mask and a command line that names kubectl in `--kubectl`.)
                let kubectls = children.filter {
                    let argv0 = (try? String(contentsOfFile: "/proc/\($0)/cmdline", encoding: .utf8))?.split(separator: "\0").first
                    return argv0.map { $0.split(separator: "/").last?.hasPrefix("kubectl") == true } ?? false
                }
                #expect(!kubectls.isEmpty)
                // Go's runtime blocks every signal for an instant while it clones a thread, so a blocked SIGTERM counts
                // only when it stays blocked; an ignored one (SigIgn) never passes.
                for child in kubectls {
                    #expect(await pollUntil(timeout: .seconds(1)) { !ProcessTable.ignoresOrBlocks(SIGTERM, pid: child) },
                            "kubectl \(child) ignores SIGTERM")
                }
                kill(command.process.processID, SIGINT)
                await command.drain()
                #expect(await command.process.waitForExit() == .exited(0))
                #expect(children.allSatisfy { !ProcessTable.isAlive($0) })
                #expect(sim.leftoverProcesses().isEmpty)
            }
        }

        @Test func aPortConflictPrintsTheSuggestionAndExits3UnlessAutoPort() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let held = try HeldPort()
                let suggestion = try #require(LocalPortProbe().suggestion(above: held.port))
                let refused = try await launch(sim, ["pod/web-0", "\(held.port):80"])
                await refused.drain()
                #expect(await refused.process.waitForExit() == .exited(3))
                #expect(refused.stderr == "Port \(held.port) is already in use. Try \(suggestion)?\n")
                #expect(refused.stdout.isEmpty)

                let auto = try await launch(sim, ["--auto-port", "pod/web-0", "\(held.port):80"])
                #expect(await auto.read(until: "Port forward established: localhost:\(suggestion) → default/web-0:80"), "\(auto.stderr)")
                kill(auto.process.processID, SIGTERM)
                await auto.drain()
                #expect(await auto.process.waitForExit() == .exited(0))
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func autoPortNeverGivesTwoMappingsOnePort() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let held = try HeldPort()
                // The first mapping's port is busy and moves to the suggestion, which the second mapping names.
                let moved = try #require(LocalPortProbe().suggestion(above: held.port))
                let next = try #require(LocalPortProbe().suggestion(above: moved))
                let command = try await launch(sim, ["--auto-port", "pod/api-0", "\(held.port):8080", "\(moved):9090"])
                #expect(await command.read(until: "localhost:\(next) → default/api-0:9090"), "\(command.stderr)")
                #expect(command.stdout.contains("Port forward established: localhost:\(moved) → default/api-0:8080"))
                #expect(command.stderr.contains("Port \(held.port) is already in use. Try \(moved)? Using \(moved)."))
                #expect(command.stderr.contains("Port \(moved) is already in use. Try \(next)? Using \(next)."))
                kill(command.process.processID, SIGTERM)
                await command.drain()
                #expect(await command.process.waitForExit() == .exited(0))
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func aDeletedPodEndsTheCommandWithItsMessage() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let port = freeTCPPort()
                let command = try await launch(sim, ["-n", "default", "pod/web-0", "\(port):80"])
                #expect(await command.read(until: "Port forward established"), "\(command.stderr)")
                try await sim.deletePod(namespace: "default", name: "web-0")
                await command.drain()
                #expect(await command.process.waitForExit() == .exited(1))
                #expect(command.stdout.hasSuffix("Port forward stopped: Pod 'web-0' was deleted\n"))
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func severalMappingsStartOneForwardEachAndSigintStopsThemAll() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let first = freeTCPPort()
                var second = freeTCPPort()
                while second == first { second = freeTCPPort() }
                // A time zone in which it is now 15:xx, so that a 12-hour clock would read 03.
                let utcHour = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date()).hour!
                var offset = (15 - utcHour + 24) % 24
                if offset > 14 { offset -= 24 }
                // Etc/GMT-N is N hours east of UTC.
                let zone = offset >= 0 ? "Etc/GMT-\(offset)" : "Etc/GMT+\(-offset)"
                let command = try await launch(
                    sim, ["pod/api-0", "\(first):8080", "\(second):9090"], environment: ["TZ": zone])
                #expect(await command.read(until: "localhost:\(second) → default/api-0:9090"), "\(command.stderr)")
                #expect(command.stdout.contains("Port forward established: localhost:\(first) → default/api-0:8080"))
                #expect(try await sim.httpBody(port: first) == "kube9-sim dev/default/api-0:8080\n")
                #expect(try await sim.httpBody(port: second) == "kube9-sim dev/default/api-0:9090\n")
                // One kubectl carries both mappings.
                let kubectl = sim.leftoverProcesses().filter { $0.commandLine.contains(" port-forward ") }
                #expect(kubectl.count == 1 && kubectl.first?.commandLine.contains("pod/api-0 :8080 :9090 ") == true, "\(kubectl)")
                // Activity, counted per forward.
                #expect(await command.read(until: "localhost:\(second) → default/api-0:9090: 1 connection"), "\(command.stdout)")
                #expect(try await sim.httpBody(port: second) == "kube9-sim dev/default/api-0:9090\n")
                // The local time on a 24-hour clock (or 16:00 if the hour turned since).
                let activity = await command.line(containing: "localhost:\(second) → default/api-0:9090: 2 connections, last at ")
                #expect(activity.contains("last at 15:") || activity.contains("last at 16:00:"), "\(command.stdout)")
                kill(command.process.processID, SIGINT)
                await command.drain()
                #expect(await command.process.waitForExit() == .exited(0))
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func aServiceForwardReachesAPodBehindTheService() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let port = freeTCPPort()
                let command = try await launch(sim, ["svc/api", "\(port):80"])
                #expect(await command.read(until: "Port forward established: localhost:\(port) → default/svc/api:80"), "\(command.stderr)")
                // kubectl resolves the service's targetPort (8080) on a pod its selector picks.
                #expect(try await sim.httpBody(port: port) == "kube9-sim dev/default/api-0:8080\n")
                kill(command.process.processID, SIGTERM)
                await command.drain()
                #expect(await command.process.waitForExit() == .exited(0))
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        @Test func aNonLoopbackAddressIsWarnedAboutAndListensOnEveryInterface() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let port = freeTCPPort()
                let command = try await launch(sim, ["--address", "0.0.0.0", "pod/web-0", "\(port):80"])
                #expect(await command.read(until: "Port forward established: 0.0.0.0:\(port) → default/web-0:80"), "\(command.stderr)")
                #expect(command.stderr.contains("Listening on 0.0.0.0: the forwarded ports are reachable from other machines."))
                // Listening on the wildcard address (/proc/net/tcp: 00000000:PORT in state 0A), and reachable.
                let hexPort = String(format: "%04X", port)
                let table = try String(contentsOfFile: "/proc/net/tcp", encoding: .utf8)
                #expect(table.split(separator: "\n").contains { $0.contains("00000000:\(hexPort) 00000000:0000 0A") })
                #expect(try await sim.httpBody(port: port) == "kube9-sim dev/default/web-0:80\n")
                kill(command.process.processID, SIGINT)
                await command.drain()
                #expect(await command.process.waitForExit() == .exited(0))
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        /// kubectl's `:REMOTE` (and `0:REMOTE`): any free local port, which the established line names.
        @Test func aColonAndTheRemotePortTakeAnyFreeLocalPort() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let command = try await launch(sim, ["pod/web-0", ":80", "0:80"])
                #expect(await command.read(until: "\n", timeout: .seconds(20)))
                _ = await pollUntil { command.stdout.split(separator: "\n").count == 2 }
                let ports = command.stdout.split(separator: "\n").compactMap { line -> Int? in
                    guard let range = line.range(of: "Port forward established: localhost:") else { return nil }
                    return Int(line[range.upperBound...].prefix { $0.isNumber })
                }
                #expect(ports.count == 2 && Set(ports).count == 2 && !ports.contains(80), "\(command.stdout)\(command.stderr)")
                for port in ports { #expect(try await sim.httpBody(port: port) == "kube9-sim dev/default/web-0:80\n") }
                kill(command.process.processID, SIGINT)
                await command.drain()
                #expect(await command.process.waitForExit() == .exited(0))
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        /// kubectl's named remote ports: a pod's container port (`L:p9090`, `:p8080`) and a service's port
        /// (`L:http`, whose target port kubectl finds in the pod); a name the target lacks is kubectl's error.
        @Test func namedRemotePortsAreNumberedFromThePodOrTheService() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let local = freeTCPPort()
                let pod = try await launch(sim, ["pod/api-0", "\(local):p9090", ":p8080"])
                #expect(await pod.read(until: "Port forward established: localhost:\(local) → default/api-0:9090"), "\(pod.stderr)")
                #expect(await pod.read(until: "→ default/api-0:8080\n"), "\(pod.stdout)\(pod.stderr)")
                #expect(try await sim.httpBody(port: local) == "kube9-sim dev/default/api-0:9090\n")
                kill(pod.process.processID, SIGINT)
                await pod.drain()
                #expect(await pod.process.waitForExit() == .exited(0))

                let serviceLocal = freeTCPPort()
                let service = try await launch(sim, ["svc/api", "\(serviceLocal):http"])
                #expect(await service.read(until: "Port forward established: localhost:\(serviceLocal) → default/svc/api:80"), "\(service.stderr)")
                #expect(try await sim.httpBody(port: serviceLocal) == "kube9-sim dev/default/api-0:8080\n")
                kill(service.process.processID, SIGINT)
                await service.drain()
                #expect(await service.process.waitForExit() == .exited(0))

                // A bare name's local port is its number: given twice, a usage error.
                let twice = try await launch(sim, ["pod/api-0", "p9090", "9090"])
                await twice.drain()
                #expect(await twice.process.waitForExit() == .exited(64))
                #expect(twice.stderr.contains("Local port 9090 is given twice."), "\(twice.stderr)")

                for (arguments, said) in [
                    (["pod/api-0", "\(freeTCPPort()):metrics"], "Pod 'api-0' does not have a named port 'metrics'\n"),
                    (["pod/api-0", "\(freeTCPPort()):HTTP"], "Pod 'api-0' does not have a named port 'HTTP'\n"),
                    (["svc/api", "https"], "Service 'api' does not have a named port 'https'\n"),
                    (["svc/missing", "http"], "Error from server (NotFound): services \"missing\" not found\n"),
                ] {
                    let failed = try await launch(sim, arguments)
                    await failed.drain()
                    #expect(await failed.process.waitForExit() == .exited(1))
                    #expect(failed.stderr == said)
                }
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        /// `kube9 forward deploy/web`: kubectl picks a pod of the deployment; when that pod is deleted, the restart
        /// picks its replacement and requests keep being answered on the same port. A workload's named port, a
        /// missing workload and a kind kubectl does not forward are errors.
        @Test func aDeploymentForwardMovesToTheReplacementPod() async throws {
            let scenario = #"""
                {"contexts":[{"name":"dev","namespace":"default","namespaces":[{"name":"default",
                  "pods":[{"name":"web-5d8f7-abcde","labels":{"app":"web"},"replaceOnDelete":true,
                    "containers":[{"name":"nginx","ports":[{"containerPort":80,"name":"http"}]}]},
                    {"name":"queue-0","phase":"Pending","labels":{"app":"queue"},"containers":[{"name":"q"}]}],
                  "workloads":[{"kind":"Deployment","name":"web","selector":{"app":"web"}},
                    {"kind":"StatefulSet","name":"queue","selector":{"app":"queue"}},
                    {"kind":"Deployment","name":"empty","selector":{"app":"none"}}]}]}]}
                """#
            try await KitSim.with(scenario) { sim in
                let port = freeTCPPort()
                let command = try await launch(sim, ["deployment/web", "\(port):80"])
                #expect(await command.read(until: "Port forward established: localhost:\(port) → default/deploy/web:80"), "\(command.stderr)")
                #expect(try await sim.httpBody(port: port) == "kube9-sim dev/default/web-5d8f7-abcde:80\n")
                try await sim.deletePod(namespace: "default", name: "web-5d8f7-abcde")
                // Every request is answered, by the old pod or, from the restart on, its replacement.
                var bodies: [String] = []
                var failures: [String] = []
                let moved = await pollUntil(timeout: .seconds(20)) {
                    do {
                        let body = try await httpGet(port: port, timeout: .seconds(10)).body
                        bodies.append(body)
                        return body.hasPrefix("kube9-sim dev/default/web-5d8f7-") && body != "kube9-sim dev/default/web-5d8f7-abcde:80\n"
                    } catch {
                        failures.append("\(error)")
                        return false
                    }
                }
                #expect(moved, "\(bodies)")
                #expect(failures.isEmpty, "\(failures)")
                #expect(bodies.allSatisfy { $0.hasPrefix("kube9-sim dev/default/web-5d8f7-") }, "\(bodies)")
                #expect(!command.stderr.contains("stopped"), "\(command.stderr)")
                // No namespace watch for it (more than ``PortForwardManager/watchDelay`` after it connected).
                #expect(sim.server.podWatchCount(context: "dev", namespace: "default") == 0)
                kill(command.process.processID, SIGINT)
                await command.drain()
                #expect(await command.process.waitForExit() == .exited(0))

                // A workload's named port: numbered from its pod template.
                let namedPort = freeTCPPort()
                let named = try await launch(sim, ["deploy/web", "\(namedPort):http"])
                #expect(await named.read(until: "Port forward established: localhost:\(namedPort) → default/deploy/web:80"), "\(named.stderr)")
                kill(named.process.processID, SIGINT)
                await named.drain()
                #expect(await named.process.waitForExit() == .exited(0))

                for (arguments, status, said) in [
                    (["sts/nope", "\(freeTCPPort()):80"], Int32(1), "Error from server (NotFound): statefulsets.apps \"nope\" not found\n"),
                    (["deploy/web", "\(freeTCPPort()):metrics"], 1, "Deployment 'web' does not have a named port 'metrics'\n"),
                    (["sts/queue", "\(freeTCPPort()):80"], 1,
                     "Cannot port forward: the pod behind sts/queue is not in Running state (current: Pending)\n"),
                    // No pod at all: kubectl waits within kube9's start deadline, then says so.
                    (["deploy/empty", "\(freeTCPPort()):80"], 1, "Cannot port forward: no running pod behind deploy/empty\n"),
                ] {
                    let failed = try await launch(sim, arguments)
                    await failed.drain()
                    #expect(await failed.process.waitForExit() == .exited(status))
                    #expect(failed.stderr == said)
                }
                let cronJob = try await launch(sim, ["cronjob/x", "80"])
                await cronJob.drain()
                #expect(await cronJob.process.waitForExit() == .exited(64))
                #expect(cronJob.stderr.contains("Expected pod/NAME, svc/NAME or deploy/NAME (sts/, rs/, ds/), got 'cronjob/x'."))
                #expect(await pollUntil { sim.leftoverProcesses().isEmpty }, "left: \(sim.leftoverProcesses())")
            }
        }

        /// `--verbose` says each step of a forward's life once: connected, ended, then removed with why.
        @Test func theVerboseLogSaysEachStepOnce() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let port = freeTCPPort()
                let command = try await launch(sim, ["--verbose", "pod/web-0", "\(port):80"])
                #expect(await command.read(until: "Port forward established: localhost:\(port)"), "\(command.stderr)")
                kill(command.process.processID, SIGINT)
                await command.drain()
                #expect(await command.process.waitForExit() == .exited(0))
                let lines = command.stderr.split(separator: "\n")
                let id = "dev/default/web-0:\(port):80"
                func count(_ step: String) -> Int { lines.filter { $0.contains("id=\(id)") && $0.hasSuffix("] \(step)") }.count }
                #expect(count("forward connected") == 1, "\(command.stderr)")
                #expect(count("forward ended") == 1, "\(command.stderr)")
                #expect(lines.filter { $0.contains("id=\(id) reason=stopped") && $0.hasSuffix("] forward removed") }.count == 1)
            }
        }

        @Test func aBadAddressOrATwiceGivenLocalPortIsAUsageError() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let badAddress = try await launch(sim, ["--address", "not-an-ip", "pod/web-0", "80"])
                await badAddress.drain()
                #expect(await badAddress.process.waitForExit() == .exited(64))
                #expect(badAddress.stderr.contains("'not-an-ip' is not an address kubectl can listen on"))

                let twice = try await launch(sim, ["pod/api-0", "18080:8080", "18080:9090"])
                await twice.drain()
                #expect(await twice.process.waitForExit() == .exited(64))
                #expect(twice.stderr.contains("Local port 18080 is given twice."))
                #expect(ForwardAddress.problem("127.0.0.1,::1") == nil)
                #expect(ForwardAddress.problem("localhost") == nil)
                #expect(ForwardAddress.problem("0.0.0.0") == nil)
                #expect(ForwardAddress.problem("") == Messages.addressEmpty)
                #expect(ForwardAddress.problem("127.0.0.1,") != nil)
                #expect(sim.leftoverProcesses().isEmpty)
            }
        }

        @Test func usageErrorsAndAMissingKubectlHaveTheirExitCodes() async throws {
            try await KitSim.with(ForwardScenarios.standard()) { sim in
                let badPort = try await launch(sim, ["pod/web-0", "0"])
                await badPort.drain()
                #expect(await badPort.process.waitForExit() == .exited(64))
                #expect(badPort.stderr.contains("Port 0 is not allowed: use 1–65535."))

                let noKubectl = try await launch(sim, ["--kubectl", "/nonexistent/kubectl", "pod/web-0", "80"])
                await noKubectl.drain()
                #expect(await noKubectl.process.waitForExit() == .exited(1))
                #expect(noKubectl.stderr == "kubectl not found. Please install kubectl to use port forwarding. /nonexistent/kubectl: no such file.\n")

                let pending = try await launch(sim, ["pod/pending-0", "\(freeTCPPort()):80"])
                await pending.drain()
                #expect(await pending.process.waitForExit() == .exited(1))
                #expect(pending.stderr == "Cannot port forward: Pod 'pending-0' is not in Running state (current: Pending)\n")
                #expect(sim.leftoverProcesses().isEmpty)
            }
        }
    }
}

import Foundation
import Kube9TestSupport
import Testing

@testable import Kube9Kit

extension KubectlIntegration {
    /// The real kubectl against clusters whose credentials or certificate fail (a credential plugin that fails, a
    /// throw-away `openssl s_server` with a certificate nobody trusts), and kube9's commands on kubeconfigs that are
    /// missing: the reason reaches the person, with the context's name, and not as "Unable to reach the cluster".
    @Suite(.serialized) struct CredentialIntegrationTests {
        typealias Folder = KubeconfigTests.Folder

        /// A kubeconfig with context `c` (namespace `shop`) whose user runs `plugin`, a shell script that appends a
        /// line to `runs` each time it runs, says why on stderr and fails.
        struct FailingPlugin {
            let folder: Folder
            let kubeconfig: String
            let runs: String
            var environment: [String: String] { ["HOME": folder.path + "/home", "KUBECONFIG": ""] }

            init(server: String, certificateAuthority: String? = nil) throws {
                folder = try Folder()
                try FileManager.default.createDirectory(atPath: folder.path + "/home", withIntermediateDirectories: true)
                runs = folder.path + "/runs"
                let plugin = try folder.write(
                    "plugin", "#!/bin/sh\necho run >> \(runs)\necho 'error: token expired; run: acme-login --refresh' >&2\nexit 1\n")
                chmod(plugin, 0o755)
                let authority = certificateAuthority.map { "\n    certificate-authority: \($0)" } ?? ""
                kubeconfig = try folder.write(
                    "kubeconfig",
                    """
                    apiVersion: v1
                    kind: Config
                    current-context: c
                    clusters:
                    - name: c
                      cluster:
                        server: \(server)\(authority)
                    contexts:
                    - name: c
                      context: {cluster: c, user: u, namespace: shop}
                    users:
                    - name: u
                      user:
                        exec:
                          apiVersion: client.authentication.k8s.io/v1beta1
                          command: \(plugin)
                          interactiveMode: Never

                    """)
            }

            var runCount: Int {
                ((try? String(contentsOfFile: runs, encoding: .utf8)) ?? "").split(separator: "\n").count
            }

            var client: KubectlClient {
                KubectlClient(configuration: KubectlConfiguration(kubeconfig: kubeconfig, environment: environment, requestTimeout: .seconds(30)))
            }
        }

        @Test func aFailingCredentialPluginIsAnAuthenticationFailureInItsOwnWords() async throws {
            let setup = try FailingPlugin(server: "https://127.0.0.1:\(freeTCPPort())")
            let error = await #expect(throws: KubeError.self) { try await setup.client.namespaces(context: "c") }
            #expect(error == KubeError(.authentication, "Authentication failed for context 'c': error: token expired; run: acme-login --refresh"))
            // Listing contexts runs neither kubectl nor the plugin.
            let before = setup.runCount
            #expect(try await setup.client.contexts().map(\.name) == ["c"])
            #expect(setup.runCount == before)
        }

        @Test func kube9ForwardRunsThePluginAsOftenAsKubectlAndSaysWhy() async throws {
            let setup = try FailingPlugin(server: "https://127.0.0.1:\(freeTCPPort())")
            let port = freeTCPPort()
            var environment = ProcessInfo.processInfo.environment.merging(setup.environment) { _, own in own }
            environment["KUBECONFIG"] = setup.kubeconfig
            let raw = try await runProcess(
                ["/usr/bin/env", "kubectl", "port-forward", "pod/web-0", "\(port):80", "-n", "shop", "--context", "c"],
                environment: environment, timeout: .seconds(60))
            #expect(raw.status == 1, "\(raw)")
            let rawRuns = setup.runCount
            #expect(rawRuns > 0)
            let forward = try await runProcess(
                [ForwardCommandTests.kube9Binary, "forward", "--no-heal", "--context", "c", "-n", "shop", "pod/web-0", "\(port):80"],
                environment: environment, timeout: .seconds(60))
            #expect(forward.status == 1, "\(forward)")
            #expect(forward.stderr.contains("Authentication failed"), "\(forward)")
            #expect(forward.stderr.contains(": error: token expired; run: acme-login --refresh\n"), "\(forward)")
            #expect(!forward.stderr.contains("Unable to reach"), "\(forward)")
            #expect(setup.runCount - rawRuns == rawRuns, "kube9: \(setup.runCount - rawRuns) plugin runs, kubectl: \(rawRuns)")
        }

        @Test func anUntrustedCertificateIsNotConnectivity() async throws {
            let folder = try Folder()
            let key = folder.path + "/key.pem"
            let certificate = folder.path + "/cert.pem"
            let made = try await runProcess(
                ["/usr/bin/env", "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
                 "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"], timeout: .seconds(60))
            #expect(made.status == 0, "\(made)")
            let server = try SpawnedProcess.start(argv: [
                "/usr/bin/env", "openssl", "s_server", "-www", "-accept", "127.0.0.1:0", "-cert", certificate, "-key", key,
            ])
            var error: KubeError?
            do {
                let listening = try await server.waitForLine(containing: "ACCEPT 127.0.0.1:", timeout: .seconds(20))
                let port = String(listening.split(separator: ":").last ?? "").filter(\.isNumber)
                let setup = try TrustingNobody(folder: folder, server: "https://127.0.0.1:\(port)")
                error = await #expect(throws: KubeError.self) { try await setup.client.namespaces(context: "c") }
            } catch {
                Issue.record("openssl s_server: \(error) \(server.stderr)")
            }
            _ = await server.stop()
            #expect(
                error == KubeError(.untrustedCertificate, "The certificate of context 'c' is not trusted: x509: certificate signed by unknown authority"))
        }

        /// Context `c` with a plain token, and no certificate authority for the server's self-signed certificate.
        struct TrustingNobody {
            let client: KubectlClient
            init(folder: Folder, server: String) throws {
                try FileManager.default.createDirectory(atPath: folder.path + "/home", withIntermediateDirectories: true)
                let kubeconfig = try folder.write(
                    "kubeconfig",
                    "clusters:\n- name: c\n  cluster: {server: \"\(server)\"}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\n"
                        + "users:\n- name: u\n  user: {token: t}\n")
                client = KubectlClient(
                    configuration: KubectlConfiguration(
                        kubeconfig: kubeconfig, environment: ["HOME": folder.path + "/home"], requestTimeout: .seconds(30)))
            }
        }

        // MARK: - Kubeconfigs that cannot be read: the path and why, exit 1, nothing else

        func run(_ arguments: [String], _ extra: [String: String]) async throws -> ProcessResult {
            let folder = try Folder()
            var environment = ProcessInfo.processInfo.environment
            environment["HOME"] = folder.path
            environment["XDG_CONFIG_HOME"] = folder.path + "/config"
            environment.merge(extra) { _, own in own }
            return try await runProcess([ForwardCommandTests.kube9Binary] + arguments, environment: environment, timeout: .seconds(60))
        }

        @Test(arguments: [["forward", "pod/web-0", "8000:80"], ["up"], [], ["ui"]])
        func aMissingKubeconfigIsItsPathAndReasonAndExitOne(_ command: [String]) async throws {
            let typo = "/tmp/kube9-typo-\(UUID().uuidString)"
            let explicit = try await run(command + ["--kubeconfig", typo], [:])
            #expect(explicit.status == 1, "\(explicit)")
            #expect(explicit.stderr == "Cannot read the kubeconfig \(typo): no such file or directory\n", "\(explicit)")
            #expect(explicit.stdout.isEmpty, "\(explicit)")

            let list = try await run(command, ["KUBECONFIG": "\(typo)-a:\(typo)-b"])
            #expect(list.status == 1, "\(list)")
            #expect(list.stderr == "Cannot read the kubeconfig: no file of KUBECONFIG exists (\(typo)-a, \(typo)-b)\n", "\(list)")
            #expect(list.stdout.isEmpty, "\(list)")
        }

        @Test func anInvalidKubeconfigInTheListIsItsPathAndReason() async throws {
            let folder = try Folder()
            let good = try folder.write("good", KubeconfigTests.second)
            let broken = try folder.write("broken", "contexts: [\n")
            let result = try await run(["forward", "--context", "alpha", "pod/web-0", "8000:80"], ["KUBECONFIG": "\(good):\(broken)"])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.hasPrefix("Cannot read the kubeconfig \(broken): not valid YAML: "), "\(result)")
        }
    }
}

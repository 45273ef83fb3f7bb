import Foundation
import KubeSim
import Kube9TestSupport
import Testing

/// The API as clusters serve it: HTTPS with a CA made at start (in the kubeconfig), bearer tokens, tokens that
/// expire, and exec credential plugins that kubectl runs only against HTTPS.
@Suite struct TLSAndAuthTests {
    static let unauthorizedBody =
        #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#

    static func scenario(auth: String = "", user: String = "", tls: String = "") -> String {
        #"""
        {"contexts":[{"name":"secure","namespace":"apps"\#(tls)\#(auth)\#(user),"namespaces":[{"name":"apps","pods":[
          {"name":"echo-0","containers":[{"name":"echo","ports":[{"containerPort":7000}]}]}]}]}]}
        """#
    }

    @Test func kubeconfigNamesAnHTTPSServerAndItsCA() async throws {
        try await SimHarness.with(scenarioJSON: Self.scenario()) { sim in
            let kubeconfig = try String(contentsOfFile: sim.kubeconfigPath, encoding: .utf8)
            let port = try #require(sim.server.apiPort(context: "secure"))
            #expect(kubeconfig.contains(#"server: "https://127.0.0.1:\#(port)""#))
            let pem = try #require(sim.server.certificateAuthorityPEM)
            #expect(kubeconfig.contains(#"certificate-authority-data: "\#(Data(pem.utf8).base64EncodedString())""#))
            // A token the API ignores without `auth`: kubectl asks for a user name when an https user has no credentials.
            #expect(kubeconfig.contains(#"token: "\#(KubeSimServer.anonymousToken)""#))
            let pods = try await sim.kubectl(["get", "pods", "-o", "name"])
            #expect(pods.status == 0, "\(pods)")
            #expect(pods.stdout == "pod/echo-0\n")
            // A client that does not trust the CA is refused by TLS itself.
            let curl = try await runProcess(["/usr/bin/curl", "-sS", "https://127.0.0.1:\(port)/version"], timeout: .seconds(20))
            #expect(curl.status != 0)
            #expect(curl.stderr.contains("certificate"), "\(curl)")
        }
    }

    @Test func plainHTTPWhenTheContextSaysSo() async throws {
        try await SimHarness.with(scenarioJSON: Self.scenario(tls: #","tls":false"#)) { sim in
            let kubeconfig = try String(contentsOfFile: sim.kubeconfigPath, encoding: .utf8)
            #expect(kubeconfig.contains(#"server: "http://127.0.0.1:"#))
            #expect(!kubeconfig.contains("certificate-authority-data"))
            #expect(kubeconfig.contains("user: {}"))
            let port = try #require(sim.server.apiPort(context: "secure"))
            #expect(try await httpGet(port: port, path: "/version", timeout: .seconds(10)).status == 200)
            let (_, local) = try await sim.startPortForward("pod/echo-0", remotePort: 7000)
            #expect(try await httpGet(port: local, timeout: .seconds(20)).body == "kube9-sim secure/apps/echo-0:7000\n")
        }
    }

    @Test func tokensAreRequiredAndOthersGetTheUnauthorizedStatus() async throws {
        let auth = #","auth":{"tokens":["good-token"],"expiredTokens":["old-token"]}"#
        try await SimHarness.with(scenarioJSON: Self.scenario(auth: auth)) { sim in
            let kubeconfig = try String(contentsOfFile: sim.kubeconfigPath, encoding: .utf8)
            #expect(kubeconfig.contains(#"token: "good-token""#))
            let ok = try await sim.kubectl(["get", "pods", "-o", "name"])
            #expect(ok.status == 0, "\(ok)")
            let (_, local) = try await sim.startPortForward("pod/echo-0", remotePort: 7000)
            #expect(try await httpGet(port: local, timeout: .seconds(20)).body == "kube9-sim secure/apps/echo-0:7000\n")

            for token in ["wrong-token", "old-token"] {
                let refused = try await sim.kubectl(["get", "pods", "--token", token])
                #expect(refused.status == 1)
                #expect(refused.stderr.contains("error: You must be logged in to the server (Unauthorized)"), "\(refused)")
            }
            let port = try #require(sim.server.apiPort(context: "secure"))
            let caFile = sim.directory + "/ca.pem"
            try #require(sim.server.certificateAuthorityPEM).write(toFile: caFile, atomically: true, encoding: .utf8)
            for header in [[], ["-H", "Authorization: Bearer wrong-token"], ["-H", "Authorization: Bearer old-token"]] {
                let raw = try await runProcess(
                    ["/usr/bin/curl", "-sS", "--cacert", caFile, "-w", "\n%{http_code}"] + header
                        + ["https://127.0.0.1:\(port)/api/v1/namespaces/apps/pods"], timeout: .seconds(20))
                #expect(raw.stdout == Self.unauthorizedBody + "\n401", "\(raw)")
            }
            // /version is public without credentials (the dispatcher asks it), as on every cluster.
            let version = try await runProcess(
                ["/usr/bin/curl", "-sS", "--cacert", caFile, "https://127.0.0.1:\(port)/version"], timeout: .seconds(20))
            #expect(version.stdout.contains(#""minor": "32""#) || version.stdout.contains(#""minor":"32""#), "\(version)")
        }
    }

    @Test func aTokenExpiredWhileRunningIsRefused() async throws {
        let auth = #","auth":{"tokens":["session-token"]}"#
        try await SimHarness.with(scenarioJSON: Self.scenario(auth: auth)) { sim in
            #expect(try await sim.kubectl(["get", "pods"]).status == 0)
            sim.server.expireToken(context: "secure", token: "session-token")
            let refused = try await sim.kubectl(["get", "pods"])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("error: You must be logged in to the server (Unauthorized)"), "\(refused)")
            let forward = try await sim.kubectl(["port-forward", "pod/echo-0", ":7000"])
            #expect(forward.status == 1)
            #expect(forward.stderr.contains("Unauthorized"), "\(forward)")
        }
    }

    @Test func execPluginTokenIsUsedAndItsFailureReachesKubectl() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kube9-exec-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let plugin = directory + "/credential-plugin"
        try """
            #!/bin/sh
            if [ -n "$FAIL" ]; then echo "plugin: $FAIL" >&2; exit 1; fi
            printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"%s"}}' "$TOKEN"
            """.write(toFile: plugin, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: plugin)

        func user(_ env: String) -> String {
            #","auth":{"tokens":["plugin-token"],"expiredTokens":["stale-token"]},"user":{"exec":{"command":"\#(plugin)","env":[\#(env)]}}"#
        }
        let good = Self.scenario(auth: user(#"{"name":"TOKEN","value":"plugin-token"}"#))
        try await SimHarness.with(scenarioJSON: good) { sim in
            let kubeconfig = try String(contentsOfFile: sim.kubeconfigPath, encoding: .utf8)
            #expect(kubeconfig.contains("exec:"))
            #expect(!kubeconfig.contains("token: "))
            let pods = try await sim.kubectl(["get", "pods", "-o", "name"])
            #expect(pods.stdout == "pod/echo-0\n", "\(pods)")
            let (_, local) = try await sim.startPortForward("pod/echo-0", remotePort: 7000)
            #expect(try await httpGet(port: local, timeout: .seconds(20)).body == "kube9-sim secure/apps/echo-0:7000\n")
        }
        let stale = Self.scenario(auth: user(#"{"name":"TOKEN","value":"stale-token"}"#))
        try await SimHarness.with(scenarioJSON: stale) { sim in
            // client-go's exec authenticator reports a 401 on a plugin's token in its own words.
            let refused = try await sim.kubectl(["get", "pods"])
            #expect(refused.status == 1)
            #expect(
                refused.stderr.contains("error: You must be logged in to the server (the server has asked for the client to provide credentials)"),
                "\(refused)")
        }
        let failing = Self.scenario(auth: user(#"{"name":"FAIL","value":"no credentials for you"}"#))
        try await SimHarness.with(scenarioJSON: failing) { sim in
            let refused = try await sim.kubectl(["get", "pods"])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("getting credentials: exec: executable \(plugin) failed with exit code 1"), "\(refused)")
        }
    }

    /// Debian's kubectl 1.20 against TLS and a token: lists and forwards (SPDY), refuses a bad token.
    @Test func debianKubectl120SpeaksTLSAndTokens() async throws {
        let kubectl = try KubectlBinaries.debian120()
        let auth = #","auth":{"tokens":["good-token"]}"#
        try await SimHarness.with(scenarioJSON: Self.scenario(auth: auth)) { sim in
            let pods = try await sim.kubectl(["get", "pods", "-o", "name"], binary: kubectl)
            #expect(pods.stdout == "pod/echo-0\n", "\(pods)")
            let refused = try await sim.kubectl(["get", "pods", "--token", "bad"], binary: kubectl)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("error: You must be logged in to the server (Unauthorized)"), "\(refused)")
            let (_, local) = try await sim.startPortForward("pod/echo-0", remotePort: 7000, kubectl: kubectl)
            #expect(try await httpGet(port: local, timeout: .seconds(20)).body == "kube9-sim secure/apps/echo-0:7000\n")
            #expect(sim.server.portForwardUpgrades(context: "secure") == [.spdy: 1])
        }
    }

    /// kube9 itself (`kube9 forward`, which reads pods with `kubectl get --raw`) driving Debian's kubectl 1.20
    /// against TLS and a token: the forward is established over SPDY and carries the pod's bytes.
    @Test func kube9ForwardWorksWithDebianKubectl120() async throws {
        let kubectl = try KubectlBinaries.debian120()
        let kube9 = try BuiltExecutables.path(of: "kube9")
        let auth = #","auth":{"tokens":["good-token"]}"#
        try await SimHarness.with(scenarioJSON: Self.scenario(auth: auth)) { sim in
            let local = freeTCPPort()
            let forward = try SpawnedProcess.start(
                argv: [kube9, "forward", "--kubeconfig", sim.kubeconfigPath, "--kubectl", kubectl, "pod/echo-0", "\(local):7000"],
                env: sim.kubectlEnvironment)
            defer { forward.kill() }
            _ = try await forward.waitForLine(containing: "Port forward established", timeout: .seconds(30))
            #expect(try await httpGet(port: local, timeout: .seconds(20)).body == "kube9-sim secure/apps/echo-0:7000\n")
            #expect(sim.server.portForwardUpgrades(context: "secure") == [.spdy: 1])
            forward.interrupt()
            _ = try await forward.waitForExit(timeout: .seconds(10))
        }
    }
}

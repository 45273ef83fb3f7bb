import Foundation
import Testing

@testable import Kube9Kit

/// Authentication and certificate failures told apart from connectivity, on the stderr the real kubectl printed
/// (Fixtures/auth/*.txt, recorded by Fixtures/auth/record.sh: the gcloud dispatcher and kubectl 1.27, `get --raw`
/// and `port-forward`, against a throw-away TLS server and credential plugins that fail).
@Suite struct CredentialFailureClassifierTests {
    static func stderr(_ name: String) throws -> String {
        String(decoding: try FixtureLoader.data("auth/\(name).txt"), as: UTF8.self)
    }

    static let forward = KubectlErrorClassifier.Purpose.portForward(ForwardTarget(context: "dev", namespace: "shop", name: "web-0"), localPort: 8080)

    static func classifyBoth(_ name: String) throws -> [KubeError] {
        let text = try stderr(name)
        return [
            KubectlErrorClassifier.classify(stderr: text, purpose: .read, context: "c"),
            KubectlErrorClassifier.classify(stderr: text, purpose: forward, context: "c"),
        ]
    }

    @Test(arguments: ["exec-fails-get", "exec-fails-get-1.27", "exec-fails-port-forward"])
    func aFailingPluginIsAnAuthenticationFailureInItsOwnWords(_ fixture: String) throws {
        for error in try Self.classifyBoth(fixture) {
            #expect(error == KubeError(.authentication, "Authentication failed for context 'c': error: token expired; run: acme-login --refresh"))
        }
    }

    @Test(arguments: ["exec-garbage-get", "exec-garbage-get-1.27", "exec-garbage-port-forward"])
    func aPluginPrintingGarbageIsAnAuthenticationFailure(_ fixture: String) throws {
        for error in try Self.classifyBoth(fixture) {
            #expect(error == KubeError(.authentication, "Authentication failed for context 'c': decoding stdout: couldn't get version/kind"))
        }
    }

    @Test(arguments: ["exec-interactive-get", "exec-interactive-get-1.27", "exec-interactive-port-forward"])
    func aPluginNeedingATerminalIsAnAuthenticationFailure(_ fixture: String) throws {
        for error in try Self.classifyBoth(fixture) {
            #expect(
                error
                    == KubeError(
                        .authentication,
                        "Authentication failed for context 'c': exec plugin cannot support interactive mode: standard input is not a terminal"))
        }
    }

    @Test func unauthorizedIsAnAuthenticationFailureInTheServersWords() throws {
        for fixture in ["unauthorized-get", "unauthorized-get-1.27"] {
            for error in try Self.classifyBoth(fixture) {
                #expect(error == KubeError(.authentication, "Authentication failed for context 'c': Unauthorized"))
            }
        }
        for error in try Self.classifyBoth("unauthorized-port-forward") {
            #expect(
                error
                    == KubeError(
                        .authentication,
                        "Authentication failed for context 'c': the server has asked for the client to provide credentials"))
        }
        let upgrade = "error: error upgrading connection: Unauthorized"
        #expect(
            KubectlErrorClassifier.classify(stderr: upgrade, purpose: Self.forward, context: "c")
                == KubeError(.authentication, "Authentication failed for context 'c': error: error upgrading connection: Unauthorized"))
    }

    @Test(arguments: ["untrusted-get", "untrusted-get-1.27", "untrusted-port-forward"])
    func anUntrustedCertificateIsNotConnectivity(_ fixture: String) throws {
        for error in try Self.classifyBoth(fixture) {
            #expect(
                error
                    == KubeError(
                        .untrustedCertificate,
                        "The certificate of context 'c' is not trusted: x509: certificate signed by unknown authority"))
        }
    }

    @Test func aMissingPluginIsNamedNotTheInstallHint() {
        let stderr = """
            Unable to connect to the server: getting credentials: exec: executable acme-login not found

            It looks like you are trying to use a client-go credential plugin that is not installed.

            To learn more about this feature, consult the documentation available at:
                  https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins
            """
        #expect(
            KubectlErrorClassifier.classify(stderr: stderr, purpose: .read, context: "c")
                == KubeError(.authentication, "Authentication failed for context 'c': exec: executable acme-login not found"))
    }

    @Test func aPluginSilentOnStderrKeepsKubectlsWords() {
        let stderr = "Unable to connect to the server: getting credentials: exec: executable /bin/false failed with exit code 1"
        #expect(
            KubectlErrorClassifier.classify(stderr: stderr, purpose: .read, context: "c")
                == KubeError(.authentication, "Authentication failed for context 'c': exec: executable /bin/false failed with exit code 1"))
    }

    @Test func withoutAContextTheMessageSaysWhatItKnows() throws {
        #expect(
            KubectlErrorClassifier.classify(stderr: try Self.stderr("exec-fails-get"), purpose: Self.forward)
                == KubeError(.authentication, "Authentication failed: error: token expired; run: acme-login --refresh"))
        #expect(
            KubectlErrorClassifier.classify(stderr: try Self.stderr("untrusted-get"), purpose: .read).message
                == "The certificate of the cluster is not trusted: x509: certificate signed by unknown authority")
    }

    @Test func connectivityStaysConnectivity() throws {
        let refused = String(decoding: try FixtureLoader.data("stderr-unreachable.txt"), as: UTF8.self)
        #expect(KubectlErrorClassifier.classify(stderr: refused, purpose: .read, context: "c").kind == .unreachable)
    }
}

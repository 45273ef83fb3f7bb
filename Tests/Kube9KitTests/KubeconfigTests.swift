import Foundation
import Testing

@testable import Kube9Kit

/// The kubeconfig read from its files with client-go's loading rules (explicit file, KUBECONFIG list, ~/.kube/config)
/// and merge rules (first current-context, first definition of a name), and its errors (path and reason).
@Suite struct KubeconfigTests {
    /// A fresh folder per test for the files.
    final class Folder {
        let path: String
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("kube9-kubeconfig-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }

        @discardableResult
        func write(_ name: String, _ text: String) throws -> String {
            let file = path + "/" + name
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            return file
        }
    }

    static let first = """
        apiVersion: v1
        kind: Config
        current-context: ""
        contexts:
        - name: beta
          context: {cluster: c1, user: u1, namespace: ""}
        """
    static let second = """
        current-context: alpha
        contexts:
        - name: beta
          context:
            cluster: other
            namespace: nn
        - name: alpha
          context:
            cluster: c2
            user: u2
            namespace: shop
        - name: gamma
        """
    static let third = "current-context: gamma\n"

    @Test func sourceFollowsTheLoadingRules() {
        #expect(KubeconfigSource(explicit: "/k", environment: ["KUBECONFIG": "/a", "HOME": "/h"]) == .init(paths: ["/k"], origin: .flag))
        #expect(KubeconfigSource(explicit: "", environment: ["KUBECONFIG": "/a:/b", "HOME": "/h"]) == .init(paths: ["/a", "/b"], origin: .environment))
        #expect(
            KubeconfigSource(explicit: nil, environment: ["KUBECONFIG": "/a::/b:/a:rel", "HOME": "/h"])
                == .init(paths: ["/a", "/b", "rel"], origin: .environment))
        #expect(KubeconfigSource(explicit: nil, environment: ["KUBECONFIG": "", "HOME": "/h"]) == .init(paths: ["/h/.kube/config"], origin: .home))
        #expect(KubeconfigSource(explicit: nil, environment: ["HOME": "/h"]) == .init(paths: ["/h/.kube/config"], origin: .home))
    }

    @Test func firstCurrentContextAndFirstDefinitionOfANameWin() throws {
        let folder = try Folder()
        let a = try folder.write("a", Self.first)
        let b = try folder.write("b", Self.second)
        let c = try folder.write("c", Self.third)
        let merged = try Kubeconfig.load(KubeconfigSource(paths: [a, folder.path + "/missing", b, c], origin: .environment))
        #expect(merged.currentContext == "alpha")
        #expect(
            merged.contexts == [
                KubeContext(name: "alpha", cluster: "c2", user: "u2", namespace: "shop", isCurrent: true),
                KubeContext(name: "beta", cluster: "c1", user: "u1", namespace: nil, isCurrent: false),
                KubeContext(name: "gamma", cluster: "", user: "", namespace: nil, isCurrent: false),
            ])
        #expect(merged.defaultNamespace(of: "alpha") == "shop")
        #expect(merged.defaultNamespace(of: "beta") == "default")
        #expect(merged.defaultNamespace(of: "nowhere") == "default")

        let reversed = try Kubeconfig.load(KubeconfigSource(paths: [c, b, a], origin: .environment))
        #expect(reversed.currentContext == "gamma")
        #expect(reversed.context(named: "beta") == KubeContext(name: "beta", cluster: "other", namespace: "nn"))
    }

    @Test func theClientReadsTheFilesOfItsConfigurationWithoutKubectl() async throws {
        let folder = try Folder()
        let b = try folder.write("b", Self.second)
        try FileManager.default.createDirectory(atPath: folder.path + "/home/.kube", withIntermediateDirectories: true)
        try folder.write("home/.kube/config", Self.third)
        // kubectl does not exist here: nothing may run it.
        func client(_ kubeconfig: String?, _ environment: [String: String]) -> KubectlClient {
            KubectlClient(configuration: KubectlConfiguration(kubectlPath: "/nonexistent/kubectl", kubeconfig: kubeconfig, environment: environment))
        }
        let home = ["HOME": folder.path + "/home", "KUBECONFIG": ""]
        #expect(try await client(nil, home).currentContextName() == "gamma")
        #expect(try await client(b, home).contexts().map(\.name) == ["alpha", "beta", "gamma"])
        #expect(try await client(nil, ["HOME": "/nowhere", "KUBECONFIG": "\(b):\(folder.path)/home/.kube/config"]).currentContextName() == "alpha")
    }

    @Test func aMissingExplicitFileIsAnErrorWithItsPath() throws {
        #expect(throws: KubeError(.kubeconfig, "Cannot read the kubeconfig /tmp/kube9-typo-\(getpid()): no such file or directory")) {
            try Kubeconfig.load(KubeconfigSource(explicit: "/tmp/kube9-typo-\(getpid())", environment: [:]))
        }
    }

    @Test func aListWithoutAnyExistingFileIsAnErrorNamingEveryPath() throws {
        let folder = try Folder()
        #expect(throws: KubeError(.kubeconfig, "Cannot read the kubeconfig: no file of KUBECONFIG exists (\(folder.path)/a, \(folder.path)/b)")) {
            try Kubeconfig.load(KubeconfigSource(explicit: nil, environment: ["KUBECONFIG": "\(folder.path)/a:\(folder.path)/b"]))
        }
        #expect(throws: KubeError(.kubeconfig, "Cannot read the kubeconfig \(folder.path)/.kube/config: no such file or directory")) {
            try Kubeconfig.load(KubeconfigSource(explicit: nil, environment: ["HOME": folder.path]))
        }
    }

    @Test func unreadableOrInvalidFilesAreErrorsWithPathAndReason() throws {
        let folder = try Folder()
        let good = try folder.write("good", Self.second)
        #expect(throws: KubeError(.kubeconfig, "Cannot read the kubeconfig \(folder.path): is a directory")) {
            try Kubeconfig.load(KubeconfigSource(paths: [good, folder.path], origin: .environment))
        }
        let broken = try folder.write("broken", "contexts: [\n")
        let error = #expect(throws: KubeError.self) { try Kubeconfig.load(KubeconfigSource(paths: [good, broken], origin: .environment)) }
        #expect(error?.kind == .kubeconfig)
        #expect(error?.message.hasPrefix("Cannot read the kubeconfig \(broken): not valid YAML: ") == true, "\(String(describing: error))")
        #expect(error?.message.contains("(line 2, column 1)") == true, "\(String(describing: error))")

        let wrongType = try folder.write("wrong", "contexts:\n- name: a\n  context: [1, 2]\n")
        #expect(throws: KubeError(.kubeconfig, "Cannot read the kubeconfig \(wrongType): not a kubeconfig: unexpected value at contexts[0].context")) {
            try Kubeconfig.load(KubeconfigSource(paths: [wrongType], origin: .flag))
        }
        let twice = try folder.write("twice", "contexts:\n- name: a\n- name: a\n")
        #expect(throws: KubeError(.kubeconfig, "Cannot read the kubeconfig \(twice): context \"a\" is defined twice")) {
            try Kubeconfig.load(KubeconfigSource(paths: [twice], origin: .flag))
        }
    }

    @Test func anEmptyFileIsAnEmptyConfigAsForKubectl() throws {
        let folder = try Folder()
        let empty = try folder.write("empty", "")
        let comments = try folder.write("comments", "# nothing yet\n")
        #expect(try Kubeconfig.load(KubeconfigSource(paths: [empty, comments], origin: .environment)) == Kubeconfig(contexts: [], currentContext: nil))
    }

    @Test func kubectlsJSONIsAKubeconfigToo() throws {
        let text = String(decoding: try FixtureLoader.data("config-view.json"), as: UTF8.self)
        let merged = Kubeconfig.merge([try KubeconfigFile.parse(text, path: "config-view.json")])
        #expect(
            merged.contexts == [
                KubeContext(name: "dev", cluster: "dev", user: "dev-user", namespace: "shop", isCurrent: false),
                KubeContext(name: "prod", cluster: "prod", user: "prod-user", namespace: nil, isCurrent: true),
            ])
    }

    /// YAML's nulls (a plain `~`, `null`, `NULL` or nothing) are no value; a quoted `"null"` and a plain `8080` are
    /// strings, since every field kube9 reads is one.
    @Test func nullsAreNoValueAndEveryScalarIsAString() throws {
        let text = """
            current-context: ~
            contexts:
            - name: "null"
              context: {cluster: NULL, user: , namespace: null}
            - name: 8080
              context:
            - ~
            """
        let file = try KubeconfigFile.parse(text, path: "nulls")
        #expect(file.currentContext == nil)
        #expect(
            file.contexts == [
                .init(name: "null", cluster: "", user: "", namespace: nil),
                .init(name: "8080", cluster: "", user: "", namespace: nil),
            ])
        #expect(throws: KubeError(.kubeconfig, "Cannot read the kubeconfig top: not a kubeconfig: unexpected value at the document")) {
            try KubeconfigFile.parse("- a\n- b\n", path: "top")
        }
        #expect(throws: KubeError(.kubeconfig, "Cannot read the kubeconfig name: not a kubeconfig: unexpected value at contexts[0].name")) {
            try KubeconfigFile.parse("contexts:\n- name: {a: b}\n", path: "name")
        }
    }

    /// A file cut anywhere is a kubeconfig or a `.kubeconfig` error naming it, never a crash nor another error.
    @Test func everyTruncationIsAValueOrAKubeconfigError() throws {
        let full = Array(Self.second.utf8)
        for length in 0...full.count {
            let text = String(decoding: full.prefix(length), as: UTF8.self)
            do throws(KubeError) {
                _ = try KubeconfigFile.parse(text, path: "cut")
            } catch {
                #expect(error.kind == .kubeconfig && error.message.hasPrefix("Cannot read the kubeconfig cut: "), "cut at \(length): \(error)")
            }
        }
    }
}

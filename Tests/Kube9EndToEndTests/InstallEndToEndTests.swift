import Foundation
import Kube9TestSupport
import Testing

/// `make install PREFIX=…` puts the binary, three completions and a man page under a temporary prefix;
/// `make uninstall` removes them. (The debug build the tests run, and the man page from --help: the
/// generate-manual plugin builds its own tools, minutes on a fresh checkout.)
@Suite(.timeLimit(.minutes(5)))
struct InstallEndToEndTests {
    @Test func installIntoATemporaryPrefixAndUninstall() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("kube9-prefix-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let make = ["/usr/bin/make", "-C", root, "PREFIX=\(prefix)", "INSTALL_BUILD_DIR=.build", "INSTALL_CONFIG=debug", "MANUAL=help", "INSTALL_BUILD=no"]
        let installed = try await runProcess(make + ["install"], timeout: .seconds(240))
        #expect(installed.status == 0, "\(installed.stderr)")
        let files = [
            "bin/kube9", "share/man/man1/kube9.1", "share/bash-completion/completions/kube9",
            "share/zsh/site-functions/_kube9", "share/fish/vendor_completions.d/kube9.fish",
        ]
        for file in files {
            let text = (try? String(contentsOfFile: prefix + "/" + file, encoding: .isoLatin1)) ?? ""
            #expect(text.contains("kube9"), "\(file)")
        }
        #expect((try String(contentsOfFile: prefix + "/share/man/man1/kube9.1", encoding: .utf8)).hasPrefix(".TH KUBE9 1"))
        let version = try await runProcess([prefix + "/bin/kube9", "--version"], timeout: .seconds(30))
        #expect(version.stdout.hasPrefix("kube9 0.1.0\nkubectl: "))
        let removed = try await runProcess(make + ["uninstall"], timeout: .seconds(60))
        #expect(removed.status == 0)
        for file in files { #expect(!FileManager.default.fileExists(atPath: prefix + "/" + file), "\(file)") }
    }
}

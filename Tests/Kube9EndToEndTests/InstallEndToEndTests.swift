import Foundation
import Kube9TestSupport
import Testing

/// `make install PREFIX=…` puts the binary, three completions and argument-parser's generated man page under a
/// temporary prefix; `make uninstall` removes them. (The debug build the tests run: the GenerateManual plugin
/// builds the package in debug into the same directory, where everything is built already, and runs the
/// generator on kube9. `--ignore-lock`: this test's own `swift test` holds that directory's lock.)
@Suite(.timeLimit(.minutes(5)))
struct InstallEndToEndTests {
    @Test func installIntoATemporaryPrefixAndUninstall() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("kube9-prefix-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let make = ["/usr/bin/make", "-C", root, "PREFIX=\(prefix)", "INSTALL_BUILD_DIR=.build", "INSTALL_CONFIG=debug", "INSTALL_BUILD=no",
                    "PLUGIN_FLAGS=--ignore-lock"]
        let installed = try await runProcess(make + ["install"], timeout: .seconds(270))
        #expect(installed.status == 0, "\(installed.stderr)")
        let files = [
            "bin/kube9", "share/man/man1/kube9.1", "share/bash-completion/completions/kube9",
            "share/zsh/site-functions/_kube9", "share/fish/vendor_completions.d/kube9.fish",
        ]
        for file in files {
            let text = (try? String(contentsOfFile: prefix + "/" + file, encoding: .isoLatin1)) ?? ""
            #expect(text.contains("kube9"), "\(file)")
        }
        // The generator's page (mdoc), which man renders with every subcommand.
        let manual = prefix + "/share/man/man1/kube9.1"
        let page = try String(contentsOfFile: manual, encoding: .utf8)
        #expect(page.contains("\n.Dt KUBE9 1\n"), "\(page.prefix(300))")
        #expect(page.contains("\n.Sh NAME\n") && page.contains("\n.Nm kube9\n"))
        let rendered = try await runProcess(
            ["/usr/bin/man", "-l", manual], environment: ["PATH": "/usr/bin:/bin", "MANPAGER": "cat", "MANWIDTH": "100", "LANG": "C.UTF-8"],
            timeout: .seconds(60))
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(rendered.stdout.contains("NAME") && rendered.stdout.contains("SYNOPSIS"), "\(rendered.stdout.prefix(500))")
        #expect(rendered.stdout.contains("Browse Kubernetes clusters and manage pod port forwards in the terminal"))
        let renderedLines = rendered.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for subcommand in ["ui", "forward", "up", "status", "ls", "stop"] {
            #expect(page.contains("\n.It Em \(subcommand)\n"), "\(subcommand)")
            #expect(renderedLines.contains { $0 == subcommand || $0.hasPrefix(subcommand + "  ") }, "\(subcommand)")
        }
        let version = try await runProcess([prefix + "/bin/kube9", "--version"], timeout: .seconds(30))
        #expect(version.stdout.hasPrefix("kube9 0.1.0\nkubectl: "))
        let removed = try await runProcess(make + ["uninstall"], timeout: .seconds(60))
        #expect(removed.status == 0)
        for file in files { #expect(!FileManager.default.fileExists(atPath: prefix + "/" + file), "\(file)") }
    }
}

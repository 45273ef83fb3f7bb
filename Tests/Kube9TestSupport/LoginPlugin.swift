import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A credential plugin that asks the person to log in, as SSO plugins do: it prints ``prompt`` (a URL and a code)
/// on stderr and waits (up to 120 s) until the login is done (``approve()``: a file appears) before handing out the
/// token `live-token`. ``scenario`` is a sim with context `secure` (namespace `apps`, pod `echo-0` on port 7000)
/// accepting that token, whose user runs the plugin.
public struct LoginPlugin: Sendable {
    public static let prompt = "Please visit https://login.example/device and enter code WXYZ-1234"

    public let directory: String
    var approved: String { directory + "/approved" }
    public var plugin: String { directory + "/login-plugin" }

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kube9-login-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try """
            #!/bin/sh
            if [ ! -e \(approved) ]; then
              echo '\(Self.prompt)' >&2
              i=0
              while [ ! -e \(approved) ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done
            fi
            printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"live-token"}}'
            """.write(toFile: plugin, atomically: true, encoding: .utf8)
        chmod(plugin, 0o755)
    }

    /// The login is done: the waiting plugin (and every later run) hands out the token.
    public func approve() { _ = FileManager.default.createFile(atPath: approved, contents: Data()) }
    /// The login expired: the next run asks again.
    public func expire() { try? FileManager.default.removeItem(atPath: approved) }
    public func remove() { try? FileManager.default.removeItem(atPath: directory) }

    public var scenario: String {
        #"""
        {"contexts":[{"name":"secure","namespace":"apps","auth":{"tokens":["live-token"]},
          "user":{"exec":{"command":"\#(plugin)"}},
          "namespaces":[{"name":"apps","pods":[{"name":"echo-0","containers":[{"name":"echo","ports":[{"containerPort":7000}]}]}]}]}]}
        """#
    }

    /// The plugin's processes still alive.
    public var running: [(pid: Int32, commandLine: String)] { ProcessTable.processes(containing: plugin) }
}

import Foundation

/// Writes the kubeconfig naming one context per simulated cluster, atomically (temporary file, then rename).
enum KubeconfigWriter {
    struct Entry {
        var context: String
        var port: Int
        var namespace: String?
        /// The CA's PEM when the context serves HTTPS; nil for plain http.
        var certificateAuthorityPEM: String? = nil
        /// The user's credentials; nil writes `user: {}`.
        var user: ScenarioUser? = nil
    }

    static func render(_ entries: [Entry]) -> String {
        var text = "apiVersion: v1\nkind: Config\npreferences: {}\nclusters:\n"
        for entry in entries {
            let scheme = entry.certificateAuthorityPEM == nil ? "http" : "https"
            text += "- name: \(quote(entry.context))\n  cluster:\n    server: \(quote("\(scheme)://127.0.0.1:\(entry.port)"))\n"
            if let pem = entry.certificateAuthorityPEM {
                text += "    certificate-authority-data: \(quote(Data(pem.utf8).base64EncodedString()))\n"
            }
        }
        text += "contexts:\n"
        for entry in entries {
            text += "- name: \(quote(entry.context))\n  context:\n    cluster: \(quote(entry.context))\n"
            text += "    user: \(quote(entry.context + "-user"))\n"
            if let namespace = entry.namespace { text += "    namespace: \(quote(namespace))\n" }
        }
        text += "current-context: \(quote(entries.first?.context ?? ""))\nusers:\n"
        for entry in entries {
            text += "- name: \(quote(entry.context + "-user"))\n" + renderUser(entry.user)
        }
        return text
    }

    /// `user: {}`, a token, or an exec credential plugin as the scenario gives it.
    private static func renderUser(_ user: ScenarioUser?) -> String {
        guard let user, user.token != nil || user.exec != nil else { return "  user: {}\n" }
        var text = "  user:\n"
        if let token = user.token { text += "    token: \(quote(token))\n" }
        if let exec = user.exec {
            text += "    exec:\n"
            text += "      apiVersion: \(quote(exec.apiVersion ?? "client.authentication.k8s.io/v1beta1"))\n"
            text += "      command: \(quote(exec.command))\n"
            if let args = exec.args {
                text += "      args: [\(args.map(quote).joined(separator: ", "))]\n"
            }
            if let env = exec.env {
                text += "      env:\n"
                for variable in env { text += "      - name: \(quote(variable.name))\n        value: \(quote(variable.value))\n" }
            }
            text += "      interactiveMode: \"Never\"\n"
        }
        return text
    }

    static func write(_ entries: [Entry], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        try Data(render(entries).utf8).write(to: temporary)
        if rename(temporary.path, url.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot rename kubeconfig into place: \(String(cString: strerror(code)))"])
        }
    }

    /// A YAML double-quoted scalar (JSON string escaping is valid YAML).
    private static func quote(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}

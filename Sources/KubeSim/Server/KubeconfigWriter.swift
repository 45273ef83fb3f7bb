import Foundation

/// Writes the kubeconfig naming one context per simulated cluster, atomically (temporary file, then rename).
enum KubeconfigWriter {
    struct Entry {
        var context: String
        var port: Int
        var namespace: String?
    }

    static func render(_ entries: [Entry]) -> String {
        var text = "apiVersion: v1\nkind: Config\npreferences: {}\nclusters:\n"
        for entry in entries {
            text += "- name: \(quote(entry.context))\n  cluster:\n    server: \(quote("http://127.0.0.1:\(entry.port)"))\n"
        }
        text += "contexts:\n"
        for entry in entries {
            text += "- name: \(quote(entry.context))\n  context:\n    cluster: \(quote(entry.context))\n"
            text += "    user: \(quote(entry.context + "-user"))\n"
            if let namespace = entry.namespace { text += "    namespace: \(quote(namespace))\n" }
        }
        text += "current-context: \(quote(entries.first?.context ?? ""))\nusers:\n"
        for entry in entries {
            text += "- name: \(quote(entry.context + "-user"))\n  user: {}\n"
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

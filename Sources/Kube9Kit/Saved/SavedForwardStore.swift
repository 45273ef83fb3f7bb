import Foundation

/// Saved forwards in `$XDG_CONFIG_HOME/kube9/forwards.json` (`~/.config/kube9/forwards.json` without it), written
/// atomically; a file that cannot be read is moved aside (never silently lost) and the load says so.
public struct SavedForwardStore: Sendable {
    public let fileURL: URL

    public init(fileURL: URL) {
        self.fileURL = fileURL
    }

    /// The store at the XDG location for `environment` (normally `ProcessInfo.processInfo.environment`).
    public init(environment: [String: String]) {
        self.init(fileURL: Self.defaultFileURL(environment: environment))
    }

    /// The demo cluster's saved forwards (`kube9 --demo`), beside the real file and never read by `kube9 up`.
    public static func demoFileURL(environment: [String: String]) -> URL {
        defaultFileURL(environment: environment).deletingLastPathComponent().appendingPathComponent("demo-forwards.json")
    }

    public static func defaultFileURL(environment: [String: String]) -> URL {
        let base: URL
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            base = URL(fileURLWithPath: config, isDirectory: true)
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            base = URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".config", isDirectory: true)
        }
        return base.appendingPathComponent("kube9", isDirectory: true).appendingPathComponent("forwards.json")
    }

    /// What a load found: the forwards, and a message when the file was unreadable and was kept aside.
    public struct Loaded: Sendable, Equatable {
        public var forwards: [SavedForward]
        public var notice: Notice?

        public init(forwards: [SavedForward], notice: Notice?) {
            self.forwards = forwards
            self.notice = notice
        }
    }

    private struct FileContents: Codable {
        var version: Int
        var forwards: [SavedForward]
    }

    /// Reads the file; a missing file is an empty list. A corrupt one is renamed to `forwards.json.corrupt-<time>`
    /// and reported in ``Loaded/notice``.
    public func load() -> Loaded {
        let data: Data
        do {
            data = try Data(contentsOf: fileURL)
        } catch {
            if !FileManager.default.fileExists(atPath: fileURL.path) { return Loaded(forwards: [], notice: nil) }
            return Loaded(forwards: [], notice: Notice(.error, Messages.savedForwardsUnreadable(path: fileURL.path, detail: "\(error.localizedDescription)")))
        }
        do {
            let contents = try JSONDecoder().decode(FileContents.self, from: data)
            return Loaded(forwards: contents.forwards, notice: nil)
        } catch {
            let stamp = Int(Date().timeIntervalSince1970)
            let aside = fileURL.deletingLastPathComponent().appendingPathComponent("forwards.json.corrupt-\(stamp)")
            do {
                try FileManager.default.moveItem(at: fileURL, to: aside)
                return Loaded(forwards: [], notice: Notice(.error, Messages.savedForwardsCorrupt(keptAt: aside.path, reason: Self.reason(error))))
            } catch {
                return Loaded(
                    forwards: [],
                    notice: Notice(.error, Messages.savedForwardsUnreadable(path: fileURL.path, detail: "not valid JSON")))
            }
        }
    }

    /// What is wrong with the file, in the terms of its format (`{"version": 1, "forwards": [{…}]}`).
    static func reason(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not valid JSON" }
        func place(_ path: [any CodingKey]) -> String {
            guard !path.isEmpty else { return "the file" }
            return path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .replacingOccurrences(of: ".forwards[", with: "forwards[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(place(context.codingPath)) has no \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            if context.codingPath.isEmpty { return "expected {\"version\": 1, \"forwards\": [...]}" }
            return "\(place(context.codingPath)) has the wrong type"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "\(place(context.codingPath)) is not valid"
        @unknown default:
            return "not valid JSON"
        }
    }

    /// Writes the whole list atomically (a temporary file in the same folder, then rename).
    public func save(_ forwards: [SavedForward]) throws(KubeError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            let data = try encoder.encode(FileContents(version: 1, forwards: forwards))
            try FileManager.default.createDirectory(
                at: fileURL.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: fileURL, options: .atomic)
        } catch {
            throw KubeError(.other, Messages.savedForwardsNotWritten(path: fileURL.path, detail: "\(error.localizedDescription)"))
        }
    }
}

import Foundation

/// Where this user's kube9 processes keep their control sockets: `$KUBE9_CONTROL_DIR`, else
/// `$XDG_RUNTIME_DIR/kube9`, else `kube9-<uid>` under the temporary directory. The directory is 0700 and owned
/// by the user; each process binds `<pid>.sock` (0600) in it.
public struct ControlDirectory: Sendable, Equatable {
    /// Names the directory explicitly (tests; a person who runs kube9 under several accounts).
    public static let overrideVariable = "KUBE9_CONTROL_DIR"

    public let path: String
    /// True when the path came from ``overrideVariable``: its owner is not checked before it is read.
    public let isOverride: Bool

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let explicit = environment[Self.overrideVariable], !explicit.isEmpty {
            path = explicit
            isOverride = true
        } else if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            path = runtime + "/kube9"
            isOverride = false
        } else {
            let temporary = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            path = temporary + "/kube9-\(geteuid())"
            isOverride = false
        }
    }

    public func socketPath(pid: Int32) -> String { path + "/\(pid).sock" }

    /// Creates the directory (0700) or checks the existing one: a directory, not a symlink, owned by this user;
    /// access for group and others is taken away.
    public func prepare() throws(ControlError) {
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            if errno == ENOENT {
                do {
                    try FileManager.default.createDirectory(
                        atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                } catch {
                    throw ControlError("cannot create \(path): \(error.localizedDescription)")
                }
            } else {
                throw ControlError("cannot create \(path): \(String(cString: strerror(errno)))")
            }
        }
        var info = stat()
        guard lstat(path, &info) == 0 else { throw ControlError("cannot read \(path): \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw ControlError("\(path) is not a directory") }
        guard info.st_uid == geteuid() else { throw ControlError("\(path) belongs to another user (uid \(info.st_uid))") }
        if info.st_mode & 0o077 != 0 && chmod(path, 0o700) != 0 {
            throw ControlError("cannot make \(path) private: \(String(cString: strerror(errno)))")
        }
    }

    /// Whether a client may trust what it finds here: an override, or a directory of this user (not a symlink).
    public var isTrusted: Bool {
        if isOverride { return true }
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR && info.st_uid == geteuid()
    }

    /// Every `<pid>.sock` in the directory, in pid order.
    public func sockets() -> [(pid: Int32, path: String)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [] }
        return names.compactMap { name -> (pid: Int32, path: String)? in
            guard name.hasSuffix(".sock"), let pid = Int32(name.dropLast(5)), pid > 0 else { return nil }
            return (pid, path + "/" + name)
        }.sorted { $0.pid < $1.pid }
    }

    /// Removes the socket of `pid` when no such process exists any more; true when it was removed.
    @discardableResult
    public func removeIfStale(pid: Int32, path socket: String) -> Bool {
        guard !Self.processExists(pid) else { return false }
        return unlink(socket) == 0
    }

    /// Removes every socket whose process is gone.
    public func removeStaleSockets() {
        for socket in sockets() { removeIfStale(pid: socket.pid, path: socket.path) }
    }

    /// True when `pid` is stopped (state `T` in /proc/PID/stat: a job stopped by Ctrl-Z, or a SIGSTOP).
    static func isStopped(_ pid: Int32) -> Bool {
        ProcessStat(pid: pid)?.state == "T"
    }

    /// True when a Unix stream socket listens at `path` (`/proc/net/unix`: the path with the listening flag,
    /// `__SO_ACCEPTCON`, 0x10000). The table is read in chunks while other sockets come and go, and the kernel's walk
    /// of it can then skip a line: one not found is looked for again (three reads in all), so a busy machine does not
    /// make a suspended kube9 vanish from `ls`.
    static func isListening(_ path: String) -> Bool {
        for _ in 0..<3 {
            guard let table = try? String(contentsOfFile: "/proc/net/unix", encoding: .utf8) else { return false }
            let found = table.split(separator: "\n").dropFirst().contains { line in
                let fields = line.split(separator: " ", maxSplits: 7, omittingEmptySubsequences: true)
                guard fields.count == 8, fields[7] == path, let flags = Int(fields[3], radix: 16) else { return false }
                return flags & 0x10000 != 0
            }
            if found { return true }
        }
        return false
    }

    static func processExists(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}

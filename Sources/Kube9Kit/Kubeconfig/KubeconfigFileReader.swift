import Foundation
import Glibc

/// Reads one kubeconfig file, telling a missing file (which a KUBECONFIG list skips) from one that cannot be read,
/// with the system's reason (`no such file or directory`, `permission denied`, `is a directory`).
enum KubeconfigFileReader {
    enum Outcome: Equatable {
        case text(String)
        case missing(reason: String)
        case failed(reason: String)
    }

    static var noSuchFile: String { reason(ENOENT) }

    static func read(_ path: String) -> Outcome {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            return code == ENOENT ? .missing(reason: reason(code)) : .failed(reason: reason(code))
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFDIR { return .failed(reason: reason(EISDIR)) }
        do {
            let data = try handle.readToEnd() ?? Data()
            return .text(String(decoding: data, as: UTF8.self))
        } catch {
            return .failed(reason: "\(error.localizedDescription)")
        }
    }

    /// strerror's text, lower-cased at the start as Go prints it (`no such file or directory`).
    static func reason(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}

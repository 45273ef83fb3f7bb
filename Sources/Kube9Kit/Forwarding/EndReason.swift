/// Why a forward ends.
enum EndReason: Sendable, Equatable, CustomStringConvertible {
    case stoppedByUser
    case timedOut
    case failedToStart(KubeError)
    case podDeleted
    case exited(ProcessExit)

    var description: String {
        switch self {
        case .stoppedByUser: "stopped"
        case .timedOut: "timed out"
        case .failedToStart(let error): "failed to start: \(error.kind)"
        case .podDeleted: "pod deleted"
        case .exited(let exit): "kubectl \(exit)"
        }
    }
}

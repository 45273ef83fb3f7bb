import NIOConcurrencyHelpers
import NIOCore

/// The port-forward sessions open to each pod and the loopback servers playing its container ports, so that a
/// pod leaving (deleted, no longer Running) or the sim stopping can end them.
final class SessionRegistry: @unchecked Sendable {
    /// What a pod leaving hands back for closing outside the lock.
    struct Released {
        var sessions: [any Channel] = []
        var servers: [EventLoopFuture<PodServer>] = []

        func close() {
            for channel in sessions { channel.close(promise: nil) }
            for server in servers { server.whenSuccess { $0.close() } }
        }
    }

    private let lock = NIOLock()
    private var sessions: [String: [ObjectIdentifier: any Channel]] = [:]
    private var podServers: [String: [Int: EventLoopFuture<PodServer>]] = [:]
    private var isShutDown = false
    private var upgradeCounts: [PortForwardProtocol: Int] = [:]

    var isClosed: Bool { lock.withLock { isShutDown } }

    /// Sessions opened so far over each protocol (tests tell by it which path kubectl took).
    var upgrades: [PortForwardProtocol: Int] { lock.withLock { upgradeCounts } }

    /// false once the registry is shut down.
    func register(podUID: String, channel: any Channel, over transport: PortForwardProtocol) -> Bool {
        lock.withLock {
            guard !isShutDown else { return false }
            sessions[podUID, default: [:]][ObjectIdentifier(channel)] = channel
            upgradeCounts[transport, default: 0] += 1
            return true
        }
    }

    func unregister(podUID: String, channel: any Channel) {
        lock.withLock {
            sessions[podUID]?.removeValue(forKey: ObjectIdentifier(channel))
            if sessions[podUID]?.isEmpty == true { sessions.removeValue(forKey: podUID) }
        }
    }

    /// The server for the pod's container port, started by `start` on first use; nil once shut down.
    func podServer(podUID: String, port: Int, start: () -> EventLoopFuture<PodServer>) -> EventLoopFuture<PodServer>? {
        lock.withLock {
            guard !isShutDown else { return nil }
            if let existing = podServers[podUID]?[port] { return existing }
            let started = start()
            podServers[podUID, default: [:]][port] = started
            return started
        }
    }

    /// Forgets the pod's sessions and servers and returns them for closing.
    func release(podUID: String) -> Released {
        lock.withLock {
            Released(
                sessions: Array((sessions.removeValue(forKey: podUID) ?? [:]).values),
                servers: Array((podServers.removeValue(forKey: podUID) ?? [:]).values))
        }
    }

    /// Refuses new sessions and servers from now on and returns every open one for closing.
    func shutDown() -> Released {
        lock.withLock {
            isShutDown = true
            let released = Released(sessions: sessions.values.flatMap(\.values), servers: podServers.values.flatMap(\.values))
            sessions = [:]
            podServers = [:]
            return released
        }
    }
}

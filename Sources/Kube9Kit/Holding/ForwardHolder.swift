import Glibc
import NIOCore
import NIOPosix
import Synchronization

/// The forward holder: `kube9 hold`, the small process that answers kube9's forwards while kube9 is stopped as a
/// job (Ctrl-Z). kube9 hands it its listening sockets over ``HolderSocket`` (its standard input), each with the
/// port of the backend kubectl behind it; it accepts on them and relays every connection to that backend with
/// the forwards' own relay (``ForwardRelay``, ``RelayGlueHandler``), and says `ready`. kube9 keeps its own
/// descriptors of the same sockets but does not accept on them meanwhile. Once continued, it tells the holder
/// `release`; the holder closes its copies, says `released` (kube9 then accepts again: never both at once), lets
/// the connections it accepted finish and exits when the last one closes. When kube9 goes away (end of file) it
/// exits at once.
public enum ForwardHolder {
    /// Serves on `control` until released and idle, or until kube9 has gone; returns then (connections closed).
    /// Blocks the calling thread.
    public static func serve(control: Int32) {
        let connections = HeldConnections()
        var servers: [any Channel] = []
        var pending: [(descriptor: Int32, backendPort: Int)] = []
        defer {
            for server in servers { try? server.close().wait() }
            for listener in pending { close(listener.descriptor) }
            connections.closeAll()
        }
        var fds = [
            pollfd(fd: control, events: Int16(POLLIN), revents: 0),
            pollfd(fd: connections.idleSignal, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            fds[0].revents = 0
            fds[1].revents = 0
            guard poll(&fds, 2, -1) >= 0 || errno == EINTR else { return }
            if fds[1].revents != 0 { return }
            guard fds[0].revents != 0 else { continue }
            guard let message = HolderSocket.receive(on: control) else { return }
            let words = message.text.split(separator: " ", maxSplits: 1).map(String.init)
            switch words.first {
            case HolderSocket.listen:
                guard let descriptor = message.descriptor else { continue }
                guard words.count == 2, let port = Int(words[1]) else {
                    close(descriptor)
                    continue
                }
                pending.append((descriptor, port))
            case HolderSocket.serve:
                do {
                    for listener in pending {
                        servers.append(try accept(on: listener.descriptor, relayingTo: listener.backendPort, connections))
                    }
                    pending = []
                    HolderSocket.send(HolderSocket.ready, on: control)
                } catch {
                    HolderSocket.send("\(HolderSocket.failed) \(error)", on: control)
                    return
                }
            case HolderSocket.release:
                for server in servers { try? server.close().wait() }
                servers = []
                HolderSocket.send(HolderSocket.released, on: control)
                connections.release()
            default:
                if let descriptor = message.descriptor { close(descriptor) }
            }
        }
    }

    /// A server channel on a listening socket handed over (the channel owns `descriptor` from here on).
    private static func accept(
        on descriptor: Int32, relayingTo backendPort: Int, _ connections: HeldConnections
    ) throws -> any Channel {
        let activity = RelayActivity(changed: {})
        return try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .forwardConnectionOptions()
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RelayGlueHandler.accepted(countIn: { activity.carriedIn($0) }))
                    // A backend that does not answer (its kubectl has gone) closes the connection: kube9, stopped,
                    // cannot hold it for the next one.
                    try channel.pipeline.syncOperations.addHandler(WhenActive { channel in
                        ForwardRelay.start(channel, toPort: backendPort, activity: activity) { channel.close(promise: nil) }
                    })
                    connections.opened(channel)
                }
            }
            .withBoundSocket(descriptor)
            .wait()
    }
}

/// The holder's open connections; once released, the last one to close says so through ``idleSignal`` (the read
/// end of a pipe the serving thread polls).
private final class HeldConnections: Sendable {
    private struct State {
        var open: [ObjectIdentifier: any Channel] = [:]
        var released = false
    }

    private let state = Mutex(State())
    private let pipe: (read: Int32, write: Int32) = {
        var ends: [Int32] = [-1, -1]
        if Glibc.pipe(&ends) == 0 { for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) } }
        return (ends[0], ends[1])
    }()

    var idleSignal: Int32 { pipe.read }

    deinit {
        close(pipe.read)
        close(pipe.write)
    }

    func opened(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        state.withLock { $0.open[key] = channel }
        channel.closeFuture.whenComplete { _ in
            let idle = self.state.withLock { state in
                state.open.removeValue(forKey: key)
                return state.released && state.open.isEmpty
            }
            if idle { self.signalIdle() }
        }
    }

    /// No new connections from now on: idle as soon as none is open.
    func release() {
        let idle = state.withLock { state in
            state.released = true
            return state.open.isEmpty
        }
        if idle { signalIdle() }
    }

    func closeAll() {
        let open = state.withLock { Array($0.open.values) }
        for channel in open { try? channel.close().wait() }
    }

    private func signalIdle() {
        var byte: UInt8 = 1
        _ = write(pipe.write, &byte, 1)
    }
}

import NIOCore
import NIOPosix

/// Glues an accepted connection to a new connection to the backend kubectl on 127.0.0.1:`port` (same event
/// loop, ByteBuffers passed through, reads gated by the other side's writability).
enum ForwardRelay {
    /// Connects and glues; `refused` when the backend does not answer or ends before answering (its kubectl is
    /// gone), with the accepted connection still open and no longer read.
    static func start(
        _ accepted: any Channel, toPort port: Int, activity: RelayActivity,
        refused: @escaping @Sendable () -> Void
    ) {
        // By address: `connect(host:)` would resolve "127.0.0.1" on another thread first.
        let address: SocketAddress
        do { address = try SocketAddress(ipAddress: "127.0.0.1", port: port) } catch {
            refused()
            return
        }
        ClientBootstrap(group: accepted.eventLoop)
            // The backend's handler from the connection's start: bytes or an end that come before the connect's
            // completion is handled are kept for the glue, not lost.
            .channelInitializer { backend in
                backend.eventLoop.makeCompletedFuture {
                    let back = RelayGlueHandler.backend(countOut: { activity.carriedOut($0) }) {
                        try? accepted.syncOptions?.setOption(.autoRead, value: false)
                        refused()
                    }
                    try backend.pipeline.syncOperations.addHandler(back)
                }
            }
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(5))
            .connect(to: address)
            .whenComplete { result in
                switch result {
                case .success(let backend):
                    glue(accepted, backend, activity: activity, refused: refused)
                case .failure:
                    refused()
                }
            }
    }

    /// On the shared event loop: both pipelines get their glue (the accepted side keeps its handler across
    /// backends), then the accepted side reads.
    private static func glue(
        _ accepted: any Channel, _ backend: any Channel, activity: RelayActivity, refused: @escaping @Sendable () -> Void
    ) {
        do {
            guard accepted.isActive else { throw ChannelError.ioOnClosedChannel }
            let operations = accepted.pipeline.syncOperations
            let front: RelayGlueHandler
            let added: Bool
            if let existing = try? operations.handler(type: RelayGlueHandler.self) {
                front = existing
                added = false
            } else {
                front = RelayGlueHandler.accepted(countIn: { activity.carriedIn($0) })
                added = true
            }
            guard backend.isActive else {
                // Reset before the glue: its kubectl is gone.
                refused()
                return
            }
            let back = try backend.pipeline.syncOperations.handler(type: RelayGlueHandler.self)
            if added { try operations.addHandler(front) }
            // Reading on first: a backend that ended before the glue hands the connection back in `attach`, which
            // turns it off again.
            try accepted.syncOptions?.setOption(.autoRead, value: true)
            back.attach(to: front)
        } catch {
            backend.close(promise: nil)
            accepted.close(promise: nil)
        }
    }
}

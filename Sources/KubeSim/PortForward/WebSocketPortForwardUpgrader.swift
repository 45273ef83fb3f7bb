import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Accepts kubectl's (1.31 and later) `GET .../pods/NAME/portforward` with `Upgrade: websocket` and the tunnel
/// subprotocol of KEP-4006: the same SPDY/3.1 session as the SPDY upgrade, carried in binary WebSocket messages.
enum WebSocketPortForwardUpgrader {
    static let subprotocol = "SPDY/3.1+portforward.k8s.io"
    /// Far above what a client puts in one message (kubectl writes one SPDY frame, at most 32 KiB of data, per message).
    static let maxFrameSize = 1 << 24

    static func make(cluster: SimCluster) -> NIOWebSocketServerUpgrader {
        NIOWebSocketServerUpgrader(
            maxFrameSize: maxFrameSize,
            shouldUpgrade: { channel, head in
                let offered = head.headers[canonicalForm: "sec-websocket-protocol"].map { String($0) }
                guard offered.contains(subprotocol) else {
                    let status = KubeStatus.badRequest("WebSocket port-forward needs the \(subprotocol) subprotocol")
                    return channel.eventLoop.makeFailedFuture(PortForwardRefusal(status: status))
                }
                return PortForwardAdmission.decide(cluster: cluster, request: head, on: channel.eventLoop).map { () -> HTTPHeaders? in
                    HTTPHeaders([("Sec-WebSocket-Protocol", subprotocol)])
                }
            },
            upgradePipelineHandler: { channel, head in
                let result = channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(WebSocketTunnelHandler())
                    try PortForwardAdmission.startSession(cluster: cluster, request: head, over: .websocket, pipeline: pipeline)
                }
                result.whenFailure { _ in channel.close(promise: nil) }
                return result
            })
    }
}

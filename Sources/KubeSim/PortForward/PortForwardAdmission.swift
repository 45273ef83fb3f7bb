import NIOCore
import NIOHTTP1

/// What both port-forward upgrades (SPDY/3.1 and the WebSocket tunnel) share: the decision, after the
/// context's latency, and the session that serves the upgraded connection.
enum PortForwardAdmission {
    /// Succeeds when the request may be upgraded; fails with a `PortForwardRefusal` (answered by the API
    /// handler with its Status) otherwise.
    static func decide(cluster: SimCluster, request: HTTPRequestHead, on loop: any EventLoop) -> EventLoopFuture<Void> {
        let decide: @Sendable () throws -> Void = {
            if let refusal = PortForwardRefusal.check(cluster: cluster, request: request) { throw refusal }
        }
        let latency = cluster.latencyMs
        if latency > 0 {
            return loop.scheduleTask(in: .milliseconds(Int64(latency))) { try decide() }.futureResult
        }
        return loop.makeCompletedFuture { try decide() }
    }

    /// Adds the SPDY frame decoder and the session after the handlers that deliver the SPDY byte stream.
    static func startSession(
        cluster: SimCluster, request: HTTPRequestHead, over transport: PortForwardProtocol,
        pipeline: ChannelPipeline.SynchronousOperations
    ) throws {
        guard case .podPortForward(let namespace, let name) = APIRoute(uri: request.uri),
            let pod = cluster.store.pod(namespace: namespace, name: name)
        else {
            throw PortForwardRefusal(status: .notFound(kind: "pods", name: ""))
        }
        try pipeline.addHandler(ByteToMessageHandler(SPDYFrameDecoder()))
        try pipeline.addHandler(PortForwardSession(cluster: cluster, pod: pod, transport: transport))
    }
}

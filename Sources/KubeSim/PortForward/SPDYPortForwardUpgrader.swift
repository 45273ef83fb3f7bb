import NIOCore
import NIOHTTP1

/// Accepts kubectl's `POST .../pods/NAME/portforward` with `Upgrade: SPDY/3.1` and turns the connection into a
/// port-forward session. Refused requests (forbidden namespace, missing or not-running pod) fail the upgrade, and
/// the API handler then answers them with a Status.
struct SPDYPortForwardUpgrader: HTTPServerProtocolUpgrader, Sendable {
    let cluster: SimCluster

    var supportedProtocol: String { "SPDY/3.1" }
    /// Empty: NIO would require each listed header as a `Connection:` token, and kubectl sends only `Upgrade`.
    var requiredUpgradeHeaders: [String] { [] }

    func buildUpgradeResponse(
        channel: any Channel, upgradeRequest: HTTPRequestHead, initialResponseHeaders: HTTPHeaders
    ) -> EventLoopFuture<HTTPHeaders> {
        let cluster = self.cluster
        let decide: @Sendable () throws -> HTTPHeaders = {
            guard upgradeRequest.method == .POST || upgradeRequest.method == .GET,
                let target = APIRequest.portForwardTarget(uri: upgradeRequest.uri)
            else {
                throw PortForwardRefusal(status: .pageNotFound())
            }
            if let refusal = PortForwardRefusal.check(cluster: cluster, namespace: target.namespace, pod: target.pod) {
                throw refusal
            }
            var headers = initialResponseHeaders
            headers.add(name: "X-Stream-Protocol-Version", value: "portforward.k8s.io")
            return headers
        }
        let latency = cluster.latencyMs
        if latency > 0 {
            return channel.eventLoop.scheduleTask(in: .milliseconds(Int64(latency))) { try decide() }.futureResult
        }
        return channel.eventLoop.makeCompletedFuture { try decide() }
    }

    func upgrade(context: ChannelHandlerContext, upgradeRequest: HTTPRequestHead) -> EventLoopFuture<Void> {
        guard let target = APIRequest.portForwardTarget(uri: upgradeRequest.uri),
            let pod = cluster.store.pod(namespace: target.namespace, name: target.pod)
        else {
            context.close(promise: nil)
            return context.eventLoop.makeFailedFuture(PortForwardRefusal(status: .notFound(kind: "pods", name: "")))
        }
        return context.eventLoop.makeCompletedFuture {
            try context.pipeline.syncOperations.addHandler(ByteToMessageHandler(SPDYFrameDecoder()))
            try context.pipeline.syncOperations.addHandler(PortForwardSession(cluster: cluster, pod: pod))
        }
    }
}

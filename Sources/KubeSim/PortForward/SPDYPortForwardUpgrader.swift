import NIOCore
import NIOHTTP1

/// Accepts kubectl's `POST .../pods/NAME/portforward` with `Upgrade: SPDY/3.1` and turns the connection into a
/// port-forward session. Refused requests (unauthenticated, forbidden namespace, missing or not-running pod)
/// fail the upgrade, and the API handler then answers them with a Status.
struct SPDYPortForwardUpgrader: HTTPServerProtocolUpgrader, Sendable {
    let cluster: SimCluster

    var supportedProtocol: String { "SPDY/3.1" }
    /// Empty: NIO would require each listed header as a `Connection:` token, and kubectl sends only `Upgrade`.
    var requiredUpgradeHeaders: [String] { [] }

    func buildUpgradeResponse(
        channel: any Channel, upgradeRequest: HTTPRequestHead, initialResponseHeaders: HTTPHeaders
    ) -> EventLoopFuture<HTTPHeaders> {
        guard upgradeRequest.method == .POST || upgradeRequest.method == .GET else {
            return channel.eventLoop.makeFailedFuture(PortForwardRefusal(status: .pageNotFound()))
        }
        return PortForwardAdmission.decide(cluster: cluster, request: upgradeRequest, on: channel.eventLoop).map {
            var headers = initialResponseHeaders
            headers.add(name: "X-Stream-Protocol-Version", value: "portforward.k8s.io")
            return headers
        }
    }

    func upgrade(context: ChannelHandlerContext, upgradeRequest: HTTPRequestHead) -> EventLoopFuture<Void> {
        do {
            try PortForwardAdmission.startSession(
                cluster: cluster, request: upgradeRequest, over: .spdy, pipeline: context.pipeline.syncOperations)
            return context.eventLoop.makeSucceededVoidFuture()
        } catch {
            context.close(promise: nil)
            return context.eventLoop.makeFailedFuture(error)
        }
    }
}

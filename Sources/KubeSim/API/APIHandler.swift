import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Serves the Kubernetes API of one simulated cluster over HTTP/1.1: discovery, namespaces, pods (list, get,
/// watch, delete) and the non-upgraded port-forward requests (the WebSocket attempt and refusals).
final class APIHandler: ChannelInboundHandler, RemovableChannelHandler {
    static let handlerName = "kube9-sim-api"

    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let cluster: SimCluster
    private let apiPort: Int
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var watchID: ObjectIdentifier?
    private var keepAlive = true

    init(cluster: SimCluster, apiPort: Int) {
        self.cluster = cluster
        self.apiPort = apiPort
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var part):
            // Only DeleteOptions are read from a body: a few hundred bytes.
            if body.readableBytes < 64 * 1024 { body.writeBuffer(&part) }
        case .end:
            guard let head else { return }
            self.head = nil
            var request = APIRequest(head: head)
            request.body = body.readableBytesView.map { $0 }
            keepAlive = head.isKeepAlive
            let latency = cluster.latencyMs
            if latency > 0 {
                context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(latency))) {
                    self.serve(request, context: context)
                }
            } else {
                serve(request, context: context)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let watchID {
            cluster.watches.stopWatch(watchID)
            self.watchID = nil
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A refused upgrade is answered by this handler when the request arrives; anything else ends the connection.
        if error is PortForwardRefusal { return }
        context.close(promise: nil)
    }

    // MARK: Routing

    private func serve(_ request: APIRequest, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        cluster.logger.debug("request", metadata: ["method": "\(request.method)", "uri": "\(request.uri)"])
        let store = cluster.store
        let method = request.method
        if let refusal = cluster.access.authenticate(request.headers, route: request.route)
            ?? cluster.access.authorize(method: method, route: request.route, isWatch: request.isWatch)
        {
            return respond(context, refusal)
        }
        if case .pod(let namespace, let name) = request.route {
            return servePod(request, namespace: namespace, name: name, context: context)
        }
        if case .podPortForward(let namespace, let name) = request.route {
            return refusePortForward(request, namespace: namespace, name: name, context: context)
        }
        guard method == .GET else {
            return respond(context, request.route == .unknown ? .pageNotFound() : .methodNotAllowed())
        }
        let filter = PodFilter(fieldSelector: request.query["fieldSelector"], labelSelector: request.query["labelSelector"])
        switch request.route {
        case .version:
            respond(context, .ok, Discovery.version(minor: cluster.kubectlMinor))
        case .apiVersions:
            respond(context, .ok, Discovery.apiVersions(port: apiPort))
        case .apiGroups:
            respond(context, .ok, Discovery.apiGroupList)
        case .coreResources:
            respond(context, .ok, Discovery.coreResources)
        case .appsResources:
            respond(context, .ok, Discovery.appsResources)
        case .workloads(let resource, let namespace):
            respond(context, .ok, store.workloadListJSON(resource: resource, namespace: namespace, asTable: request.wantsTable))
        case .workload(let resource, let namespace, let name):
            guard let workload = store.workload(resource: resource, namespace: namespace, name: name) else {
                return respond(context, .notFound(kind: resource, name: name, group: "apps"))
            }
            if request.wantsTable {
                return respond(context, .ok, store.workloadListJSON(resource: resource, namespace: namespace, only: name, asTable: true))
            }
            respond(context, .ok, ByteBuffer(bytes: workload.json))
        case .namespaces:
            if request.isWatch {
                writeWatchHead(context)
                let since = request.query["resourceVersion"].flatMap(Int.init)
                watchID = store.watchNamespaces(channel: context.channel, since: since, asTable: request.wantsTable)
                return
            }
            respond(context, .ok, store.namespaceListJSON(asTable: request.wantsTable))
        case .namespace(let name):
            guard let json = store.namespaceJSON(name) else {
                return respond(context, .notFound(kind: "namespaces", name: name))
            }
            if request.wantsTable { return respond(context, .ok, store.namespaceListJSON(asTable: true, only: name)) }
            respond(context, .ok, ByteBuffer(bytes: json))
        case .pods(let namespace):
            if request.isWatch { return startWatch(request, namespace: namespace, filter: filter, context: context) }
            respond(context, .ok, store.podListJSON(namespace: namespace, filter: filter, asTable: request.wantsTable))
        case .podLog(let namespace, let name):
            serveLog(request, namespace: namespace, name: name, context: context)
        case .services(let namespace):
            respond(context, .ok, store.serviceListJSON(namespace: namespace, asTable: request.wantsTable))
        case .service(let namespace, let name):
            guard let service = store.service(namespace: namespace, name: name) else {
                return respond(context, .notFound(kind: "services", name: name))
            }
            if request.wantsTable {
                var buffer = ByteBuffer()
                TableRenderer.writeTableStart(columns: TableRenderer.serviceColumns, resourceVersion: service.resourceVersion, to: &buffer)
                TableRenderer.writeServiceRow(service, now: Date(), to: &buffer)
                TableRenderer.writeTableEnd(to: &buffer)
                return respond(context, .ok, buffer)
            }
            respond(context, .ok, ByteBuffer(bytes: service.json))
        case .pod, .podPortForward, .unknown:
            respond(context, .pageNotFound())
        }
    }

    private func servePod(_ request: APIRequest, namespace: String, name: String, context: ChannelHandlerContext) {
        let asTable = request.wantsTable
        switch request.method {
        case .GET:
            guard let pod = cluster.store.pod(namespace: namespace, name: name) else {
                return respond(context, .notFound(kind: "pods", name: name))
            }
            if asTable {
                var buffer = ByteBuffer()
                TableRenderer.writeTableStart(columns: TableRenderer.podColumns, resourceVersion: pod.resourceVersion, to: &buffer)
                TableRenderer.writePodRow(pod, now: Date(), to: &buffer)
                TableRenderer.writeTableEnd(to: &buffer)
                return respond(context, .ok, buffer)
            }
            respond(context, .ok, ByteBuffer(bytes: pod.json))
        case .DELETE:
            guard let pod = cluster.deletePod(namespace: namespace, name: name, gracePeriod: request.gracePeriodSeconds) else {
                return respond(context, .notFound(kind: "pods", name: name))
            }
            respond(context, .ok, ByteBuffer(bytes: pod.json))
        default:
            respond(context, .methodNotAllowed())
        }
    }

    /// A few plausible log lines per container; `follow=true` keeps the stream open like a running container's.
    private func serveLog(_ request: APIRequest, namespace: String, name: String, context: ChannelHandlerContext) {
        guard let pod = cluster.store.pod(namespace: namespace, name: name) else {
            return respond(context, .notFound(kind: "pods", name: name))
        }
        let names = pod.containers.map(\.name)
        let chosen = request.query["container"] ?? (names.count == 1 ? names.first : nil)
        guard let containerName = chosen else {
            return respond(context, .badRequest(
                "a container name must be specified for pod \(name), choose one of: [\(names.joined(separator: " "))]"))
        }
        guard let container = (pod.containers + pod.initContainers).first(where: { $0.name == containerName }) else {
            return respond(context, .badRequest("container \(containerName) is not valid for pod \(name)"))
        }
        if pod.phase == "Pending" {
            return respond(context, .badRequest(
                "container \"\(containerName)\" in pod \"\(name)\" is waiting to start: ContainerCreating"))
        }
        let started = pod.startTime ?? pod.creationTimestamp
        var text = "\(KubeObjects.timestamp(started)) kube9-sim: container \(containerName) of \(namespace)/\(name) started\n"
        for port in container.ports {
            text += "\(KubeObjects.timestamp(started)) kube9-sim: listening on \(port.containerPort)/\(port.protocol)\n"
        }
        switch pod.phase {
        case "Succeeded": text += "\(KubeObjects.timestamp(started)) kube9-sim: done\n"
        case "Failed": text += "\(KubeObjects.timestamp(started)) kube9-sim: error: exit status 1\n"
        default: break
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain")
        if request.query["follow"] == "true" && pod.isRunning {
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
            return  // open until the client goes away
        }
        headers.add(name: "Content-Length", value: String(text.utf8.count))
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Port-forward requests that were not upgraded: the WebSocket attempt, and SPDY requests that were refused.
    private func refusePortForward(_ request: APIRequest, namespace: String, name: String, context: ChannelHandlerContext) {
        if let refusal = PortForwardRefusal.check(cluster: cluster, request: request.head) {
            return respond(context, refusal.status)
        }
        if request.wantsWebSocket {
            // A server older than 1.30 (or a WebSocket request without the tunnel subprotocol).
            return respond(context, .badRequest("WebSocket upgrade of pods/portforward is not supported"))
        }
        respond(context, .badRequest("Upgrade request required"))
    }

    // MARK: Watch

    private func writeWatchHead(_ context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Cache-Control", value: "no-cache, private")
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
    }

    private func startWatch(_ request: APIRequest, namespace: String?, filter: PodFilter, context: ChannelHandlerContext) {
        writeWatchHead(context)
        let since = request.query["resourceVersion"].flatMap(Int.init)
        watchID = cluster.store.watchPods(
            channel: context.channel, namespace: namespace, filter: filter, since: since, asTable: request.wantsTable)
        if let timeout = request.query["timeoutSeconds"].flatMap(Int64.init), timeout > 0 {
            context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(timeout)) {
                guard let id = self.watchID else { return }
                self.cluster.watches.stopWatch(id)
                self.watchID = nil
                context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }

    // MARK: Responses

    private func respond(_ context: ChannelHandlerContext, _ status: KubeStatus) {
        respond(context, status.httpStatus, ByteBuffer(bytes: status.json))
    }

    private func respond(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus, _ body: String) {
        respond(context, status, ByteBuffer(string: body))
    }

    private func respond(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus, _ body: ByteBuffer) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "Cache-Control", value: "no-cache, private")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        }
    }
}

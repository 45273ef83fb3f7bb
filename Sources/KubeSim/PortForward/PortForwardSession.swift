import Foundation
import Logging
import NIOCore
import NIOPosix

/// One upgraded SPDY/3.1 port-forward connection from kubectl to one pod.
///
/// kubectl opens an error stream and a data stream per forwarded connection, both carrying the same `requestid`
/// (streams of concurrent connections interleave, so they are paired by it). Every SYN_STREAM is answered at once
/// with an empty SYN_REPLY. The data stream is bridged to the pod's server for that port; when the pod side
/// closes, the data stream and then the error stream get an empty DATA FIN. An undeclared port, or one declared
/// `listening: false`, is refused on the error stream with a kubelet's message; a port with `resetAfterBytes`
/// has each connection cut (FIN after that many bytes from the pod). The session is the same whether its bytes
/// come straight from the SPDY upgrade or out of the WebSocket tunnel. Everything runs on the connection's event loop, including the pod
/// connections, and reading pauses in either direction while the other side cannot take more bytes.
final class PortForwardSession: ChannelInboundHandler {
    typealias InboundIn = SPDYFrame
    typealias OutboundOut = ByteBuffer

    private struct Forward {
        var errorStream: UInt32?
        var dataStream: UInt32?
        var port: Int?
        var link: (any Channel)?
        var pending: [ByteBuffer] = []
        var clientFinished = false
        var connecting = false
        /// Bytes the pod may still send before the connection is cut (`resetAfterBytes`); nil: no limit.
        var remainingBeforeCut: Int?
    }

    private let cluster: SimCluster
    private let pod: PodRecord
    private let transport: PortForwardProtocol
    private let inflater = SPDYHeaderInflater()
    private var deflater = SPDYHeaderDeflater()
    private var context: ChannelHandlerContext?
    private var forwards: [String: Forward] = [:]
    private var streamRequests: [UInt32: String] = [:]
    private var unwritableLinks = Set<ObjectIdentifier>()
    private var registered = false
    private var needsFlush = false

    init(cluster: SimCluster, pod: PodRecord, transport: PortForwardProtocol) {
        self.cluster = cluster
        self.pod = pod
        self.transport = transport
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        registered = cluster.registerSession(pod: pod, channel: context.channel, over: transport)
        if registered {
            cluster.logger.info(
                "port-forward session opened", metadata: ["pod": "\(pod.namespace)/\(pod.name)", "over": "\(transport.rawValue)"])
        } else {
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closeAllLinks()
        if registered {
            cluster.unregisterSession(pod: pod, channel: context.channel)
            registered = false
            cluster.logger.info("port-forward session closed", metadata: ["pod": "\(pod.namespace)/\(pod.name)"])
        }
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        closeAllLinks()
        self.context = nil
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        cluster.logger.debug("port-forward session error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        for forward in forwards.values { forward.link?.flush() }
        flushToClient()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        let writable = context.channel.isWritable
        for forward in forwards.values {
            forward.link?.setAutoRead(writable)
        }
        context.fireChannelWritabilityChanged()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .synStream(let streamID, _, let fin, let block):
            do {
                let headers = try SPDYHeaderBlock.decode(inflater.inflate(block))
                openStream(streamID, headers: Dictionary(headers, uniquingKeysWith: { first, _ in first }), fin: fin)
            } catch {
                errorCaught(context: context, error: error)
            }
        case .headers(_, _, let block):
            // Keep the shared zlib stream in step; the sim has no use for late headers.
            if (try? inflater.inflate(block)) == nil { context.close(promise: nil) }
        case .data(let streamID, let fin, let payload):
            clientData(streamID, payload: payload, fin: fin)
        case .rstStream(let streamID, _):
            resetStream(streamID)
        case .ping(let id):
            send(.ping(id: id))
            flushToClient()
        case .goAway:
            flushToClient()
            context.close(promise: nil)
        case .synReply, .otherControl:
            break
        }
    }

    // MARK: Streams from kubectl

    private func openStream(_ streamID: UInt32, headers: [String: String], fin: Bool) {
        send(.synReply(streamID: streamID, fin: false, headerBlock: deflater.deflate(SPDYHeaderBlock.encode([]))))
        needsFlush = true
        let requestID = headers["requestid"] ?? headers["port"] ?? String(streamID)
        streamRequests[streamID] = requestID
        var forward = forwards[requestID] ?? Forward()
        switch headers["streamtype"] {
        case "error":
            forward.errorStream = streamID
            forwards[requestID] = forward
        case "data":
            forward.dataStream = streamID
            forward.port = headers["port"].flatMap(Int.init)
            forward.clientFinished = fin
            forwards[requestID] = forward
            connect(requestID)
        default:
            forwards[requestID] = forward
            send(.rstStream(streamID: streamID, status: SPDYFrame.ResetStatus.protocolError.rawValue))
        }
    }

    private func clientData(_ streamID: UInt32, payload: ByteBuffer, fin: Bool) {
        guard let requestID = streamRequests[streamID], var forward = forwards[requestID],
            forward.dataStream == streamID
        else { return }  // error-stream data from kubectl carries nothing
        if payload.readableBytes > 0 {
            if let link = forward.link {
                link.write(payload, promise: nil)
                if !link.isWritable { podLinkWritabilityChanged(link) }
            } else {
                forward.pending.append(payload)
            }
        }
        if fin {
            forward.clientFinished = true
            forward.link?.flush()
            forward.link?.close(mode: .output, promise: nil)
        }
        forwards[requestID] = forward
    }

    private func resetStream(_ streamID: UInt32) {
        guard let requestID = streamRequests[streamID], let forward = forwards.removeValue(forKey: requestID) else { return }
        forget(forward)
        forward.link?.close(promise: nil)
    }

    // MARK: Pod side

    private func connect(_ requestID: String) {
        guard let context, var forward = forwards[requestID], !forward.connecting else { return }
        cluster.logger.debug(
            "forwarded connection", metadata: ["pod": "\(pod.namespace)/\(pod.name)", "port": "\(forward.port ?? 0)", "requestid": "\(requestID)"])
        guard let port = forward.port, let declared = pod.tcpPort(port), declared.listening else {
            refuse(requestID, port: forward.port ?? 0)
            return
        }
        forward.connecting = true
        forward.remainingBeforeCut = declared.resetAfterBytes
        forwards[requestID] = forward
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        cluster.podServerPort(pod: pod, containerPort: port, on: loop)
            .flatMap { localPort in
                ClientBootstrap(group: loop)
                    .channelOption(.socketOption(.tcp_nodelay), value: 1)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(
                                PodLinkHandler(session: bound.value, requestID: requestID))
                        }
                    }
                    .connect(host: "127.0.0.1", port: localPort)
            }
            .assumeIsolated()
            .whenComplete { result in
                switch result {
                case .success(let channel): self.linkConnected(requestID, channel)
                case .failure: self.refuse(requestID, port: port)
                }
            }
    }

    private func linkConnected(_ requestID: String, _ link: any Channel) {
        guard context != nil, var forward = forwards[requestID] else {
            link.close(promise: nil)
            return
        }
        forward.link = link
        for buffer in forward.pending { link.write(buffer, promise: nil) }
        forward.pending = []
        link.flush()
        if forward.clientFinished { link.close(mode: .output, promise: nil) }
        if context?.channel.isWritable == false { link.setAutoRead(false) }
        forwards[requestID] = forward
        if forward.remainingBeforeCut == 0 { link.close(promise: nil) }
    }

    func forwardFromPod(requestID: String, _ received: ByteBuffer) {
        guard let context, var forward = forwards[requestID], let stream = forward.dataStream else { return }
        var payload = received
        var cut = false
        if let remaining = forward.remainingBeforeCut {
            guard remaining > 0 else { return }
            if payload.readableBytes >= remaining {
                payload = payload.getSlice(at: payload.readerIndex, length: remaining) ?? ByteBuffer()
                cut = true
            }
            forward.remainingBeforeCut = remaining - payload.readableBytes
            forwards[requestID] = forward
        }
        var header = context.channel.allocator.buffer(capacity: SPDYFrame.headerLength)
        SPDYFrame.writeDataHeader(streamID: stream, fin: false, length: payload.readableBytes, to: &header)
        context.write(wrapOutboundOut(header), promise: nil)
        context.write(wrapOutboundOut(payload), promise: nil)
        needsFlush = true
        if !context.channel.isWritable {
            for forward in forwards.values { forward.link?.setAutoRead(false) }
        }
        // The cut: what fitted went out; the pod side closes and podLinkClosed ends both streams.
        if cut { forward.link?.close(promise: nil) }
    }

    func flushToClient() {
        guard needsFlush, let context else { return }
        needsFlush = false
        context.flush()
    }

    /// The pod closed the connection: end the data stream, then the error stream (kubectl's local client sees EOF).
    func podLinkClosed(requestID: String) {
        guard let forward = forwards.removeValue(forKey: requestID) else { return }
        forget(forward)
        if let link = forward.link { unwritableLinks.remove(ObjectIdentifier(link)) }
        guard context != nil else { return }
        if let data = forward.dataStream { send(.data(streamID: data, fin: true, payload: ByteBuffer())) }
        if let error = forward.errorStream { send(.data(streamID: error, fin: true, payload: ByteBuffer())) }
        needsFlush = true
        flushToClient()
        resumeClientReadsIfPossible()
    }

    func podLinkWritabilityChanged(_ link: any Channel) {
        let id = ObjectIdentifier(link)
        if link.isWritable {
            unwritableLinks.remove(id)
            resumeClientReadsIfPossible()
        } else if unwritableLinks.insert(id).inserted {
            context?.channel.setAutoRead(false)
        }
    }

    private func resumeClientReadsIfPossible() {
        if unwritableLinks.isEmpty { context?.channel.setAutoRead(true) }
    }

    /// Reports a refused connection the way a kubelet does: the message on the error stream, then both streams end.
    private func refuse(_ requestID: String, port: Int) {
        guard let forward = forwards.removeValue(forKey: requestID) else { return }
        forget(forward)
        let sandbox = SimIDs.hex(seed: pod.uid + "sandbox", length: 64)
        let netns = SimIDs.hex(seed: pod.uid + "netns", length: 32)
        let message =
            "error forwarding port \(port) to pod \(sandbox), uid : failed to execute portforward in network namespace "
            + "\"/var/run/netns/cni-\(netns)\": failed to connect to localhost:\(port) inside namespace \"\(sandbox)\", "
            + "IPv4: dial tcp4 127.0.0.1:\(port): connect: connection refused IPv6 dial tcp6 [::1]:\(port): connect: connection refused "
        if let error = forward.errorStream {
            send(.data(streamID: error, fin: false, payload: ByteBuffer(string: message)))
            send(.data(streamID: error, fin: true, payload: ByteBuffer()))
        }
        if let data = forward.dataStream { send(.data(streamID: data, fin: true, payload: ByteBuffer())) }
        needsFlush = true
        flushToClient()
    }

    // MARK: Helpers

    private func send(_ frame: SPDYFrame) {
        guard let context else { return }
        var buffer = context.channel.allocator.buffer(capacity: 16)
        frame.write(to: &buffer)
        context.write(wrapOutboundOut(buffer), promise: nil)
        needsFlush = true
    }

    private func forget(_ forward: Forward) {
        if let stream = forward.errorStream { streamRequests.removeValue(forKey: stream) }
        if let stream = forward.dataStream { streamRequests.removeValue(forKey: stream) }
    }

    private func closeAllLinks() {
        let links = forwards.values.compactMap(\.link)
        forwards = [:]
        streamRequests = [:]
        unwritableLinks = []
        for link in links { link.close(promise: nil) }
    }
}

extension Channel {
    /// Sets autoRead; must be called on the channel's event loop (every session channel shares one loop).
    fileprivate func setAutoRead(_ on: Bool) {
        if eventLoop.inEventLoop, let options = syncOptions {
            try? options.setOption(.autoRead, value: on)
        } else {
            setOption(.autoRead, value: on).whenComplete { _ in }
        }
    }
}

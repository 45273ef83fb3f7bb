import Glibc
import NIOCore

/// One side of a relay: what this channel reads is written to its partner's channel, as the same ByteBuffers.
/// Backpressure both ways: a side reads only while its partner can write. Half-close: an end of input on one side
/// shuts the partner's output; a channel closes once both of its directions are done. Both channels live on one
/// event loop, so partners call each other directly.
///
/// A backend that ends before it answered anything does not always cut the local connection. kubectl closes its
/// local connections when it loses the pod's stream, a moment before it exits: with a reset when the request is
/// still unread in its socket, and with a plain end of input when it has read it. After a reset, or an end of
/// input on a connection whose client has sent nothing yet, nothing can have reached the pod: the accepted side
/// keeps what it sent (the same buffers, up to ``replayLimit``), stops reading and is handed back; the lifecycle
/// holds it for the next backend (or closes it, if this kubectl goes on running), which gets those bytes first.
/// Once only. A request kubectl has read may have reached the pod: it ends with the backend (kube9 never sends a
/// request twice).
final class RelayGlueHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The most bytes kept to send again to a next backend.
    static let replayLimit = 64 * 1024

    /// Counts the bytes this side reads (bytes in for the accepted side, bytes out for the backend side).
    private let countRead: @Sendable (Int) -> Void
    private let isBackend: Bool
    private var partner: RelayGlueHandler?
    private var context: ChannelHandlerContext?
    private var readPending = false
    private var inputClosed = false
    private var outputClosed = false
    /// Accepted side: what went to the backend before it answered (nil once it has, or past the limit).
    private var replay: [ByteBuffer]? = []
    private var replayBytes = 0
    /// Accepted side: whether a backend was lost once already.
    private var replayed = false
    /// Backend side: what to do when it ends before answering (hand the accepted connection back).
    private var endedBeforeAnswer: (() -> Void)?
    /// Accepted side, ended unserved: what the client still sends is dropped.
    private var discarding = false
    /// Backend side: partnered with its accepted side (``attach(to:)``). Before that, the connection may already
    /// bring bytes or its end (the backend's handler is in place from the connection's start): kept for then.
    private var attached = false
    private var early: [ByteBuffer] = []

    private init(countRead: @escaping @Sendable (Int) -> Void, isBackend: Bool) {
        self.countRead = countRead
        self.isBackend = isBackend
    }

    /// The handler for a new accepted connection.
    static func accepted(countIn: @escaping @Sendable (Int) -> Void) -> RelayGlueHandler {
        RelayGlueHandler(countRead: countIn, isBackend: false)
    }

    /// A backend connection's handler, in its pipeline from the connection's start and partnered once it has
    /// connected (``attach(to:)``). `lost` runs when the backend ends before answering.
    static func backend(countOut: @escaping @Sendable (Int) -> Void, lost: @escaping () -> Void) -> RelayGlueHandler {
        let back = RelayGlueHandler(countRead: countOut, isBackend: true)
        back.endedBeforeAnswer = lost
        return back
    }

    /// Backend side: partners with `front` (an accepted connection's handler, new or handed back). What `front` kept
    /// from a lost backend is written first; what this backend sent or did before (bytes, its end) is passed on.
    func attach(to front: RelayGlueHandler) {
        partner = front
        front.partner = self
        attached = true
        front.backendAttached()
        if !early.isEmpty {
            front.replay = nil
            for buffer in early { front.partnerWrite(buffer) }
            front.partnerFlush()
            early = []
        }
        if inputClosed, let context {
            inputClosed = false
            backendInputClosed(context: context)
        }
    }

    /// The most time an ended connection waits for its client to close before it is closed.
    static let endedLinger: TimeAmount = .seconds(10)

    /// Accepted side, held with no backend: ends it unserved the way a server that closes would. The client reads
    /// the end of the stream (not a reset, which closing with its request unread would send), what it sent or
    /// sends is discarded, and the connection closes once the client has closed its side (or after
    /// ``endedLinger``).
    func endUnserved() {
        guard let context, partner == nil else { return }
        replay = nil
        discarding = true
        outputClosed = true
        context.close(mode: .output, promise: nil)
        if inputClosed {
            context.close(promise: nil)
            return
        }
        let channel = context.channel
        channel.setOption(.autoRead, value: true).whenFailure { _ in channel.close(promise: nil) }
        channel.eventLoop.scheduleTask(in: Self.endedLinger) { channel.close(promise: nil) }
    }

    /// Accepted side, from its new backend's ``attach(to:)``: sends what was kept, then lets the accepted side read
    /// again.
    private func backendAttached() {
        guard let back = partner else { return }
        if let kept = replay, !kept.isEmpty {
            for buffer in kept { back.partnerWrite(buffer) }
            back.partnerFlush()
        }
        if replayed { replay = nil }
        if inputClosed { back.partnerEndOutput() }
        back.partnerBecameWritable()
        partnerBecameWritable()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    // MARK: This side's events

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !discarding else { return }
        let buffer = unwrapInboundIn(data)
        countRead(buffer.readableBytes)
        if isBackend, !attached {
            early.append(buffer)
            return
        }
        if isBackend {
            partner?.replay = nil
        } else if replay != nil {
            replayBytes += buffer.readableBytes
            // Held (no backend): NIO reads a connection whose client has ended its input even while it is not
            // reading; all of it is kept for the next backend.
            if replayBytes <= Self.replayLimit || partner == nil { replay?.append(buffer) } else { replay = nil }
        }
        partner?.partnerWrite(buffer)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.partnerFlush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner?.partnerClose()
        partner = nil
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            if isBackend {
                backendInputClosed(context: context)
                return
            }
            inputClosed = true
            partner?.partnerEndOutput()
            if outputClosed { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Backend side, its end of input: the accepted connection is handed back when nothing can have reached the pod
    /// (its client has sent nothing), else its output ends too. Before ``attach(to:)``, only noted.
    private func backendInputClosed(context: ChannelHandlerContext) {
        guard attached else {
            inputClosed = true
            return
        }
        if partner?.replayBytes == 0, giveBackUnanswered(context: context) { return }
        inputClosed = true
        partner?.partnerEndOutput()
        if outputClosed { context.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if isBackend, (error as? IOError)?.errnoCode == ECONNRESET, giveBackUnanswered(context: context) { return }
        partner?.partnerClose()
        context.close(promise: nil)
    }

    /// Backend side, ending before it answered anything while the client still sends: the accepted connection is
    /// handed back instead of cut, and this backend connection closes. False when it does not apply (an answer
    /// came, the client ended its input, or a backend was lost once already).
    private func giveBackUnanswered(context: ChannelHandlerContext) -> Bool {
        guard let front = partner, front.canReplay, let lost = endedBeforeAnswer else { return false }
        partner = nil
        front.partner = nil
        front.replayed = true
        lost()
        context.close(promise: nil)
        return true
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { partner?.partnerBecameWritable() }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if discarding || partner?.canWrite ?? false {
            context.read()
        } else {
            readPending = true
        }
    }

    // MARK: What the partner asks

    private var canWrite: Bool { context?.channel.isWritable ?? false }

    /// The backend has not answered, what was sent is all kept, no backend was lost before, the client still sends.
    private var canReplay: Bool { replay != nil && !replayed && !inputClosed && !outputClosed && context != nil }

    private func partnerWrite(_ buffer: ByteBuffer) {
        context?.write(wrapOutboundOut(buffer), promise: nil)
    }

    private func partnerFlush() {
        context?.flush()
    }

    private func partnerEndOutput() {
        guard let context, !outputClosed else { return }
        outputClosed = true
        context.close(mode: .output, promise: nil)
        if inputClosed { context.close(promise: nil) }
    }

    private func partnerClose() {
        context?.close(promise: nil)
    }

    private func partnerBecameWritable() {
        guard readPending, let context else { return }
        readPending = false
        context.read()
    }
}

import Glibc

/// The socket pair between kube9 and its forward holder (``ForwardHolder``): `SOCK_SEQPACKET`, so each message
/// arrives whole; a message is one short line of text and may carry one descriptor (`SCM_RIGHTS`: the receiver
/// gets its own descriptor of the same open socket, close-on-exec).
///
/// kube9 → holder: `listen BACKENDPORT` with a listening socket (once per socket), then `serve`; later `release`.
/// Holder → kube9: `ready` once it accepts on every socket, or `failed REASON`; `released` once it no longer does.
/// End of file on either side: the other has gone.
enum HolderSocket {
    static let listen = "listen"
    static let serve = "serve"
    static let ready = "ready"
    static let failed = "failed"
    static let release = "release"
    static let released = "released"

    /// A message as received: its text and the descriptor it carried (the receiver's to close).
    struct Message: Sendable, Equatable {
        var text: String
        var descriptor: Int32?
    }

    /// A new pair, both ends close-on-exec (the holder's end becomes its standard input, which clears that).
    static func pair() -> (kube9: Int32, holder: Int32)? {
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else { return nil }
        return (ends[0], ends[1])
    }

    /// Sends `text` (and `descriptor`, which stays the sender's); false when the peer has gone.
    @discardableResult
    static func send(_ text: String, descriptor: Int32? = nil, on socket: Int32) -> Bool {
        var bytes = Array(text.utf8)
        let controlSize = descriptor == nil ? 0 : space(for: MemoryLayout<Int32>.size)
        var control = [UInt8](repeating: 0, count: controlSize)
        return bytes.withUnsafeMutableBytes { payload in
            control.withUnsafeMutableBytes { controlBytes in
                var vector = iovec(iov_base: payload.baseAddress, iov_len: payload.count)
                return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                    var header = msghdr()
                    header.msg_iov = vectorPointer
                    header.msg_iovlen = 1
                    if let descriptor, let base = controlBytes.baseAddress {
                        header.msg_control = base
                        header.msg_controllen = controlBytes.count
                        let message = base.assumingMemoryBound(to: cmsghdr.self)
                        message.pointee.cmsg_len = length(for: MemoryLayout<Int32>.size)
                        message.pointee.cmsg_level = SOL_SOCKET
                        message.pointee.cmsg_type = Int32(SCM_RIGHTS)
                        (base + dataOffset).storeBytes(of: descriptor, as: Int32.self)
                    }
                    return sendmsg(socket, &header, Int32(MSG_NOSIGNAL)) == payload.count
                }
            }
        }
    }

    /// The next message; nil at end of file (the peer has gone) or on an error. Blocks unless the socket does not.
    static func receive(on socket: Int32) -> Message? {
        var payload = [UInt8](repeating: 0, count: 256)
        var control = [UInt8](repeating: 0, count: space(for: MemoryLayout<Int32>.size))
        let (count, descriptor): (Int, Int32?) = payload.withUnsafeMutableBytes { payloadBytes in
            control.withUnsafeMutableBytes { controlBytes in
                var vector = iovec(iov_base: payloadBytes.baseAddress, iov_len: payloadBytes.count)
                return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                    var header = msghdr()
                    header.msg_iov = vectorPointer
                    header.msg_iovlen = 1
                    header.msg_control = controlBytes.baseAddress
                    header.msg_controllen = controlBytes.count
                    var count: Int
                    repeat { count = recvmsg(socket, &header, Int32(MSG_CMSG_CLOEXEC)) } while count < 0 && errno == EINTR
                    guard count > 0, header.msg_controllen >= length(for: MemoryLayout<Int32>.size),
                        let base = controlBytes.baseAddress
                    else { return (count, nil) }
                    let message = base.assumingMemoryBound(to: cmsghdr.self)
                    guard message.pointee.cmsg_level == SOL_SOCKET, message.pointee.cmsg_type == Int32(SCM_RIGHTS) else {
                        return (count, nil)
                    }
                    return (count, (base + dataOffset).load(as: Int32.self))
                }
            }
        }
        guard count > 0 else { return nil }
        return Message(text: String(decoding: payload[..<count], as: UTF8.self), descriptor: descriptor)
    }

    // MARK: CMSG_ALIGN, CMSG_LEN, CMSG_SPACE (C macros Swift does not import)

    private static func align(_ size: Int) -> Int {
        let word = MemoryLayout<Int>.size
        return (size + word - 1) & ~(word - 1)
    }

    private static var dataOffset: Int { align(MemoryLayout<cmsghdr>.size) }

    private static func length(for data: Int) -> Int { dataOffset + data }

    private static func space(for data: Int) -> Int { dataOffset + align(data) }
}

import Glibc

/// Tells whether kubectl could listen on a local port, the way kubectl itself binds: 127.0.0.1 and ::1, each
/// with SO_REUSEADDR (as Go sets it). A port busy on either address is in use. Sockets are closed at once.
public struct LocalPortProbe: Sendable {
    /// What binding one port said.
    public enum Availability: Sendable, Equatable {
        case free
        case busy
        /// EACCES: below 1024 without the privilege to bind it.
        case needsPrivilege
    }

    public init() {}

    public func availability(of port: Int) -> Availability {
        guard PortSpec.validRange.contains(port) else { return .busy }
        let v4 = bind(port: port, ipv6: false)
        if v4 != .free { return v4 }
        return bind(port: port, ipv6: true)
    }

    /// The full answer for a port the person chose. `reserved` are ports kube9 already holds (a forward that is
    /// still connecting has not bound yet) and never suggested.
    public func check(_ port: Int, reserved: Set<Int> = []) -> LocalPortCheck {
        guard PortSpec.validRange.contains(port) else {
            return .invalid(message: port <= 0 ? (port == 0 ? Messages.portZero : Messages.portNegative) : Messages.portTooLarge)
        }
        if reserved.contains(port) { return unavailable(port, reserved: reserved) }
        switch availability(of: port) {
        case .free: return .available
        case .busy: return unavailable(port, reserved: reserved)
        case .needsPrivilege: return unavailable(port, needsPrivilege: true, reserved: reserved)
        }
    }

    /// The answer for a port already known to be busy (or, with `needsPrivilege`, privileged), say by a failed
    /// bind: only the suggestion is searched.
    public func unavailable(_ port: Int, needsPrivilege: Bool = false, reserved: Set<Int> = []) -> LocalPortCheck {
        needsPrivilege
            ? .privileged(suggestion: suggestion(above: max(port, 1023), reserved: reserved))
            : .inUse(suggestion: suggestion(above: port, reserved: reserved))
    }

    /// A free port the system picks from its ephemeral range (kubectl's random local port), free on both loopback
    /// addresses and not `reserved`; nil when none was found in a few tries.
    public func anyFree(reserved: Set<Int> = []) -> Int? {
        for _ in 0..<16 {
            guard let port = Self.ephemeralPort(), !reserved.contains(port), availability(of: port) == .free else { continue }
            return port
        }
        return nil
    }

    /// The port the system gives a socket bound to 127.0.0.1:0.
    private static func ephemeralPort() -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard bindLoopback(fd, port: 0, ipv6: false) == 0 else { return nil }
        return boundPort(fd)
    }

    /// The port `descriptor` (an IPv4 or IPv6 socket) is bound to, from getsockname(2); nil for another family.
    static func boundPort(_ descriptor: Int32) -> Int? {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { return nil }
        switch Int32(address.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            }
        case AF_INET6:
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
        default:
            return nil
        }
    }

    /// The next port upward (+1, +2, …) that is free and not reserved, skipping privileged ports we cannot bind;
    /// nil when none is.
    public func suggestion(above port: Int, reserved: Set<Int> = []) -> Int? {
        Self.firstFree(from: port + 1, reserved: reserved, availability: availability(of:))
    }

    /// The one search for a free port: `start`, then upward (+1, +2, …), the first port not `reserved` that
    /// `availability` calls free, jumping to 1024 at a privileged one; nil when none is up to 65535. The probe asks
    /// the system; a caller that must not (the port dialog, whose ports are checked afterwards) skips only its own.
    public static func firstFree(
        from start: Int, reserved: Set<Int>, availability: (Int) -> Availability = { _ in .free }
    ) -> Int? {
        var candidate = max(start, 1)
        while candidate <= 65535 {
            if !reserved.contains(candidate) {
                switch availability(candidate) {
                case .free: return candidate
                case .needsPrivilege: candidate = 1023
                case .busy: break
                }
            }
            candidate += 1
        }
        return nil
    }

    private func bind(port: Int, ipv6: Bool) -> Availability {
        let streamType = Int32(SOCK_STREAM.rawValue)
        let fd = socket(ipv6 ? AF_INET6 : AF_INET, streamType, 0)
        if fd < 0 {
            // No IPv6 on this machine: kubectl cannot bind ::1 either and only needs 127.0.0.1.
            return ipv6 ? .free : .busy
        }
        defer { close(fd) }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if ipv6 {
            _ = setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        let result = Self.bindLoopback(fd, port: port, ipv6: ipv6)
        if result == 0 { return .free }
        switch errno {
        case EACCES, EPERM: return .needsPrivilege
        case EADDRNOTAVAIL, EAFNOSUPPORT: return ipv6 ? .free : .busy
        default: return .busy
        }
    }

    /// `bind(2)` of `fd` to 127.0.0.1:`port` or [::1]:`port`.
    /// Public for the tests' `HeldPort`, which holds a port the way the probe binds it.
    public static func bindLoopback(_ fd: Int32, port: Int, ipv6: Bool) -> Int32 {
        if ipv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            address.sin6_addr = in6addr_loopback
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: in_addr_t(0x7F00_0001).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }
}

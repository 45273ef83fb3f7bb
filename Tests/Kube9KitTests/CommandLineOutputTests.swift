import Foundation
import Glibc
import Testing

@testable import Kube9Kit

/// How the `kube9` binary writes what argument-parser has to say (usage errors, help): each message in one write(2).
/// argument-parser's own `main` writes errors one byte per write (`putc` on unbuffered stderr), which another writer
/// on the same pipe can interleave with. stderr here is a SOCK_SEQPACKET socket, which keeps each write a message
/// of its own, so the writes can be counted.
struct CommandLineOutputTests {
    /// Runs the kube9 binary with `arguments`, stdout to /dev/null and stderr to a seqpacket socket; returns the
    /// messages written to stderr (one per write) and the exit status.
    static func stderrWrites(_ arguments: [String]) throws -> (writes: [String], status: Int32) {
        var ends: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0)
        defer { close(ends[0]) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, ends[1], 2)
        let binary = KubectlIntegration.ForwardCommandTests.kube9Binary
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, binary, &actions, nil, argv, environ)
        close(ends[1])
        try #require(spawned == 0)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        var writes: [String] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(ends[0], $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count <= 0 { break }
            writes.append(String(decoding: buffer[..<count], as: UTF8.self))
        }
        return (writes, (status >> 8) & 0xff)
    }

    @Test func aUsageErrorIsOneWriteWithTheWholeMessage() throws {
        let (writes, status) = try Self.stderrWrites(["forward", "pod/web-0", "18080:0"])
        #expect(status == 64)
        #expect(writes.count == 1, "\(writes.count) writes: \(writes.prefix(5))")
        #expect(writes.first?.hasPrefix("Error: Bad port mapping '18080:0': Port 0 is not allowed") == true)
        #expect(writes.first?.contains("Usage: kube9 forward") == true)
    }

    @Test func helpGoesToStdoutAndExitsZero() throws {
        let (writes, status) = try Self.stderrWrites(["forward", "--help"])
        #expect(status == 0 && writes.isEmpty)
    }
}

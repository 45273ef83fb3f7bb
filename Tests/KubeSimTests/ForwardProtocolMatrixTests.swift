import Foundation
import KubeSim
import Kube9TestSupport
import Testing

/// Real kubectl port-forwards over TLS through each path a cluster offers: the WebSocket tunnel (KEP-4006,
/// kubectl 1.31+ against a server that accepts it) and the SPDY/3.1 upgrade (older kubectl, or a server that
/// refuses the WebSocket attempt as one older than 1.30 does). The sim counts which upgrade each session took;
/// `-v=7` shows kubectl's side of the choice.
@Suite struct ForwardProtocolMatrixTests {
    static let bothProtocols = #"["websocket","spdy"]"#
    static let spdyOnly = #"["spdy"]"#

    static func scenario(minor: Int, protocols: String) -> String {
        #"""
        {"contexts":[{"name":"c\#(minor)","namespace":"apps","kubectlMinor":\#(minor),"portForwardProtocols":\#(protocols),
          "namespaces":[{"name":"apps","pods":[
            {"name":"echo-0","containers":[{"name":"echo","ports":[{"containerPort":7000}]}]}]}]}]}
        """#
    }

    @Test(arguments: [27, 30, 31, 33], [bothProtocols, spdyOnly])
    func dispatcherForwardsOverTheExpectedProtocol(minor: Int, protocols: String) async throws {
        let webSocketExpected = minor >= 31 && protocols == Self.bothProtocols
        try await Self.forwardCarriesBytes(
            scenarioJSON: Self.scenario(minor: minor, protocols: protocols), context: "c\(minor)",
            kubectl: KubectlBinaries.dispatcher, expectWebSocket: webSocketExpected,
            expectFallback: minor >= 31 && protocols == Self.spdyOnly)
    }

    @Test(arguments: [bothProtocols, spdyOnly])
    func kubectl137ForwardsOverTheExpectedProtocol(protocols: String) async throws {
        try await Self.forwardCarriesBytes(
            scenarioJSON: Self.scenario(minor: 33, protocols: protocols), context: "c33", kubectl: try KubectlBinaries.v137(),
            expectWebSocket: protocols == Self.bothProtocols, expectFallback: protocols == Self.spdyOnly)
    }

    /// Debian's kubectl 1.20 knows only SPDY: it never tries the WebSocket upgrade, over TLS it forwards as before.
    @Test(arguments: [bothProtocols, spdyOnly])
    func debianKubectl120ForwardsOverSPDY(protocols: String) async throws {
        try await Self.forwardCarriesBytes(
            scenarioJSON: Self.scenario(minor: 32, protocols: protocols), context: "c32", kubectl: try KubectlBinaries.debian120(),
            expectWebSocket: false, expectFallback: false)
    }

    /// Whatever `kubectl` is first on PATH: one session, over a protocol the server offers, carrying the bytes.
    @Test(arguments: [bothProtocols, spdyOnly])
    func kubectlOnPathForwards(protocols: String) async throws {
        try await SimHarness.with(scenarioJSON: Self.scenario(minor: 32, protocols: protocols)) { sim in
            let (_, port) = try await sim.startPortForward("pod/echo-0", remotePort: 7000, kubectl: try KubectlBinaries.onPath())
            let payload = SplitMix.payload(size: 256 * 1024, seed: 3)
            #expect(try await tcpRoundTrip(port: port, sending: payload, timeout: .seconds(30)) == payload)
            let upgrades = sim.server.portForwardUpgrades(context: "c32")
            #expect(upgrades.values.reduce(0, +) == 1, "\(upgrades)")
            if protocols == Self.spdyOnly { #expect(upgrades[.websocket] == nil, "\(upgrades)") }
        }
    }

    static func forwardCarriesBytes(
        scenarioJSON: String, context: String, kubectl: String, expectWebSocket: Bool, expectFallback: Bool
    ) async throws {
        try await SimHarness.with(scenarioJSON: scenarioJSON) { sim in
            let (forward, port) = try await sim.startPortForward("pod/echo-0", remotePort: 7000, kubectl: kubectl, extraArgs: ["-v=7"])
            let answer = try await httpGet(port: port, timeout: .seconds(20))
            #expect(answer.body == "kube9-sim \(context)/apps/echo-0:7000\n")
            let payload = SplitMix.payload(size: 1024 * 1024, seed: 7)
            #expect(try await tcpRoundTrip(port: port, sending: payload, timeout: .seconds(60)) == payload)

            let upgrades = sim.server.portForwardUpgrades(context: context)
            if expectWebSocket {
                #expect(upgrades == [.websocket: 1], "\(upgrades)")
            } else {
                #expect(upgrades == [.spdy: 1], "\(upgrades)")
            }
            let log = forward.stderr
            #expect(log.contains("fallback to secondary dialer") == expectFallback, "\(log.suffix(3000))")
            if expectFallback {
                // 1.31-1.32 name the status, 1.33+ the Status message of the 400.
                #expect(
                    log.contains("websocket: bad handshake (400 Bad Request)")
                        || log.contains("unable to upgrade streaming request: WebSocket upgrade of pods/portforward is not supported"),
                    "\(log.suffix(3000))")
            }
            forward.interrupt()
            let result = try await forward.waitForExit(timeout: .seconds(10))
            #expect(result.status == 0, "\(result.stderr.suffix(2000))")
        }
    }
}

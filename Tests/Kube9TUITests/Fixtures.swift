import Foundation
import Kube9Kit
@testable import Kube9TUI

/// Building states for tests: a small cluster, key sequences, events.
enum Fixtures {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    static let contexts = [
        KubeContext(name: "dev", namespace: "default", isCurrent: true),
        KubeContext(name: "prod", namespace: "shop"),
    ]

    static let namespaces = [KubeNamespace(name: "default"), KubeNamespace(name: "kube-system")]

    static func pod(_ name: String, _ phase: PodPhase = .running, ports: [ContainerPort] = [ContainerPort(containerPort: 80, name: "http")],
                    containers: Int = 1, ready: Int? = nil) -> Pod {
        let readyCount = ready ?? (phase == .running ? containers : 0)
        let list = (0..<containers).map { index in
            Container(name: index == 0 ? "main" : "sidecar\(index)", ports: index == 0 ? ports : [ContainerPort(containerPort: 9000 + index, name: "side")],
                      ready: index < readyCount)
        }
        return Pod(name: name, namespace: "default", phase: phase, containers: list)
    }

    static let pods = [
        pod("web-0", ports: [ContainerPort(containerPort: 80, name: "http"), ContainerPort(containerPort: 9090, name: "metrics")]),
        pod("queue-0", .pending),
        pod("job-1", .succeeded),
        pod("job-2", .failed),
        pod("ghost", .unknown),
    ]

    static let services = [
        KubeService(name: "web", namespace: "default", ports: [
            ServicePort(name: "http", port: 80, targetPort: .name("http")), ServicePort(name: "metrics", port: 9090)]),
        KubeService(name: "db", namespace: "default", type: "NodePort", ports: [ServicePort(port: 5432)]),
    ]

    static func saved(_ name: String = "web-0", local: Int = 8080, remote: Int = 80, kind: ForwardTargetKind = .pod,
                      address: String = "localhost") -> SavedForward {
        SavedForward(context: "dev", namespace: "default", kind: kind, name: name, localPort: local, remotePort: remote, address: address)
    }

    static func forward(_ pod: String = "web-0", local: Int = 8080, remote: Int = 80, context: String = "dev",
                        namespace: String = "default", status: ForwardStatus = .connected, age: TimeInterval = 332,
                        kind: ForwardTargetKind = .pod, address: String = "localhost", heals: Bool = true,
                        attempt: Int = 0, connections: Int = 0, lastConnectionAge: TimeInterval? = nil) -> ForwardRecord {
        ForwardRecord(id: "\(context)/\(namespace)/\(pod)/\(local)",
                      target: ForwardTarget(context: context, namespace: namespace, kind: kind, name: pod),
                      localPort: local, remotePort: remote, processId: 42, status: status, startTime: start.addingTimeInterval(-age),
                      address: address, heals: heals, reconnectAttempt: attempt, connectionCount: connections,
                      lastConnectionTime: lastConnectionAge.map { start.addingTimeInterval(-$0) })
    }

    static func state(width: Int = 80, height: Int = 24, unicode: Bool = true) -> AppState {
        AppState(size: TerminalSize(width: width, height: height), capabilities: TerminalCapabilities(unicode: unicode, colors: true),
                 now: start, kubeconfigLabel: "~/.kube/config")
    }

    /// A state with contexts loaded, `dev` and its `default` namespace expanded with `pods`.
    static func loaded(width: Int = 80, height: Int = 24, unicode: Bool = true, pods: [Pod] = Fixtures.pods,
                       forwards: [ForwardRecord] = []) -> AppState {
        var s = state(width: width, height: height, unicode: unicode)
        s = apply(s, .contextsLoaded(.success(contexts)), .forwardsRefreshed(forwards, asOf: 0))
        s = apply(s, .key(.down), .key(.right), .namespacesLoaded(context: "dev", .success(namespaces)))
        s = apply(s, .key(.down), .key(.right), .podsLoaded(context: "dev", namespace: "default", .success(pods)))
        return s
    }

    static func apply(_ state: AppState, _ events: AppEvent...) -> AppState {
        run(state, events).0
    }

    static func run(_ state: AppState, _ events: [AppEvent]) -> (AppState, [Effect]) {
        var current = state
        var all: [Effect] = []
        for event in events {
            let (next, effects) = AppUpdate.update(current, event)
            current = next
            all += effects
        }
        return (current, all)
    }

    static func press(_ state: AppState, _ keys: Key...) -> (AppState, [Effect]) {
        run(state, keys.map(AppEvent.key))
    }

    static func type(_ text: String) -> [AppEvent] {
        text.map { AppEvent.key(.character($0)) }
    }

    /// The events posted to `inbox` until there are `count` (or 20 s have passed). Awaits, not blocks: effects run
    /// on the same cooperative pool as the test.
    static func events(from inbox: EventInbox, count: Int) async throws -> [AppEvent] {
        var events: [AppEvent] = []
        let deadline = Date().addingTimeInterval(20)
        while events.count < count, Date() < deadline {
            try await Task.sleep(for: .milliseconds(10))
            _ = inbox.drainWakeups()
            events += inbox.drain()
        }
        return events
    }

    static func lines(_ state: AppState) -> [String] {
        ScreenView.render(state).lines()
    }
}

import Foundation
import Kube9Kit

/// What `make bench` checks before it measures anything: the release kube9 does the everyday things without
/// crashing. The tests run the debug build; Swift 6.3.1 once compiled the release `startForwards` into a trap
/// (`kube9 forward pod/X A:R B:R` died with SIGILL), which only a release binary shows.
struct ReleaseSmoke {
    let cluster: BenchCluster
    let kube9Binary: String

    /// The failures, empty when every check passed.
    func run() -> [String] {
        var failures: [String] = []
        let pod = BenchCluster.webPods[0]
        let ports = [FreePort.next(), FreePort.next()]
        do {
            let forward = try ChildProcess(
                argv: [kube9Binary, "forward", "--kubeconfig", cluster.kubeconfig, "--kubectl", BenchCluster.kubectl,
                       "-n", BenchCluster.forwardNamespace, "pod/\(pod)"] + ports.map { "\($0):\(BenchCluster.webPort)" },
                environment: cluster.environment)
            if !forward.waitFor("Port forward established: localhost:\(ports[1])") {
                failures.append("kube9 forward with two mappings of one pod: \(forward.printed)")
            }
            forward.stop(signal: SIGINT)
            if forward.process.terminationReason != .exit || forward.process.terminationStatus != 0 {
                failures.append("kube9 forward did not exit 0 on SIGINT (\(Self.describe(forward.process)))")
            }
        } catch {
            failures.append("kube9 forward did not start: \(error)")
        }
        do {
            var environment = cluster.environment
            environment["XDG_CONFIG_HOME"] = cluster.directory + "/config-smoke"
            environment["XDG_STATE_HOME"] = cluster.directory + "/state-smoke"
            let saved = [FreePort.next(), FreePort.next()].map { SavedForward(cluster.request(pod: pod, localPort: $0)) }
            try SavedForwardStore(environment: environment).save(saved)
            let up = try ChildProcess(
                argv: [kube9Binary, "up", "--kubeconfig", cluster.kubeconfig, "--kubectl", BenchCluster.kubectl],
                environment: environment)
            if !up.waitFor("2 forward(s) active") { failures.append("kube9 up with two saved forwards: \(up.printed)") }
            up.stop(signal: SIGINT)
            if up.process.terminationReason != .exit || up.process.terminationStatus != 0 {
                failures.append("kube9 up did not exit 0 on SIGINT (\(Self.describe(up.process)))")
            }
        } catch {
            failures.append("kube9 up did not start: \(error)")
        }
        return failures
    }

    private static func describe(_ process: Process) -> String {
        process.terminationReason == .uncaughtSignal ? "signal \(process.terminationStatus)" : "exit \(process.terminationStatus)"
    }
}

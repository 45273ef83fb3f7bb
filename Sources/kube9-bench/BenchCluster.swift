import Foundation
import Kube9Kit
import KubeSim

/// kube9-sim in-process with the bench's scenario, a fresh HOME and kubeconfig in a temporary directory.
struct BenchCluster: Sendable {
    static let context = "bench-ctx"
    static let bigNamespace = "big"
    static let forwardNamespace = "fw"
    static let bigPodCount = 5000
    static let webPods = (0..<5).map { "web-\($0)" }
    static let webPort = 80
    static let kubectl = "/usr/bin/kubectl"

    let server: KubeSimServer
    let directory: String
    let home: String
    let kubeconfig: String

    static func start() async throws -> BenchCluster {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kube9-bench-\(UUID().uuidString.prefix(8))").path
        let home = directory + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let kubeconfig = directory + "/kubeconfig"
        let server = try await KubeSimServer.start(scenario: scenario, kubeconfigPath: kubeconfig)
        return BenchCluster(server: server, directory: directory, home: home, kubeconfig: kubeconfig)
    }

    static var scenario: Scenario {
        let bigPods = (0..<bigPodCount).map { index in
            ScenarioPod(name: String(format: "api-%05d", index), labels: ["app": "api"],
                        containers: [ScenarioContainer(name: "api", image: "api:1.0")])
        }
        let webPods = webPods.map { name in
            ScenarioPod(name: name, labels: ["app": "web"], containers: [ScenarioContainer(
                name: "nginx", image: "nginx:1.27", ports: [ScenarioPort(containerPort: webPort, name: "http")])])
        }
        return Scenario(contexts: [ScenarioContext(name: context, namespace: forwardNamespace, namespaces: [
            ScenarioNamespace(name: bigNamespace, pods: bigPods),
            ScenarioNamespace(name: forwardNamespace, pods: webPods),
        ])])
    }

    /// HOME, KUBECONFIG and PATH only: never the user's clusters.
    var environment: [String: String] {
        ["HOME": home, "KUBECONFIG": kubeconfig, "PATH": "/usr/local/bin:/usr/bin:/bin", "TERM": "xterm-256color",
         "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "XDG_STATE_HOME": directory + "/state",
         "XDG_CONFIG_HOME": directory + "/config"]
    }

    var configuration: KubectlConfiguration {
        KubectlConfiguration(kubectlPath: Self.kubectl, kubeconfig: kubeconfig, environment: ["HOME": home])
    }

    /// `kubectl --kubeconfig K ARGS` as argv.
    func kubectlArgv(_ args: [String]) -> [String] {
        [Self.kubectl, "--kubeconfig", kubeconfig] + args
    }

    /// The same argv kube9's manager gives kubectl for a pod forward.
    func portForwardArgv(pod: String, localPort: Int) -> [String] {
        kubectlArgv(["port-forward", "pod/\(pod)", "\(localPort):\(Self.webPort)", "-n", Self.forwardNamespace,
                     "--context", Self.context, "--address", "localhost"])
    }

    func request(pod: String, localPort: Int) -> ForwardRequest {
        ForwardRequest(context: Self.context, namespace: Self.forwardNamespace, name: pod, localPort: localPort,
                       remotePort: Self.webPort)
    }

    func shutdown() async {
        await server.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

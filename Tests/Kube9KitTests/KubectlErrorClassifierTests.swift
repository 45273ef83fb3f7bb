import Testing

@testable import Kube9Kit

@Suite struct KubectlErrorClassifierTests {
    let forward = KubectlErrorClassifier.Purpose.portForward(ForwardTarget(context: "dev", namespace: "locked", name: "web-0"), localPort: 8080)

    @Test func forbiddenPortForwardIsThePermissionMessage() {
        let stderr = """
            error: error upgrading connection: pods "web-0" is forbidden: User "dev" cannot create resource \
            "pods/portforward" in API group "" in the namespace "locked"
            """
        #expect(
            KubectlErrorClassifier.classify(stderr: stderr, purpose: forward)
                == KubeError(.forbidden, "Permission denied. You need pods/portforward permission in namespace 'locked'."))
    }

    @Test(arguments: [
        "E0101 00:00:00.000 memcache.go:265] couldn't get current server API group list: Get \"http://127.0.0.1:1/api\": dial tcp 127.0.0.1:1: connect: connection refused\nThe connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?",
        "Unable to connect to the server: dial tcp 10.0.0.1:443: i/o timeout",
        "Unable to connect to the server: dial tcp 10.0.0.1:443: connect: no route to host",
    ])
    func unreachableIsTheConnectivityMessage(_ stderr: String) {
        #expect(
            KubectlErrorClassifier.classify(stderr: stderr, purpose: forward)
                == KubeError(.unreachable, "Connection failed: Unable to reach pod. Check cluster connectivity."))
        #expect(KubectlErrorClassifier.classify(stderr: stderr, purpose: .read).kind == .unreachable)
    }

    /// A broken aggregated API (metrics-server down) makes kubectl's discovery warn on every call: its words are not
    /// the cluster being out of reach, nor the call's failure.
    @Test func aDiscoveryWarningAboutOneAPIGroupIsNotConnectivity() {
        let warning = #"E1201 10:00:00.000000   4242 memcache.go:287] couldn't get resource list for metrics.k8s.io/v1beta1: Get "https://10.96.0.1:443/apis/metrics.k8s.io/v1beta1": dial tcp 10.96.0.1:443: i/o timeout"#
        let lost = "error: lost connection to pod"
        #expect(KubectlErrorClassifier.classify(stderr: warning + "\n" + lost, purpose: forward) == KubeError(.other, lost))
        let notFound = "Error from server (NotFound): pods \"ghost\" not found"
        #expect(KubectlErrorClassifier.classify(stderr: warning + "\n" + notFound, purpose: .read) == KubeError(.notFound, notFound))
    }

    @Test func podNotRunningNamesThePhase() {
        let stderr = "error: unable to forward port because pod is not running. Current status=Pending"
        #expect(
            KubectlErrorClassifier.classify(stderr: stderr, purpose: forward)
                == KubeError(.podNotRunning, "Cannot port forward: Pod 'web-0' is not in Running state (current: Pending)"))
        // kubectl names no pod for a service or a workload: the message names what was asked for.
        let deployment = KubectlErrorClassifier.Purpose.portForward(ForwardTarget(context: "dev", namespace: "shop", kind: .deployment, name: "web"), localPort: 18080)
        #expect(
            KubectlErrorClassifier.classify(stderr: stderr, purpose: deployment)
                == KubeError(.podNotRunning, "Cannot port forward: the pod behind deploy/web is not in Running state (current: Pending)"))
        #expect(
            KubectlErrorClassifier.classify(stderr: "error: timed out waiting for the condition", purpose: deployment)
                == KubeError(.podNotRunning, "Cannot port forward: no running pod behind deploy/web"))
        let refused = "E1130 12:00:00.000 portforward.go:424] an error occurred forwarding 18080 -> 80: error forwarding port 80 to pod 4f2, uid : failed to execute portforward in network namespace \"/var/run/netns/cni\": failed to connect to localhost:80 inside namespace \"4f2\", IPv4: dial tcp4 127.0.0.1:80: connect: connection refused IPv6 dial tcp6 [::1]:80: connect: connection refused"
        let service = KubectlErrorClassifier.Purpose.portForward(ForwardTarget(context: "dev", namespace: "shop", kind: .service, name: "api"), localPort: 18080)
        #expect(
            KubectlErrorClassifier.classify(stderr: refused, purpose: service)
                == KubeError(.nothingListens, "Nothing listens on port 80 in the pod behind service shop/api"))
    }

    @Test func notFoundKeepsKubectlsLine() {
        let stderr = "Error from server (NotFound): pods \"ghost\" not found"
        #expect(KubectlErrorClassifier.classify(stderr: stderr, purpose: forward) == KubeError(.notFound, stderr))
        #expect(KubectlErrorClassifier.classify(stderr: stderr, purpose: .read) == KubeError(.notFound, stderr))
    }

    @Test func busyLocalPortIsPortInUse() {
        let stderr = """
            Unable to listen on port 8080: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:8080: bind: address already in use]
            error: unable to listen on any of the requested ports: [{8080 80}]
            """
        let error = KubectlErrorClassifier.classify(stderr: stderr, purpose: forward)
        #expect(error.kind == .portInUse)
        #expect(error.message.hasPrefix("Port 8080 is already in use."))
    }

    @Test func anythingElseIsKubectlsOwnLastErrorLine() {
        let stderr = """
            an error occurred forwarding 8080 -> 80: error forwarding port 80 to pod abc: connection refused inside
            error: lost connection to pod
            """
        #expect(
            KubectlErrorClassifier.classify(stderr: "some warning\nerror: context \"x\" does not exist", purpose: forward)
                == KubeError(.other, "error: context \"x\" does not exist"))
        #expect(KubectlErrorClassifier.classify(stderr: "W0101 something odd\n", purpose: .read) == KubeError(.other, "W0101 something odd"))
        #expect(KubectlErrorClassifier.classify(stderr: stderr, purpose: .read).kind == .unreachable)
    }

    @Test func neverEmpty() {
        let error = KubectlErrorClassifier.classify(stderr: "  \n\n", exitDescription: "exit 2", purpose: forward)
        #expect(error == KubeError(.other, "kubectl failed (exit 2) without an error message"))
    }

    @Test func requestTimeoutIsTimedOut() {
        let stderr = "Unable to connect to the server: net/http: request canceled (Client.Timeout exceeded while awaiting headers)"
        #expect(KubectlErrorClassifier.classify(stderr: stderr, purpose: .read).kind == .timedOut)
        #expect(
            KubectlErrorClassifier.classify(stderr: stderr, purpose: forward)
                == KubeError(.timedOut, "Port forward connection timed out. Check pod logs and try again."))
    }
}

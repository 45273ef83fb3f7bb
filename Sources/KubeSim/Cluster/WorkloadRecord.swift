import Foundation

/// A Deployment, StatefulSet, ReplicaSet or DaemonSet as the sim serves it (apps/v1), with its JSON rendered once:
/// the selector kubectl resolves to a pod, a template with the first selected pod's labels and containers, and
/// replica counts of the pods it selects when the sim started.
struct WorkloadRecord: Sendable {
    var workload: ScenarioWorkload
    var namespace: String
    var uid: String
    var creationTimestamp: Date
    var resourceVersion: Int
    private(set) var json: [UInt8] = []
    private(set) var metadataJSON: [UInt8] = []
    /// The pods it selected, and how many of them run, when it was rendered.
    private(set) var replicas = 0
    private(set) var readyReplicas = 0

    private struct Body: Encodable {
        var kind: String
        var apiVersion = "apps/v1"
        var metadata: KubeObjects.ObjectMeta
        var spec: Spec
        var status: Status
    }

    private struct Spec: Encodable {
        var replicas: Int?
        var selector: Selector
        var serviceName: String?
        var template: Template
    }

    private struct Selector: Encodable { var matchLabels: [String: String] }

    private struct Template: Encodable {
        var metadata: TemplateMetadata
        var spec: TemplateSpec
    }

    private struct TemplateMetadata: Encodable { var labels: [String: String] }

    private struct TemplateSpec: Encodable {
        var containers: [KubeObjects.Container]
        var restartPolicy = "Always"
    }

    private struct Status: Encodable {
        var replicas: Int?
        var readyReplicas: Int?
        var availableReplicas: Int?
        var currentNumberScheduled: Int?
        var desiredNumberScheduled: Int?
        var numberReady: Int?
        var observedGeneration = 1
    }

    /// Renders the object with `pods`, the namespace's pods it selects.
    mutating func render(pods: [PodRecord], encoder: JSONEncoder) {
        let metadata = KubeObjects.ObjectMeta(
            name: workload.name, namespace: namespace, uid: uid, resourceVersion: String(resourceVersion),
            creationTimestamp: KubeObjects.timestamp(creationTimestamp))
        let containers = (pods.first?.containers ?? []).map(KubeObjects.Container.init)
        let ready = pods.filter(\.isRunning).count
        replicas = pods.count
        readyReplicas = ready
        let isDaemonSet = workload.kind == "DaemonSet"
        let body = Body(
            kind: workload.kind, metadata: metadata,
            spec: Spec(
                replicas: isDaemonSet ? nil : pods.count, selector: Selector(matchLabels: workload.selector),
                serviceName: workload.kind == "StatefulSet" ? workload.name : nil,
                template: Template(
                    metadata: TemplateMetadata(labels: pods.first?.labels ?? workload.selector),
                    spec: TemplateSpec(containers: containers))),
            status: isDaemonSet
                ? Status(currentNumberScheduled: pods.count, desiredNumberScheduled: pods.count, numberReady: ready)
                : Status(replicas: pods.count, readyReplicas: ready, availableReplicas: ready))
        json = (try? Array(encoder.encode(body))) ?? []
        metadataJSON = (try? Array(encoder.encode(metadata))) ?? []
    }

    /// Whether `labels` (a pod's) carry every label of the selector.
    func selects(_ labels: [String: String]) -> Bool {
        workload.selector.allSatisfy { labels[$0.key] == $0.value }
    }
}

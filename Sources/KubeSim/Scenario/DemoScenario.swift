extension Scenario {
    /// The built-in demo cluster: two reachable contexts and one unreachable, several namespaces, pods of every
    /// kind kube9 has to show (multi-container, multi-port, a native sidecar, Pending, Succeeded, Failed, no ports,
    /// replaced on delete), the Deployments and StatefulSets that own them, and a namespace that forbids port-forward.
    public static let demo = Scenario(contexts: [
        ScenarioContext(
            name: "kind-dev", namespace: "default",
            namespaces: [
                ScenarioNamespace(name: "default", pods: [
                    pod("web-0", labels: ["app": "web"], container("nginx", "nginx:1.27", port(80, "http"))),
                    pod("web-1", labels: ["app": "web"], container("nginx", "nginx:1.27", port(80, "http"))),
                    ScenarioPod(
                        name: "api-7d9f8b6c5-x2k4p", labels: ["app": "api", "pod-template-hash": "7d9f8b6c5"],
                        replaceOnDelete: true,
                        containers: [container("api", "ghcr.io/example/api:2.4.1", port(8080, "http"), port(9090, "metrics"))]),
                    pod(
                        "frontend-6b7c9d8f5-m4n2p", labels: ["app": "frontend"],
                        container("app", "node:22-alpine", port(3000, "http")),
                        container("envoy", "envoyproxy/envoy:v1.31", port(15000, "admin"), port(15001, "proxy"))),
                    pod("queue-consumer-0", phase: "Pending", labels: ["app": "queue-consumer"],
                        container("consumer", "ghcr.io/example/consumer:1.0", port(8081, "health"))),
                ], services: [
                    service("web", ["app": "web"], ScenarioServicePort(name: "http", port: 80, targetPort: .name("http"))),
                    service("api", ["app": "api"],
                            ScenarioServicePort(name: "http", port: 80, targetPort: .number(8080)),
                            ScenarioServicePort(name: "metrics", port: 9090, targetPort: .name("metrics"))),
                ], workloads: [
                    workload("StatefulSet", "web", ["app": "web"]), workload("Deployment", "api", ["app": "api"]),
                    workload("Deployment", "frontend", ["app": "frontend"]),
                    workload("Deployment", "queue-consumer", ["app": "queue-consumer"]),
                ]),
                ScenarioNamespace(name: "data", pods: [
                    pod("postgres-0", labels: ["app": "postgres"], container("postgres", "postgres:16", port(5432, "postgres"))),
                    pod("redis-0", labels: ["app": "redis"], container("redis", "redis:7", port(6379, "redis"))),
                ], services: [
                    service("postgres", ["app": "postgres"], ScenarioServicePort(name: "postgres", port: 5432)),
                ], workloads: [
                    workload("StatefulSet", "postgres", ["app": "postgres"]), workload("StatefulSet", "redis", ["app": "redis"]),
                ]),
                ScenarioNamespace(name: "monitoring", pods: [
                    pod("prometheus-0", labels: ["app": "prometheus"],
                        container("prometheus", "prom/prometheus:v2.54", port(9090, "web"))),
                    pod("grafana-5c8d7f9b4-q7wz2", labels: ["app": "grafana"],
                        container("grafana", "grafana/grafana:11.2", port(3000, "http"))),
                ], services: [
                    service("grafana", ["app": "grafana"], ScenarioServicePort(name: "http", port: 80, targetPort: .number(3000))),
                ], workloads: [
                    workload("StatefulSet", "prometheus", ["app": "prometheus"]),
                    workload("Deployment", "grafana", ["app": "grafana"]),
                ]),
                ScenarioNamespace(name: "jobs", pods: [
                    pod("db-migrate-28734561-k8sdf", phase: "Succeeded", labels: ["job-name": "db-migrate-28734561"],
                        container("migrate", "ghcr.io/example/migrate:1.3")),
                    pod("backup-28734562-r2x9v", phase: "Failed", labels: ["job-name": "backup-28734562"],
                        container("backup", "ghcr.io/example/backup:0.9")),
                    pod("batch-worker-0", labels: ["app": "batch-worker"],
                        container("worker", "ghcr.io/example/worker:3.1")),
                ]),
            ]),
        ScenarioContext(
            name: "staging", namespace: "shop",
            namespaces: [
                ScenarioNamespace(name: "shop", pods: [
                    pod("cart-0", labels: ["app": "cart"], container("cart", "ghcr.io/example/cart:5.0", port(8080, "http"))),
                    ScenarioPod(
                        name: "checkout-5f6d7c8b9-t3w8k", labels: ["app": "checkout", "pod-template-hash": "5f6d7c8b9"],
                        replaceOnDelete: true,
                        containers: [container("checkout", "ghcr.io/example/checkout:1.8", port(8080, "http"), port(8443, "https"))],
                        initContainers: [
                            container("migrate-schema", "ghcr.io/example/checkout-migrate:1.8"),
                            ScenarioContainer(
                                name: "linkerd-proxy", image: "cr.l5d.io/linkerd/proxy:edge-24.11.8",
                                ports: [port(4191, "linkerd-admin")], restartPolicy: "Always"),
                        ]),
                ], services: [
                    service("checkout", ["app": "checkout"],
                            ScenarioServicePort(name: "http", port: 80, targetPort: .name("http")),
                            ScenarioServicePort(name: "https", port: 443, targetPort: .number(8443))),
                ], workloads: [
                    workload("StatefulSet", "cart", ["app": "cart"]), workload("Deployment", "checkout", ["app": "checkout"]),
                ]),
                ScenarioNamespace(name: "vault", forbidPortForward: true, pods: [
                    pod("vault-0", labels: ["app": "vault"], container("vault", "hashicorp/vault:1.17", port(8200, "api"))),
                ]),
                ScenarioNamespace(name: "kube-system", pods: [
                    pod("coredns-76f75df574-8xk2l", labels: ["k8s-app": "kube-dns"],
                        container("coredns", "registry.k8s.io/coredns/coredns:v1.11.1",
                                  ScenarioPort(containerPort: 53, name: "dns", protocol: "UDP"),
                                  ScenarioPort(containerPort: 53, name: "dns-tcp", protocol: "TCP"),
                                  port(9153, "metrics"))),
                ]),
            ]),
        ScenarioContext(
            name: "prod-eu", namespace: "default", unreachable: true,
            namespaces: [
                ScenarioNamespace(name: "default", pods: [
                    pod("web-0", labels: ["app": "web"], container("nginx", "nginx:1.27", port(80, "http"))),
                ]),
            ]),
    ])

    private static func pod(
        _ name: String, phase: String = "Running", labels: [String: String], _ containers: ScenarioContainer...
    ) -> ScenarioPod {
        ScenarioPod(name: name, phase: phase, labels: labels, containers: containers)
    }

    private static func service(_ name: String, _ selector: [String: String], _ ports: ScenarioServicePort...) -> ScenarioService {
        ScenarioService(name: name, selector: selector, ports: ports)
    }

    private static func workload(_ kind: String, _ name: String, _ selector: [String: String]) -> ScenarioWorkload {
        ScenarioWorkload(kind: kind, name: name, selector: selector)
    }

    private static func container(_ name: String, _ image: String, _ ports: ScenarioPort...) -> ScenarioContainer {
        ScenarioContainer(name: name, image: image, ports: ports)
    }

    private static func port(_ number: Int, _ name: String) -> ScenarioPort {
        ScenarioPort(containerPort: number, name: name)
    }
}

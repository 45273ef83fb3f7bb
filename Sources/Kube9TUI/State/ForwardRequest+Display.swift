import Kube9Kit

extension ForwardRequest {
    /// `web-0` for a pod, `svc/web` for a service: what the progress and success messages name.
    public var displayTarget: String { kind == .service ? "svc/\(podName)" : podName }
}

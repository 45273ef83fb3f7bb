/// The version of kube9-sim, reported by `kube9-sim --version`.
public enum KubeSimVersion { public static let string = "0.1.0" }

public enum KubeSimVersion { public static let string = "0.1.0" }

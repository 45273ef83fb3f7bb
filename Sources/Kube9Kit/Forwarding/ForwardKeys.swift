/// Keys of the manager's per-namespace watches and of pods seen deleted.
struct NamespaceKey: Hashable, Sendable {
    var context: String
    var namespace: String
}

struct PodKey: Hashable, Sendable {
    var context: String
    var namespace: String
    var name: String
}

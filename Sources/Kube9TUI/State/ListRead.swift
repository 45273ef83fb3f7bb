/// One list read, as the effect runner tracks it in flight (so it can be given up): a node's children, or one of
/// the finder's lists of a whole context.
public enum ListRead: Sendable, Hashable {
    case namespaces(context: String)
    case pods(NamespaceKey)
    case services(NamespaceKey)
    /// The finder's every pod of a context.
    case allPods(context: String)
    /// The finder's every service of a context.
    case allServices(context: String)
}

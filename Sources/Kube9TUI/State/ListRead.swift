/// One list read of a node's children, as the effect runner tracks it in flight (so Esc can give it up).
public enum ListRead: Sendable, Hashable {
    case namespaces(context: String)
    case pods(NamespaceKey)
    case services(NamespaceKey)
}

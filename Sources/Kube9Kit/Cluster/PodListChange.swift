/// One change of a namespace's pods, as its watch reports it: to the manager's forwards (deleted pods,
/// replacements) and to the UI's open pod lists.
public enum PodListChange: Sendable, Equatable {
    /// Every pod of the namespace (when the watch starts, and again after each restart): it replaces what was known.
    case listed([Pod])
    case added(Pod)
    /// A pod changed (its phase, its readiness, a deletion under way): how a replacement becomes Running.
    case modified(Pod)
    case deleted(Pod)
}

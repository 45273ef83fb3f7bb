import Synchronization

/// The forwards a control request (`kube9 stop`) stopped in this process: what a headless command tells apart from
/// forwards that ended on their own.
public final class StoppedForwardIDs: Sendable {
    private let ids = Mutex<Set<String>>([])

    public init() {}

    public func insert(_ id: String) { ids.withLock { _ = $0.insert(id) } }
    public func contains(_ id: String) -> Bool { ids.withLock { $0.contains(id) } }
}

extension ControlActions {
    /// The same actions, noting in `stopped` every forward they stop.
    public func recordingStops(in stopped: StoppedForwardIDs) -> ControlActions {
        var actions = self
        let stopForward = stop
        actions.stop = { id in
            stopped.insert(id)
            return await stopForward(id)
        }
        return actions
    }
}

import NIOPosix

extension PortForwardManager {
    /// Starts, in the background, what the first forward needs before its kubectl can be spawned: the guardian (a
    /// spawn of its own) and NIO's event loops (the listener's threads). A command about to start forwards calls it
    /// first, so that both are ready when kubectl is spawned instead of being started one after the other in front
    /// of it while the command reads the kubeconfig and checks its ports.
    public nonisolated static func prepareForForwards() {
        Task.detached {
            _ = MultiThreadedEventLoopGroup.singleton
            await ProcessGuardian.shared.ensureRunning()
        }
    }
}

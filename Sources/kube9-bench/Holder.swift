import Foundation
import Kube9Kit

/// `kube9-bench hold --kubeconfig K`: a stand-in for `kube9 up` (used only while the kube9 binary has no `up`):
/// the manager in-process starts every saved forward of `$XDG_CONFIG_HOME/kube9/forwards.json`, prints
/// `kube9 up: N forward(s) active` and holds until SIGINT/SIGTERM, then stops them all.
enum Holder {
    static func run(arguments: [String]) async -> Int32 {
        guard let index = arguments.firstIndex(of: "--kubeconfig"), index + 1 < arguments.count else {
            FileHandle.standardError.write(Data("usage: kube9-bench hold --kubeconfig PATH\n".utf8))
            return 64
        }
        let environment = ProcessInfo.processInfo.environment
        let saved = SavedForwardStore(environment: environment).load().forwards
        let manager = PortForwardManager(configuration: KubectlConfiguration(
            kubectlPath: BenchCluster.kubectl, kubeconfig: arguments[index + 1]))
        var start = 0
        while start < saved.count {
            let batch = saved[start..<min(start + 10, saved.count)]
            await withTaskGroup(of: Void.self) { group in
                for forward in batch {
                    group.addTask { _ = try? await manager.startForward(forward.request()) }
                }
            }
            start += 10
        }
        let active = await manager.activeCount()
        FileHandle.standardOutput.write(Data("kube9 up: \(active) forward(s) active\n".utf8))
        await waitForTerminationSignal()
        await manager.stopAllForwards()
        return 0
    }

    private static func waitForTerminationSignal() async {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let stream = AsyncStream<Void> { continuation in
            let sources = [SIGINT, SIGTERM].map { number in
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { continuation.yield() }
                source.resume()
                return source
            }
            let box = SignalSources(sources)
            continuation.onTermination = { _ in box.cancel() }
        }
        for await _ in stream { return }
    }
}

/// Keeps the signal sources alive until the stream ends.
private final class SignalSources: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    init(_ sources: [any DispatchSourceSignal]) { self.sources = sources }
    func cancel() { sources.forEach { $0.cancel() } }
}

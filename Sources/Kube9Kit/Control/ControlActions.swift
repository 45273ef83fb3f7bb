import Foundation

/// What a control socket can do in its process: list, stop and (for the UI and `kube9 up`) start forwards.
/// The UI passes closures that also tell its screen; the headless commands use ``manager(_:acceptsStart:)``.
public struct ControlActions: Sendable {
    public var forwards: @Sendable () async -> [ForwardRecord]
    /// Stops the forward with this id; nil when it was stopped.
    public var stop: @Sendable (_ id: String) async -> KubeError?
    /// Starts a forward handed over by `kube9 forward --attach`; nil refuses such requests.
    public var start: (@Sendable (ForwardRequest) async -> Result<ForwardRecord, KubeError>)?

    public init(
        forwards: @escaping @Sendable () async -> [ForwardRecord],
        stop: @escaping @Sendable (_ id: String) async -> KubeError?,
        start: (@Sendable (ForwardRequest) async -> Result<ForwardRecord, KubeError>)?
    ) {
        self.forwards = forwards
        self.stop = stop
        self.start = start
    }

    /// Straight to a manager.
    public static func manager(_ manager: PortForwardManager, acceptsStart: Bool) -> ControlActions {
        @Sendable func stop(_ id: String) async -> KubeError? {
            do throws(KubeError) {
                try await manager.stopForward(id: id)
                return nil
            } catch {
                return error
            }
        }
        @Sendable func start(_ request: ForwardRequest) async -> Result<ForwardRecord, KubeError> {
            do throws(KubeError) {
                return .success(try await manager.startForward(request))
            } catch {
                return .failure(error)
            }
        }
        return ControlActions(forwards: { await manager.forwards() }, stop: stop, start: acceptsStart ? start : nil)
    }

    /// The answer to one request line.
    public func respond(to request: ControlRequest, as instance: ControlInstance) async -> ControlResponse {
        guard request.v == ControlProtocol.version else {
            return .failure("unsupported protocol version \(request.v) (this kube9 speaks \(ControlProtocol.version))", instance: instance)
        }
        switch request.op {
        case .list:
            let now = Date()
            return ControlResponse(ok: true, instance: instance, forwards: await forwards().map { ControlForward($0, now: now) })
        case .stop:
            let all = request.all ?? false
            let ports = Set(request.ports ?? [])
            let chosen = await forwards().filter { all || ports.contains($0.localPort) }
            var stopped: [ControlForward] = []
            var firstError: String?
            let now = Date()
            for record in chosen {
                if let error = await stop(record.id) {
                    firstError = firstError ?? error.message
                } else {
                    stopped.append(ControlForward(record, now: now))
                }
            }
            return ControlResponse(ok: firstError == nil, error: firstError, instance: instance, forwards: stopped)
        case .start:
            guard let start else {
                return .failure("kube9 \(instance.kind.rawValue) (pid \(instance.pid)) does not take attached forwards", instance: instance)
            }
            guard let forward = request.forward else { return .failure("start without a forward", instance: instance) }
            switch await start(forward.request(heals: request.heals ?? true)) {
            case .success(let record):
                return ControlResponse(ok: true, instance: instance, forwards: [ControlForward(record, now: Date())])
            case .failure(let error):
                return .failure(error.message, instance: instance)
            }
        }
    }
}

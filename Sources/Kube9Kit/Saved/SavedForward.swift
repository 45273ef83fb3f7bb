/// A forward the person saved to start again later (`forwards.json`).
/// forwards.json spells the target out: `"context"`, `"namespace"`, `"kind"` and `"name"`.
public struct SavedForward: Sendable, Equatable, Hashable, Codable, TargetedForward {
    public var target: ForwardTarget
    public var localPort: Int
    public var remotePort: Int
    public var address: String
    /// Whether the forward heals (`H` in the UI); files written before it was saved read as true.
    public var heals: Bool
    /// `"onDemand": true` for a forward started on demand (absent otherwise: files written before load as eager).
    public var onDemand: Bool?
    /// `"idleTimeout"` in seconds when it is not the default (10 minutes).
    public var idleTimeout: Int?

    public init(
        context: String, namespace: String, kind: ForwardTargetKind = .pod, name: String, localPort: Int,
        remotePort: Int, address: String = ForwardRequest.defaultAddress, heals: Bool = true
    ) {
        self.target = ForwardTarget(context: context, namespace: namespace, kind: kind, name: name)
        self.localPort = localPort
        self.remotePort = remotePort
        self.address = address
        self.heals = heals
    }

    private enum CodingKeys: String, CodingKey {
        case context, namespace, kind, name, localPort, remotePort, address, heals, onDemand, idleTimeout
    }

    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            context: try values.decode(String.self, forKey: .context),
            namespace: try values.decode(String.self, forKey: .namespace),
            kind: try values.decodeIfPresent(ForwardTargetKind.self, forKey: .kind) ?? .pod,
            name: try values.decode(String.self, forKey: .name),
            localPort: try values.decode(Int.self, forKey: .localPort),
            remotePort: try values.decode(Int.self, forKey: .remotePort),
            address: try values.decodeIfPresent(String.self, forKey: .address) ?? ForwardRequest.defaultAddress,
            heals: try values.decodeIfPresent(Bool.self, forKey: .heals) ?? true)
        onDemand = try values.decodeIfPresent(Bool.self, forKey: .onDemand)
        idleTimeout = try values.decodeIfPresent(Int.self, forKey: .idleTimeout)
    }

    public func encode(to encoder: any Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(context, forKey: .context)
        try values.encode(namespace, forKey: .namespace)
        try values.encode(kind, forKey: .kind)
        try values.encode(name, forKey: .name)
        try values.encode(localPort, forKey: .localPort)
        try values.encode(remotePort, forKey: .remotePort)
        try values.encode(address, forKey: .address)
        try values.encode(heals, forKey: .heals)
        try values.encodeIfPresent(onDemand, forKey: .onDemand)
        try values.encodeIfPresent(idleTimeout, forKey: .idleTimeout)
    }

    public var context: String { target.context }
    public var namespace: String { target.namespace }
    public var kind: ForwardTargetKind { target.kind }
    /// The pod's or the service's name.
    public var name: String { target.name }

    public init(_ request: ForwardRequest) {
        self.init(
            context: request.context, namespace: request.namespace, kind: request.kind, name: request.target.name,
            localPort: request.localPort, remotePort: request.remotePort, address: request.address, heals: request.heals)
        setOnDemand(request.onDemand, idleTimeout: request.idleTimeout)
    }

    /// The request that starts it again; `heals` overrides the saved setting (nil: as saved).
    public func request(heals: Bool? = nil) -> ForwardRequest {
        ForwardRequest(
            target, localPort: localPort, remotePort: remotePort, address: address, heals: heals ?? self.heals,
            onDemand: onDemand ?? false,
            idleTimeout: idleTimeout.map { .seconds($0) } ?? ForwardRequest.defaultIdleTimeout)
    }

    /// Sets the on-demand fields as forwards.json carries them: absent for an eager forward and the default timeout.
    public mutating func setOnDemand(_ enabled: Bool, idleTimeout timeout: Duration = ForwardRequest.defaultIdleTimeout) {
        onDemand = enabled ? true : nil
        idleTimeout = enabled && timeout != ForwardRequest.defaultIdleTimeout ? Int(timeout.components.seconds) : nil
    }
}

extension [SavedForward] {
    /// The list with the saved forward of `before` now naming `after`'s target, when `after` is the same forward
    /// moved to a replacement pod; nil when nothing changes. (The old pod's name would be a stopped row on the same
    /// port, and a start of a pod that is gone.)
    public func followingMove(of before: ForwardRecord, to after: ForwardRecord) -> [SavedForward]? {
        guard before.id == after.id, before.target != after.target,
            let index = firstIndex(where: { $0.isSameForward(as: before) }),
            !contains(where: { $0.isSameForward(as: after) })
        else { return nil }
        var list = self
        list[index].target = after.target
        return list
    }
}

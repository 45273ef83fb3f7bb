import Kube9Kit

/// The modal port dialog of one pod: remote port list (+ Custom…) and the local port field.
public struct PortDialogState: Sendable, Equatable {
    public enum Field: Sendable, Equatable { case remote, local, address, onDemand }

    /// A container port marked with Space: one forward each, with its own local port (checked like the field).
    public struct MarkedPort: Sendable, Equatable {
        public var option: Int
        public var remote: Int
        public var local: Int
        public var status: LocalStatus
        /// Its local port was typed (in the Local field): a busy one waits for the person to take the suggestion
        /// (Tab or `y`), as the field's does, instead of moving by itself.
        public var typed = false
    }

    public struct RemoteOption: Sendable, Equatable {
        public var port: Int
        public var label: String
    }

    /// What is known about the local port typed so far.
    public enum LocalStatus: Sendable, Equatable {
        case empty
        /// Not a usable port number: the parser's message.
        case invalid(String)
        case checking(Int)
        case available(Int)
        /// Busy or privileged: the message and the manager's suggestion.
        case unavailable(port: Int, message: String, suggestion: Int?)
    }

    public var context: String
    public var namespace: String
    /// The pod's name, or the service's when ``kind`` is `.service`.
    public var podName: String
    public var kind: ForwardTargetKind = .pod
    public var options: [RemoteOption]
    /// Index into `options`; `options.count` is the Custom… entry.
    public var selectedOption: Int
    public var customText: String = ""
    public var localText: String = ""
    /// True once the person typed into the local field: then remote changes no longer overwrite it.
    public var localEdited: Bool = false
    public var focus: Field = .remote
    public var localStatus: LocalStatus = .empty
    /// Ports marked with Space (in the order marked); empty: the single remote/local pair is used.
    public var marked: [MarkedPort] = []
    /// kubectl's `--address` (default `localhost`).
    public var addressText: String = ForwardRequest.defaultAddress
    /// A note under the fields (the suggestion that was filled in, a remote port problem).
    public var note: String?
    /// The forwards start on demand: kubectl from the first connection until ``ForwardRequest/defaultIdleTimeout``
    /// with none open.
    public var onDemand: Bool = false
    public var idleTimeout: Duration = ForwardRequest.defaultIdleTimeout

    public init(pod: Pod, context: String) {
        self.context = context
        self.namespace = pod.namespace
        self.podName = pod.name
        let several = pod.containers.count > 1
        var options: [RemoteOption] = []
        for container in pod.containers {
            for port in container.ports where port.protocolName.uppercased() == "TCP" {
                var label = "\(port.containerPort)"
                if let name = port.name, !name.isEmpty { label += " (\(name))" }
                if several { label += " [\(container.name)]" }
                options.append(RemoteOption(port: port.containerPort, label: label))
            }
        }
        self.options = options
        self.selectedOption = 0
    }

    /// The dialog of a service: its ports (`80 (http)`), forwarded as `svc/NAME`.
    public init(service: KubeService, context: String) {
        self.context = context
        self.namespace = service.namespace
        self.podName = service.name
        self.kind = .service
        self.options = service.ports.filter { $0.protocolName.uppercased() == "TCP" }.map { port in
            var label = "\(port.port)"
            if let name = port.name, !name.isEmpty { label += " (\(name))" }
            return RemoteOption(port: port.port, label: label)
        }
        self.selectedOption = 0
    }

    /// The dialog of a forward to start again (a saved row, a forward's `f`, a start whose port was busy): its
    /// target's ports when known (else only its remote port), the remote port selected, the local port and address
    /// as they were, focus on the local port (so `y`/Tab take a suggestion).
    public static func prefilled(_ request: ForwardRequest, pod: Pod?, service: KubeService?) -> PortDialogState {
        var dialog: PortDialogState
        if let service {
            dialog = PortDialogState(service: service, context: request.context)
        } else if let pod {
            dialog = PortDialogState(pod: pod, context: request.context)
        } else {
            dialog = PortDialogState(target: request, options: [RemoteOption(port: request.remotePort, label: "\(request.remotePort)")])
        }
        dialog.namespace = request.namespace
        if let index = dialog.options.firstIndex(where: { $0.port == request.remotePort }) {
            dialog.selectedOption = index
        } else {
            dialog.selectedOption = dialog.options.count
            dialog.customText = String(request.remotePort)
        }
        dialog.localText = String(request.localPort)
        dialog.localEdited = true
        dialog.addressText = request.address
        dialog.onDemand = request.onDemand
        dialog.idleTimeout = request.idleTimeout
        dialog.focus = .local
        return dialog
    }

    private init(target request: ForwardRequest, options: [RemoteOption]) {
        self.context = request.context
        self.namespace = request.namespace
        self.podName = request.target.name
        self.kind = request.kind
        self.options = options
        self.selectedOption = 0
    }

    /// The pod or service the dialog forwards to.
    public var target: ForwardTarget { ForwardTarget(context: context, namespace: namespace, kind: kind, name: podName) }

    /// `pod` or `svc/NAME`, as the title shows it (after the namespace).
    public var targetLabel: String { target.shortName }

    public func mark(ofOption option: Int) -> MarkedPort? { marked.first { $0.option == option } }

    /// The next field for Tab (`step` 1) or Shift-Tab (-1).
    public func field(after field: Field, step: Int) -> Field {
        let order: [Field] = [.remote, .local, .onDemand, .address]
        let index = order.firstIndex(of: field) ?? 0
        return order[(index + step + order.count) % order.count]
    }

    public var isCustomSelected: Bool { selectedOption >= options.count }

    /// The remote port chosen, or the parser's complaint about the custom text.
    public var remotePort: Result<Int, PortInputError> {
        if isCustomSelected { return PortText.parse(customText) }
        return .success(options[selectedOption].port)
    }

    /// The manager's suggestion on screen, if any (Tab or `y` takes it).
    public var suggestion: Int? {
        if case .unavailable(_, _, let suggestion) = localStatus { return suggestion }
        return nil
    }
}

extension PortDialogState {
    /// The box's title: `Port forward staging: vault/vault-0`.
    public var title: String { UIText.dialogTitle(context: context, namespace: namespace, pod: targetLabel) }

    /// The title in `width` columns: a long context gives up its middle first (`Port forward arn:aws:e…uster/prod:
    /// shop/api-0`), down to ``contextFloor`` columns if the pod needs them (the tree shows the context whole);
    /// what still does not fit is cut at its end when drawn.
    public func title(width: Int, ellipsis: String) -> String {
        let others = CharacterWidth.of(title) - CharacterWidth.of(context)
        let elided = TextFitting.truncateMiddle(
            context, besides: others, within: width, floor: Self.contextFloor, ellipsis: ellipsis)
        return UIText.dialogTitle(context: elided, namespace: namespace, pod: targetLabel)
    }

    /// The narrowest the context becomes in the title: both ends still show (`arn:…rod`).
    static let contextFloor = 9
}

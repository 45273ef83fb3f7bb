import Kube9Kit

/// What kube9 knows of the clusters and forwards, and which nodes are expanded. Flattening it gives the rows.
public struct ClusterTree: Sendable, Equatable {
    public var contexts: LoadState<[KubeContext]> = .idle
    public var namespaces: [String: LoadState<[KubeNamespace]>] = [:]
    /// Contexts whose namespaces may not be listed (Forbidden), with kubectl's reason: they list the namespaces
    /// kube9 knows of instead (``listedNamespaces(_:)``).
    public var namespaceListRefusals: [String: String] = [:]
    /// Namespaces the person opened by name (`o`), per context: listed even when the cluster's list lacks them.
    public var namedNamespaces: [String: [String]] = [:]
    public var pods: [NamespaceKey: LoadState<[Pod]>] = [:]
    public var services: [NamespaceKey: LoadState<[KubeService]>] = [:]
    /// Contexts whose list reads wait for the credential plugin's login, with the plugin's line: shown on their
    /// `Loading…` rows until the reads answer or Esc gives them up.
    public var listLogins: [String: String] = [:]
    /// Saved forwards (`forwards.json`), loaded once at start; listed under Port Forwarding when not running.
    public var saved: [SavedForward] = []
    /// Why a saved forward last failed to start: shown on its row until it starts or `r` on Port Forwarding.
    public private(set) var savedFailures: [SavedForward: String] = [:]
    public var expanded: Set<NodeID> = []
    /// The manager's forwards: kept by its events (``apply(_:)``); a list read replaces them only when no event
    /// came after it was asked for (``replaceForwards(_:asOf:)``).
    public private(set) var forwards: [ForwardRecord] = []
    /// How many of the manager's events were applied: the sequence number a list read is compared with.
    public private(set) var forwardsRevision = 0
    public private(set) var forwardedPods: Set<PodKey> = []
    /// `--context`: shown as the current context instead of the kubeconfig's.
    public var contextOverride: String?

    public init(contextOverride: String? = nil) {
        self.contextOverride = contextOverride
    }

    /// One of the manager's events: the record added, replaced or removed (a `.stopped` update removes it).
    public mutating func apply(_ event: ForwardEvent) {
        switch event {
        case .added(let record), .updated(let record):
            var list = forwards.filter { $0.id != record.id }
            if record.status != .stopped { list.append(record) }
            setForwards(list)
        case .removed(let record):
            setForwards(forwards.filter { $0.id != record.id })
        case .notice:
            return
        }
        forwardsRevision += 1
    }

    /// The manager's whole list, read when `revision` was current: ignored when an event came since (the event is
    /// newer than the read). Returns whether it was applied.
    @discardableResult
    public mutating func replaceForwards(_ records: [ForwardRecord], asOf revision: Int) -> Bool {
        guard revision == forwardsRevision else { return false }
        setForwards(records)
        return true
    }

    private mutating func setForwards(_ records: [ForwardRecord]) {
        forwards = records.sorted { $0.precedes($1) }
        forwardedPods = Set(records.filter { $0.isLive && $0.kind == .pod }.map { PodKey(context: $0.context, namespace: $0.namespace, name: $0.target.name) })
    }

    /// Forwards carrying traffic now (`connected`): the "active" of the status line and the category.
    public var connectedForwardCount: Int { forwards.count(where: { $0.status == .connected }) }

    /// Forwards with a kubectl to stop (connecting, connected or reconnecting): what `X` and `q` stop.
    public var liveForwardCount: Int { forwards.count(where: \.isLive) }

    /// The context shown as current: `--context`, else the kubeconfig's current context.
    public var currentContextName: String? {
        if let contextOverride { return contextOverride }
        return contexts.value?.first(where: \.isCurrent)?.name
    }

    public func pod(_ key: PodKey) -> Pod? {
        pods[NamespaceKey(context: key.context, namespace: key.namespace)]?.value?.first { $0.name == key.name }
    }

    public func service(context: String, namespace: String, name: String) -> KubeService? {
        services[NamespaceKey(context: context, namespace: namespace)]?.value?.first { $0.name == name }
    }

    /// Saved forwards that no running forward matches: the `(saved)` rows.
    public var stoppedSaved: [SavedForward] {
        saved.filter { entry in !forwards.contains { entry.isSameForward(as: $0) } }
    }

    /// The saved forward `request` starts, if it is one.
    public func savedEntry(for request: ForwardRequest) -> SavedForward? {
        saved.first { $0.isSameForward(as: request) }
    }

    /// Records (`reason`) or clears (nil) why the saved forward `request` starts did not start.
    public mutating func setSavedFailure(_ reason: String?, for request: ForwardRequest) {
        guard let entry = savedEntry(for: request) else { return }
        savedFailures[entry] = reason
    }

    public mutating func clearSavedFailures() {
        savedFailures = [:]
    }

    /// True when `record` is one of the saved forwards.
    public func isSaved(_ record: ForwardRecord) -> Bool {
        saved.contains { $0.isSameForward(as: record) }
    }

    /// A live forward's row and a saved forward's row of the same forward (either way round).
    func isSameForward(_ node: NodeID, as other: NodeID) -> Bool {
        switch (node, other) {
        case (.forward(let id), .savedForward(let entry)), (.savedForward(let entry), .forward(let id)):
            forwards.first { $0.id == id }.map { entry.isSameForward(as: $0) } ?? false
        default:
            false
        }
    }

    /// The visible rows: every root, and the children of every expanded node.
    public func visibleRows() -> [TreeRow] {
        var rows: [TreeRow] = []
        let forwardsOpen = expanded.contains(.forwardsCategory)
        rows.append(TreeRow(
            id: .forwardsCategory, depth: 0, content: .forwardsCategory(connectedCount: connectedForwardCount),
            isExpandable: true, isExpanded: forwardsOpen))
        if forwardsOpen {
            let stopped = stoppedSaved
            if forwards.isEmpty && stopped.isEmpty {
                rows.append(TreeRow(id: .status(parent: .forwardsCategory), depth: 1, content: .noForwards))
            } else {
                for record in forwards { rows.append(TreeRow(id: .forward(id: record.id), depth: 1, content: .forward(record))) }
                for entry in stopped { rows.append(TreeRow(id: .savedForward(entry), depth: 1, content: .savedForward(entry, failure: savedFailures[entry]))) }
            }
        }
        let current = currentContextName
        for context in children(contexts, of: .contextList, depth: 0, empty: UIText.noContexts, to: &rows) {
            appendContext(context, isCurrent: context.name == current, to: &rows)
        }
        return rows
    }

    /// The namespaces listed under `context`: the cluster's list and the namespaces opened by name; when the list
    /// is refused, the context's own namespace, those of its saved forwards and those opened by name.
    public func listedNamespaces(_ context: KubeContext) -> LoadState<[KubeNamespace]>? {
        let named = namedNamespaces[context.name] ?? []
        if namespaceListRefusals[context.name] != nil {
            let known = [context.defaultNamespace] + saved.filter { $0.context == context.name }.map(\.namespace) + named
            return .loaded(Set(known).sorted().map { KubeNamespace(name: $0) })
        }
        guard let state = namespaces[context.name], case .loaded(let list) = state, !named.isEmpty else {
            return namespaces[context.name]
        }
        let missing = Set(named).subtracting(list.map(\.name))
        guard !missing.isEmpty else { return state }
        return .loaded((list + missing.map { KubeNamespace(name: $0) }).sorted { $0.name < $1.name })
    }

    /// The children of `parent` when loaded; otherwise (and for an empty list) the status row that says so: while
    /// the read waits for `context`'s login, the plugin's line.
    private func children<Child>(
        _ state: LoadState<[Child]>?, of parent: NodeID, context: String? = nil, depth: Int, empty: String,
        to rows: inout [TreeRow]
    ) -> [Child] {
        switch state ?? .idle {
        case .idle, .loading:
            let login = context.flatMap { listLogins[$0] }
            rows.append(TreeRow(id: .status(parent: parent), depth: depth, content: login.map(RowContent.waitingForLogin) ?? .loading))
            return []
        case .failed(let message):
            rows.append(TreeRow(id: .status(parent: parent), depth: depth, content: .failed(message)))
            return []
        case .cancelled:
            rows.append(TreeRow(id: .status(parent: parent), depth: depth, content: .failed(UIText.listLoginCancelled)))
            return []
        case .loaded(let list):
            if list.isEmpty { rows.append(TreeRow(id: .status(parent: parent), depth: depth, content: .empty(empty))) }
            return list
        }
    }

    private func appendContext(_ context: KubeContext, isCurrent: Bool, to rows: inout [TreeRow]) {
        let id = NodeID.context(context.name)
        let open = expanded.contains(id)
        rows.append(TreeRow(id: id, depth: 0, content: .context(context, isCurrent: isCurrent), isExpandable: true, isExpanded: open))
        guard open else { return }
        if let reason = namespaceListRefusals[context.name] {
            rows.append(TreeRow(id: .status(parent: id), depth: 1, content: .empty(UIText.cannotListNamespaces(reason))))
        }
        let namespaces = children(
            listedNamespaces(context), of: id, context: context.name, depth: 1, empty: UIText.noNamespaces, to: &rows)
        for namespace in namespaces {
            appendNamespace(context: context.name, namespace.name, isDefault: namespace.name == context.defaultNamespace, to: &rows)
        }
    }

    private func appendNamespace(context: String, _ name: String, isDefault: Bool, to rows: inout [TreeRow]) {
        let id = NodeID.namespace(context: context, name: name)
        let open = expanded.contains(id)
        rows.append(TreeRow(id: id, depth: 1, content: .namespace(name: name, isDefault: isDefault), isExpandable: true, isExpanded: open))
        guard open else { return }
        let list = children(
            pods[NamespaceKey(context: context, namespace: name)], of: id, context: context, depth: 2, empty: UIText.noPods, to: &rows)
        var column = 0
        for pod in list { column = max(column, CharacterWidth.of(pod.name)) }
        column = min(column, 48)
        rows.reserveCapacity(rows.count + list.count)
        for pod in list {
            let forwarded = !forwardedPods.isEmpty
                && forwardedPods.contains(PodKey(context: context, namespace: name, name: pod.name))
            rows.append(TreeRow(
                id: .pod(context: context, namespace: name, name: pod.name), depth: 2,
                content: .pod(pod, context: context, isForwarded: forwarded, nameColumn: column)))
        }
        appendServices(context: context, namespace: name, to: &rows)
    }

    /// The namespace's `Services` node (after its pods) and, when open, its services.
    private func appendServices(context: String, namespace: String, to rows: inout [TreeRow]) {
        let id = NodeID.services(context: context, namespace: namespace)
        let open = expanded.contains(id)
        rows.append(TreeRow(id: id, depth: 2, content: .servicesGroup, isExpandable: true, isExpanded: open))
        guard open else { return }
        let list = children(
            services[NamespaceKey(context: context, namespace: namespace)], of: id, context: context, depth: 3,
            empty: UIText.noServices, to: &rows)
        let column = min(48, list.map { CharacterWidth.of($0.name) }.max() ?? 0)
        for service in list {
            rows.append(TreeRow(
                id: .service(context: context, namespace: namespace, name: service.name), depth: 3,
                content: .service(service, nameColumn: column)))
        }
    }

    /// The `/` view: every loaded row whose label contains `query` (case-insensitive), with its ancestors, in tree
    /// order, whatever is expanded; and the matching rows' ids. (The UI keeps a ``FilterIndex`` between keys.)
    public func filteredRows(_ query: String) -> (rows: [TreeRow], matches: [NodeID]) {
        var index = FilterIndex(self)
        return index.search(query)
    }
}

extension ForwardRecord {
    /// Connecting, connected or reconnecting: badged in the tree, stopped by `X` and on quit.
    public var isLive: Bool { status == .connecting || status == .connected || status == .reconnecting || status == .paused }
}

import Kube9Kit

/// Keys on the tree: moving, expanding, collapsing, refreshing, and the keys that open dialogs and menus.
extension AppUpdate {
    static func handleTreeKey(_ key: Key, _ state: inout AppState, _ effects: inout [Effect]) {
        let page = max(1, state.size.treeHeight - 1)
        switch key {
        case .up, .character("k"): state.select(state.selection - 1)
        case .down, .character("j"): state.select(state.selection + 1)
        case .pageUp, .control("b"): state.select(state.selection - page)
        case .pageDown, .control("f"): state.select(state.selection + page)
        case .control("d"): state.select(state.selection + max(1, state.size.treeHeight / 2))
        case .control("u"): state.select(state.selection - max(1, state.size.treeHeight / 2))
        case .control("l"): effects.append(.redraw)
        case .character(":"), .control("p"): openFinder(&state, &effects)
        case .character("o"): openNamespacePrompt(&state)
        case .home, .character("g"): state.select(0)
        case .end, .character("G"): state.select(state.rows.count - 1)
        case .right, .character("l"):
            guard let row = state.selectedRow else { return }
            if row.isExpandable && !row.isExpanded {
                expand(row.id, &state, &effects)
            } else if row.isExpanded, state.rows.indices.contains(state.selection + 1),
                state.rows[state.selection + 1].id.parent == row.id {
                state.select(state.selection + 1)
            }
        case .enter:
            guard let row = state.selectedRow else { return }
            if row.isExpandable {
                if row.isExpanded { collapse(row.id, &state) } else { expand(row.id, &state, &effects) }
            } else {
                activateLeaf(row, &state, &effects)
            }
        case .left, .character("h"):
            guard let row = state.selectedRow else { return }
            if row.isExpanded {
                collapse(row.id, &state)
            } else if let parent = row.id.parent {
                state.select(parent)
            }
        case .character("r"), .control("r"):
            if let row = state.selectedRow { refresh(row.id, &state, &effects) }
        case .character("f"):
            guard let row = state.selectedRow else { return }
            switch row.id {
            case .pod(let context, let namespace, let name):
                openPortDialog(PodKey(context: context, namespace: namespace, name: name), &state, &effects)
            case .service(let context, let namespace, let name):
                openServiceDialog(context: context, namespace: namespace, name: name, &state, &effects)
            case .savedForward(let entry):
                openDialog(for: entry.request(), &state, &effects)
            case .forward:
                if let record = forwardRecord(row.id, state) { openDialog(for: record.request, &state, &effects) }
            case .forwardsCategory, .contextList, .context, .namespace, .services, .status:
                state.message = MessageLine(.info, UIText.forwardNeedsTarget)
            }
        case .character("x"), .delete:
            guard let row = state.selectedRow else { return }
            if let record = forwardRecord(row.id, state) {
                state.confirmation = .stopForward(record)
            } else if case .savedForward(let entry) = row.id {
                state.confirmation = .removeSaved(entry)
            } else if case .pod(let context, let namespace, let name) = row.id,
                case let pod = ForwardTarget(context: context, namespace: namespace, name: name),
                case let records = state.tree.forwards.filter({ $0.target == pod }), !records.isEmpty {
                state.confirmation = records.count == 1 ? .stopForward(records[0]) : .stopForwards(records)
            } else {
                state.message = MessageLine(.info, UIText.stopNeedsForward)
            }
        case .character("s"):
            if let row = state.selectedRow, let record = forwardRecord(row.id, state) {
                save(record, &state, &effects)
            } else {
                state.message = MessageLine(.info, UIText.needsForward("s saves"))
            }
        case .character("S"):
            startAllSaved(&state, &effects)
        case .character("H"):
            if let row = state.selectedRow, let record = forwardRecord(row.id, state) {
                effects.append(.setHealing(!record.heals, forwardID: record.id))
            } else {
                state.message = MessageLine(.info, UIText.needsForward("H toggles healing of"))
            }
        case .character("d"):
            if let row = state.selectedRow { switchOnDemand(row.id, &state, &effects) }
        case .character("X"):
            let live = state.liveForwardCount
            if live > 0 {
                state.confirmation = .stopAll(count: live)
            } else {
                state.message = MessageLine(.info, UIText.noForwards)
            }
        case .character("c"):
            if let row = state.selectedRow, let record = forwardRecord(row.id, state) {
                effects.append(.copyToClipboard(UIText.url(record)))
            } else {
                state.message = MessageLine(.info, UIText.needsForward("c copies the URL of"))
            }
        case .character("/"):
            openFilter(&state)
        case .character("n"):
            stepMatch(by: 1, &state)
        case .character("N"):
            stepMatch(by: -1, &state)
        case .escape:
            if giveUpLoginWaits(&state, &effects) {
                state.message = MessageLine(.info, UIText.loginCancelled)
            } else if state.filter.isActive { clearFilter(&state) } else { state.message = nil }
        case .character("?"), .function(1):
            state.helpVisible = true
        case .character("q"):
            requestQuit(&state, &effects)
        default:
            break
        }
    }

    /// Expands a node; its children are fetched the first time (or again after a failure).
    static func expand(_ id: NodeID, _ state: inout AppState, _ effects: inout [Effect]) {
        switch id {
        case .forwardsCategory:
            state.updateTree { $0.expanded.insert(id) }
        case .context(let name):
            expand(id, children: \.namespaces, key: name, load: .loadNamespaces(context: name), &state, &effects)
        case .namespace(let context, let name):
            expand(
                id, children: \.pods, key: NamespaceKey(context: context, namespace: name),
                load: .loadPods(context: context, namespace: name), &state, &effects)
        case .services(let context, let namespace):
            expand(
                id, children: \.services, key: NamespaceKey(context: context, namespace: namespace),
                load: .loadServices(context: context, namespace: namespace), &state, &effects)
        default:
            break
        }
    }

    /// Expands `id`; its children (`tree[keyPath: children][key]`) are marked loading and asked for with `load`
    /// when they were never fetched or failed.
    static func expand<Key: Hashable, Value>(
        _ id: NodeID, children: WritableKeyPath<ClusterTree, [Key: LoadState<Value>]>, key: Key, load: Effect,
        _ state: inout AppState, _ effects: inout [Effect]
    ) {
        let needsLoad = state.tree[keyPath: children][key]?.needsLoad ?? true
        state.updateTree { tree in
            tree.expanded.insert(id)
            if needsLoad { tree[keyPath: children][key] = .loading }
        }
        if needsLoad { effects.append(load) }
    }

    static func collapse(_ id: NodeID, _ state: inout AppState) {
        state.updateTree { $0.expanded.remove(id) }
        state.select(id)
    }

    /// Fetches a node's children again (`r`); on a pod, its namespace's list.
    static func refresh(_ id: NodeID, _ state: inout AppState, _ effects: inout [Effect]) {
        switch id {
        case .forwardsCategory, .forward, .savedForward:
            if !state.tree.savedFailures.isEmpty { state.updateTree { $0.clearSavedFailures() } }
            effects.append(.refreshForwards(asOf: state.tree.forwardsRevision))
            if state.tree.forwards.contains(where: { $0.status == .paused }) { effects.append(.resumePausedForwards) }
        case .services(let context, let namespace):
            state.updateTree { $0.services[NamespaceKey(context: context, namespace: namespace)] = .loading }
            effects.append(.loadServices(context: context, namespace: namespace))
        case .service(let context, let namespace, _):
            refresh(.services(context: context, namespace: namespace), &state, &effects)
        case .context(let name):
            state.updateTree { $0.namespaces[name] = .loading }
            effects.append(.loadNamespaces(context: name))
        case .namespace(let context, let name):
            state.updateTree { $0.pods[NamespaceKey(context: context, namespace: name)] = .loading }
            effects.append(.loadPods(context: context, namespace: name))
        case .pod(let context, let namespace, _):
            refresh(.namespace(context: context, name: namespace), &state, &effects)
        case .contextList:
            state.updateTree { $0.contexts = .loading }
            effects.append(.loadContexts)
        case .status(let parent):
            refresh(parent, &state, &effects)
        }
    }

    /// Enter on a leaf: its action menu (pods, forwards) or a retry (error rows).
    static func activateLeaf(_ row: TreeRow, _ state: inout AppState, _ effects: inout [Effect]) {
        switch row.content {
        case .pod(let pod, _, _, _):
            state.menu = ActionMenu(title: pod.name, target: row.id, actions: [.portForward, .copyName, .refresh])
        case .forward(let record):
            state.menu = ActionMenu(
                title: state.glyphs.plain(record.label), target: row.id,
                actions: [.stop, .restart, .copyURL, .save, .toggleHealing, .toggleOnDemand])
        case .service:
            if case .service(let context, let namespace, let name) = row.id {
                openServiceDialog(context: context, namespace: namespace, name: name, &state, &effects)
            }
        case .savedForward(let entry, _):
            startForwards([entry.request()], &state, &effects)
        case .failed:
            refresh(row.id, &state, &effects)
        default:
            break
        }
    }
}

/// Saved forwards: saving one, starting them.
extension AppUpdate {
    static func save(_ record: ForwardRecord, _ state: inout AppState, _ effects: inout [Effect]) {
        let label = state.glyphs.plain(record.label)
        guard !state.tree.isSaved(record) else {
            state.message = MessageLine(.info, UIText.alreadySaved(label))
            return
        }
        let list = state.tree.saved + [SavedForward(record.request)]
        state.updateTree { $0.saved = list }
        state.message = MessageLine(.success, UIText.savedForward(label))
        effects.append(.saveForwards(list))
    }

    /// `H` on a saved forward: the setting is written to forwards.json too.
    static func saveHealing(_ enabled: Bool, forwardID: String, _ state: inout AppState, _ effects: inout [Effect]) {
        guard let record = forwardRecord(.forward(id: forwardID), state),
            let index = state.tree.saved.firstIndex(where: { $0.isSameForward(as: record) }),
            state.tree.saved[index].heals != enabled else { return }
        var list = state.tree.saved
        list[index].heals = enabled
        state.updateTree { $0.saved = list }
        effects.append(.saveForwards(list))
    }

    static func startAllSaved(_ state: inout AppState, _ effects: inout [Effect]) {
        let stopped = state.tree.stoppedSaved
        guard !stopped.isEmpty else {
            state.message = MessageLine(.info, state.tree.saved.isEmpty ? UIText.noSavedForwards : UIText.allSavedRunning)
            return
        }
        startForwards(stopped.map { $0.request() }, saved: true, &state, &effects)
    }

    /// Starts forwards (reported one by one as they answer); the message line spins meanwhile.
    static func startForwards(
        _ requests: [ForwardRequest], saved: Bool = false, _ state: inout AppState, _ effects: inout [Effect]
    ) {
        guard let first = requests.first else { return }
        state.startingForwards += requests
        if requests.count > 1, !saved {
            // The dialog's marked ports: all or none, one kubectl per pod. S's saved forwards start one by one, so
            // each failure is told on its own row.
            effects.append(.startForwards(requests))
        } else {
            effects += requests.map(Effect.startForward)
        }
        state.batch = requests.count > 1 ? StartBatch(requests: requests, isSaved: saved) : nil
        let text = requests.count == 1
            ? UIText.startingForward(first.target.shortName) : UIText.startingForwards(requests.count)
        state.message = MessageLine(.progress, text)
    }
}

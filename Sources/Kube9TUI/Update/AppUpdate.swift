import Foundation
import Kube9Kit

/// The one update function: (state, event) → (next state, effects). Pure: no I/O, no clock, no randomness.
public enum AppUpdate {
    public static func update(_ state: AppState, _ event: AppEvent) -> (AppState, [Effect]) {
        var next = state
        var effects: [Effect] = []
        switch event {
        case .key(let key):
            handleKey(key, &next, &effects)
        case .resize(let size):
            next.setSize(size)
        case .tick(let date):
            next.now = date
            if let message = next.message, message.expires, date.timeIntervalSince(next.messageSince) >= MessageLine.lifetime {
                next.message = nil
            }
        case .contextsLoaded(let result):
            contextsLoaded(result, &next)
        case .namespacesLoaded(let context, let result):
            next.updateTree { tree in
                // Forbidden: the context lists the namespaces kube9 knows of, with the reason above them.
                if case .failure(let error) = result, error.kind == .forbidden {
                    tree.namespaceListRefusals[context] = error.message
                    tree.namespaces[context] = .loaded([])
                } else {
                    tree.namespaceListRefusals[context] = nil
                    tree.namespaces[context] = LoadState(result)
                }
            }
            revealPending(context: context, &next)
        case .allPodsLoaded(let context, let result):
            if next.finder?.context == context { next.finder?.setPods(result) }
        case .allServicesLoaded(let context, let result):
            if next.finder?.context == context { next.finder?.setServices(result) }
        case .podsLoaded(let context, let namespace, let result):
            podsLoaded(NamespaceKey(context: context, namespace: namespace), result, &next)
        case .podListChanged(let key, let change):
            podListChanged(key, change, &next)
        case .listLoginPrompt(let context, let line):
            listLoginPrompt(context: context, line: line, &next)
        case .servicesLoaded(let context, let namespace, let result):
            next.updateTree { $0.services[NamespaceKey(context: context, namespace: namespace)] = LoadState(result) }
        case .savedForwardsLoaded(let forwards, let notice):
            next.updateTree { $0.saved = forwards }
            if let notice { next.message = MessageLine(notice) }
        case .savedForwardsWritten(let error):
            if let error { next.message = MessageLine(.error, error.message) }
        case .healingSet(let enabled, let forwardID, let error):
            // The manager publishes the changed record; the message says what changed; a saved forward keeps it.
            next.message = error.map { MessageLine(.error, $0.message) }
                ?? MessageLine(.info, enabled ? UIText.healingOn : UIText.healingOff)
            if error == nil { saveHealing(enabled, forwardID: forwardID, &next, &effects) }
        case .onDemandSet(let enabled, let forwardID, let error):
            onDemandSet(enabled, forwardID: forwardID, error, &next, &effects)
        case .forwardEvent(let forwardEvent):
            forwardEventArrived(forwardEvent, &next, &effects)
        case .forwardsRefreshed(let records, let revision):
            if records != next.tree.forwards { next.updateTree { $0.replaceForwards(records, asOf: revision) } }
        case .forwardStarted(let request, let record):
            forwardStarted(request, record, &next)
        case .forwardFailed(let request, let error):
            forwardFailed(request, error, &next, &effects)
        case .forwardStopped(let record, let error):
            forwardStopped(record, error, &next)
        case .allForwardsStopped(let count):
            next.message = MessageLine(.info, UIText.stoppedAll(count))
        case .portChecked(let port, let check):
            sendToDialog(.portChecked(port: port, check), &next, &effects)
        case .copied(let text):
            next.message = MessageLine(.info, UIText.copied(text))
        case .suspendFailed(let error):
            suspendFailed(error, &next)
        }
        if !next.tree.listLogins.isEmpty { settleListLogins(&next) }
        if next.message != state.message { next.messageSince = next.now }
        followOpenPodLists(&next, &effects)
        return (next, effects)
    }

    /// The effects to run when the UI starts.
    public static let initialEffects: [Effect] = [.loadContexts, .refreshForwards(asOf: 0), .loadSavedForwards]

    /// Routes a key to whatever has the focus: help, confirmation, dialog, menu, filter prompt, or the tree.
    static func handleKey(_ key: Key, _ state: inout AppState, _ effects: inout [Effect]) {
        if state.isQuitting { return }
        if case .mouse(let event) = key {
            handleMouse(event, &state, &effects)
            return
        }
        // An error stays until the next key.
        if state.message?.kind == .error { state.message = nil }
        if key == .control("c") {
            if case .quit = state.confirmation {
                confirm(&state, &effects)
                return
            }
            state.helpVisible = false
            state.dialog = nil
            state.menu = nil
            closeFinder(&state, &effects)
            state.namespacePrompt = nil
            state.confirmation = nil
            if state.filter.isEditing { keepFilter(&state) }
            requestQuit(&state, &effects)
            return
        }
        if key == .control("z") {
            requestSuspend(&state, &effects)
            return
        }
        if state.helpVisible {
            handleHelpKey(key, &state)
            return
        }
        if state.confirmation != nil {
            handleConfirmationKey(key, &state, &effects)
        } else if state.dialog != nil {
            sendToDialog(.key(key), &state, &effects)
        } else if state.menu != nil {
            handleMenuKey(key, &state, &effects)
        } else if state.finder != nil {
            handleFinderKey(key, &state, &effects)
        } else if state.namespacePrompt != nil {
            handleNamespacePromptKey(key, &state, &effects)
        } else if state.filter.isEditing {
            handleFilterKey(key, &state, &effects)
        } else {
            handleTreeKey(key, &state, &effects)
        }
    }

    /// Help closes with ?, Esc, q or Enter and scrolls with the tree's movement keys.
    static func handleHelpKey(_ key: Key, _ state: inout AppState) {
        let page = max(1, state.helpPageHeight - 1)
        switch key {
        case .character("?"), .escape, .character("q"), .enter: state.helpVisible = false
        case .down, .character("j"): state.scrollHelp(by: 1)
        case .up, .character("k"): state.scrollHelp(by: -1)
        case .pageDown, .control("f"), .control("d"), .character(" "): state.scrollHelp(by: page)
        case .pageUp, .control("b"), .control("u"): state.scrollHelp(by: -page)
        case .home, .character("g"): state.scrollHelp(by: -UIText.helpLines.count)
        case .end, .character("G"): state.scrollHelp(by: UIText.helpLines.count)
        default: break
        }
    }

    static func requestQuit(_ state: inout AppState, _ effects: inout [Effect]) {
        let live = state.liveForwardCount
        if live > 0 {
            state.confirmation = .quit(liveCount: live)
        } else {
            state.isQuitting = true
            effects.append(.quit)
        }
    }

    static func handleConfirmationKey(_ key: Key, _ state: inout AppState, _ effects: inout [Effect]) {
        switch key {
        case .character("y"), .character("Y"):
            confirm(&state, &effects)
        case .character("n"), .character("N"), .escape, .character("q"):
            // No to exposing: back to the dialog, as it was typed.
            if case .exposeForwards(_, let dialog?) = state.confirmation { state.dialog = dialog }
            state.confirmation = nil
        default:
            break
        }
    }

    static func confirm(_ state: inout AppState, _ effects: inout [Effect]) {
        guard let confirmation = state.confirmation else { return }
        state.confirmation = nil
        switch confirmation {
        case .stopForward(let record):
            effects.append(.stopForward(record))
        case .stopAll:
            effects.append(.stopAllForwards)
        case .quit:
            state.isQuitting = true
            effects.append(.quit)
        case .removeSaved(let entry):
            let list = state.tree.saved.filter { $0 != entry }
            state.updateTree { $0.saved = list }
            state.message = MessageLine(.info, UIText.removedSaved(state.glyphs.plain(entry.label)))
            effects.append(.saveForwards(list))
        case .stopForwards(let records):
            effects += records.map(Effect.stopForward)
        case .exposeForwards(let requests, _):
            startForwards(requests, &state, &effects)
        }
    }

    static func handleMenuKey(_ key: Key, _ state: inout AppState, _ effects: inout [Effect]) {
        guard var menu = state.menu else { return }
        switch key {
        case .up, .character("k"):
            menu.selected = max(0, menu.selected - 1)
            state.menu = menu
        case .down, .character("j"):
            menu.selected = min(menu.actions.count - 1, menu.selected + 1)
            state.menu = menu
        case .home, .character("g"):
            menu.selected = 0
            state.menu = menu
        case .end, .character("G"):
            menu.selected = menu.actions.count - 1
            state.menu = menu
        case .escape, .character("q"), .left, .character("h"):
            state.menu = nil
        case .enter, .right, .character("l"):
            state.menu = nil
            perform(menu.actions[menu.selected], on: menu.target, &state, &effects)
        default:
            break
        }
    }

    static func perform(_ action: MenuAction, on target: NodeID, _ state: inout AppState, _ effects: inout [Effect]) {
        switch action {
        case .portForward:
            if case .pod(let context, let namespace, let name) = target {
                openPortDialog(PodKey(context: context, namespace: namespace, name: name), &state, &effects)
            }
        case .copyName:
            if case .pod(_, _, let name) = target { effects.append(.copyToClipboard(name)) }
        case .refresh:
            refresh(target, &state, &effects)
        case .stop:
            if let record = forwardRecord(target, state) { state.confirmation = .stopForward(record) }
        case .restart:
            if let record = forwardRecord(target, state) {
                state.message = MessageLine(.progress, UIText.startingForward(record.target.shortName))
                effects.append(.restartForward(record))
            }
        case .copyURL:
            if let record = forwardRecord(target, state) { effects.append(.copyToClipboard(UIText.url(record))) }
        case .save:
            if let record = forwardRecord(target, state) { save(record, &state, &effects) }
        case .toggleHealing:
            if let record = forwardRecord(target, state) { effects.append(.setHealing(!record.heals, forwardID: record.id)) }
        case .toggleOnDemand:
            switchOnDemand(target, &state, &effects)
        }
    }

    static func forwardRecord(_ id: NodeID, _ state: AppState) -> ForwardRecord? {
        guard case .forward(let forwardID) = id else { return nil }
        return state.tree.forwards.first { $0.id == forwardID }
    }
}

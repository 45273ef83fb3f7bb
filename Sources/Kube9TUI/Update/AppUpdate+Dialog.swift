import Kube9Kit

/// The port dialog: opening it (Running pods only), editing both fields, validation and confirming.
extension AppUpdate {
    static func openPortDialog(_ key: PodKey, _ state: inout AppState, _ effects: inout [Effect]) {
        guard let pod = state.tree.pod(key) else { return }
        guard pod.isRunning else {
            state.message = MessageLine(.error, Messages.podNotRunning(pod: pod.name, phase: pod.phase.rawValue))
            return
        }
        var dialog = PortDialogState(pod: pod, context: key.context)
        if dialog.options.isEmpty {
            dialog.selectedOption = 0
            dialog.focus = .remote
        }
        state.dialog = dialog
        followRemote(&state, &effects)
    }

    static func openServiceDialog(
        context: String, namespace: String, name: String, _ state: inout AppState, _ effects: inout [Effect]
    ) {
        guard let service = state.tree.service(context: context, namespace: namespace, name: name) else { return }
        var dialog = PortDialogState(service: service, context: context)
        dialog.namespace = namespace
        state.dialog = dialog
        followRemote(&state, &effects)
    }

    static func handleDialogKey(_ key: Key, _ state: inout AppState, _ effects: inout [Effect]) {
        guard var dialog = state.dialog else { return }
        switch key {
        case .escape:
            state.dialog = nil
            return
        case .enter:
            confirmDialog(&state, &effects)
            return
        case .tab:
            if dialog.focus == .local, dialog.suggestion != nil {
                takeSuggestion(&state, &effects)
                return
            }
            dialog.focus = dialog.focus == .remote ? .local : .remote
            state.dialog = dialog
            return
        case .backTab:
            dialog.focus = dialog.focus == .remote ? .local : .remote
            state.dialog = dialog
            return
        default:
            break
        }
        if dialog.focus == .remote {
            handleRemoteKey(key, &state, &effects)
        } else {
            handleLocalKey(key, &state, &effects)
        }
    }

    static func handleRemoteKey(_ key: Key, _ state: inout AppState, _ effects: inout [Effect]) {
        guard var dialog = state.dialog else { return }
        let last = dialog.options.count
        switch key {
        case .up, .character("k"):
            guard dialog.selectedOption > 0 else { return }
            dialog.selectedOption -= 1
        case .down, .character("j"):
            guard dialog.selectedOption < last else { return }
            dialog.selectedOption += 1
        case .home:
            dialog.selectedOption = 0
        case .end:
            dialog.selectedOption = last
        case .character(let character) where PortText.isDigit(character):
            dialog.selectedOption = last
            if dialog.customText.count < PortText.maximumLength {
                dialog.customText.append(character)
                dialog.note = nil
            } else {
                dialog.note = Messages.portTooLarge
            }
        case .backspace:
            guard dialog.isCustomSelected, !dialog.customText.isEmpty else { return }
            dialog.customText.removeLast()
            dialog.note = nil
        case .control("u"):
            guard dialog.isCustomSelected else { return }
            dialog.customText = ""
            dialog.note = nil
        case .character:
            dialog.note = Messages.portNotNumber
            state.dialog = dialog
            return
        default:
            return
        }
        state.dialog = dialog
        followRemote(&state, &effects)
    }

    /// While the person has not typed a local port, it follows the remote port (and gets checked).
    static func followRemote(_ state: inout AppState, _ effects: inout [Effect]) {
        guard var dialog = state.dialog, !dialog.localEdited else { return }
        switch dialog.remotePort {
        case .success(let port):
            dialog.localText = String(port)
        case .failure:
            dialog.localText = dialog.isCustomSelected ? dialog.customText : ""
        }
        state.dialog = dialog
        validateLocal(&state, &effects)
    }

    static func handleLocalKey(_ key: Key, _ state: inout AppState, _ effects: inout [Effect]) {
        guard var dialog = state.dialog else { return }
        switch key {
        case .character(let character) where PortText.isDigit(character):
            guard dialog.localText.count < PortText.maximumLength else {
                dialog.note = Messages.portTooLarge
                state.dialog = dialog
                return
            }
            dialog.localText.append(character)
        case .character("y"), .character("Y"):
            if dialog.suggestion != nil { takeSuggestion(&state, &effects) }
            return
        case .backspace:
            guard !dialog.localText.isEmpty else { return }
            dialog.localText.removeLast()
        case .control("u"):
            dialog.localText = ""
        case .character:
            dialog.note = Messages.portNotNumber
            state.dialog = dialog
            return
        default:
            return
        }
        dialog.localEdited = true
        dialog.note = nil
        state.dialog = dialog
        validateLocal(&state, &effects)
    }

    /// Parses the local field and asks the manager whether the port is free.
    static func validateLocal(_ state: inout AppState, _ effects: inout [Effect]) {
        guard var dialog = state.dialog else { return }
        switch PortText.parse(dialog.localText) {
        case .success(let port):
            dialog.localStatus = .checking(port)
            effects.append(.checkLocalPort(port))
        case .failure(.empty):
            dialog.localStatus = .empty
        case .failure(let error):
            dialog.localStatus = .invalid(error.message)
        }
        state.dialog = dialog
    }

    static func takeSuggestion(_ state: inout AppState, _ effects: inout [Effect]) {
        guard var dialog = state.dialog, let suggestion = dialog.suggestion else { return }
        dialog.localText = String(suggestion)
        dialog.localEdited = true
        dialog.note = nil
        state.dialog = dialog
        validateLocal(&state, &effects)
    }

    /// The manager's answer about a local port; stale answers (the field changed since) are ignored.
    static func portChecked(_ port: Int, _ check: LocalPortCheck, _ state: inout AppState, _ effects: inout [Effect]) {
        guard var dialog = state.dialog, case .checking(let asked) = dialog.localStatus, asked == port else { return }
        switch check {
        case .available:
            dialog.localStatus = .available(port)
        case .inUse(let suggestion):
            dialog.localStatus = .unavailable(port: port, message: Messages.portInUse(port: port, suggestion: suggestion), suggestion: suggestion)
        case .privileged(let suggestion):
            dialog.localStatus = .unavailable(
                port: port, message: Messages.portPrivileged(port: port, suggestion: suggestion), suggestion: suggestion)
        case .invalid(let message):
            dialog.localStatus = .invalid(message)
        }
        // Prefilled (not typed) and not free: fill in the manager's suggestion instead.
        if !dialog.localEdited, case .unavailable(_, _, let suggestion?) = dialog.localStatus {
            dialog.localText = String(suggestion)
            dialog.localEdited = false
            dialog.note = UIText.prefilledSuggestion(remote: port, local: suggestion)
            dialog.localStatus = .checking(suggestion)
            effects.append(.checkLocalPort(suggestion))
        }
        state.dialog = dialog
    }

    static func confirmDialog(_ state: inout AppState, _ effects: inout [Effect]) {
        guard var dialog = state.dialog else { return }
        let remote: Int
        switch dialog.remotePort {
        case .success(let port): remote = port
        case .failure(let error):
            dialog.note = error.message
            dialog.focus = .remote
            state.dialog = dialog
            return
        }
        let local: Int
        switch PortText.parse(dialog.localText) {
        case .success(let port): local = port
        case .failure(let error):
            dialog.note = error.message
            dialog.focus = .local
            state.dialog = dialog
            return
        }
        switch dialog.localStatus {
        case .unavailable(_, let message, _), .invalid(let message):
            dialog.note = message
            dialog.focus = .local
            state.dialog = dialog
            return
        default:
            break
        }
        let request = ForwardRequest(
            context: dialog.context, namespace: dialog.namespace, podName: dialog.podName, localPort: local, remotePort: remote,
            kind: dialog.kind)
        state.dialog = nil
        startForwards([request], &state, &effects)
    }
}

import Foundation
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
            dialog.focus = dialog.field(after: dialog.focus, step: 1)
            state.dialog = dialog
            return
        case .backTab:
            dialog.focus = dialog.field(after: dialog.focus, step: -1)
            state.dialog = dialog
            return
        default:
            break
        }
        switch dialog.focus {
        case .remote: handleRemoteKey(key, &state, &effects)
        case .local: handleLocalKey(key, &state, &effects)
        case .address: handleAddressKey(key, &state)
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
        case .character(" "):
            toggleMark(&state, &effects)
            return
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

    /// Space on a container port: marks it (local port = remote, distinct from the other marks, then checked)
    /// or unmarks it.
    static func toggleMark(_ state: inout AppState, _ effects: inout [Effect]) {
        guard var dialog = state.dialog, !dialog.isCustomSelected else { return }
        let option = dialog.selectedOption
        if let index = dialog.marked.firstIndex(where: { $0.option == option }) {
            dialog.marked.remove(at: index)
        } else {
            let remote = dialog.options[option].port
            let local = freeLocal(from: remote, excluding: dialog.marked.map(\.local))
            dialog.marked.append(PortDialogState.MarkedPort(option: option, remote: remote, local: local, status: .checking(local)))
            effects.append(.checkLocalPort(local))
        }
        dialog.note = nil
        state.dialog = dialog
    }

    /// `port`, or the next one up that no other mark uses.
    static func freeLocal(from port: Int, excluding taken: [Int]) -> Int {
        var candidate = port
        while taken.contains(candidate) && candidate < 65535 { candidate += 1 }
        return candidate
    }

    /// The manager's answer for a marked port: free, or its suggestion (distinct from the other marks) checked next.
    static func markChecked(_ port: Int, _ check: LocalPortCheck, _ dialog: inout PortDialogState, _ effects: inout [Effect]) {
        for index in dialog.marked.indices {
            guard case .checking(let asked) = dialog.marked[index].status, asked == port else { continue }
            switch check {
            case .available:
                dialog.marked[index].status = .available(port)
            case .inUse(let suggestion?), .privileged(let suggestion?):
                let others = dialog.marked.enumerated().filter { $0.offset != index }.map(\.element.local)
                let next = freeLocal(from: suggestion, excluding: others + [port])
                dialog.marked[index].local = next
                dialog.marked[index].status = .checking(next)
                effects.append(.checkLocalPort(next))
            case .inUse(nil):
                dialog.marked[index].status = .unavailable(port: port, message: Messages.portInUse(port: port, suggestion: nil), suggestion: nil)
            case .privileged(nil):
                dialog.marked[index].status = .unavailable(port: port, message: Messages.portPrivileged(port: port, suggestion: nil), suggestion: nil)
            case .invalid(let message):
                dialog.marked[index].status = .invalid(message)
            }
        }
    }

    /// The address field: host names, IPs and comma lists (kubectl's `--address`).
    static func handleAddressKey(_ key: Key, _ state: inout AppState) {
        guard var dialog = state.dialog else { return }
        switch key {
        case .character(let character) where character.isLetter || character.isNumber || ".:,-".contains(character):
            guard dialog.addressText.count < 64 else { return }
            dialog.addressText.append(character)
        case .backspace:
            guard !dialog.addressText.isEmpty else { return }
            dialog.addressText.removeLast()
        case .control("u"):
            dialog.addressText = ""
        default:
            return
        }
        dialog.note = nil
        state.dialog = dialog
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
        guard var dialog = state.dialog else { return }
        markChecked(port, check, &dialog, &effects)
        state.dialog = dialog
        guard case .checking(let asked) = dialog.localStatus, asked == port else { return }
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
        let address = dialog.addressText.trimmingCharacters(in: .whitespaces)
        if let problem = ForwardAddress.problem(address) {
            dialog.note = problem
            dialog.focus = .address
            state.dialog = dialog
            return
        }
        if !dialog.marked.isEmpty {
            var requests: [ForwardRequest] = []
            for mark in dialog.marked {
                switch mark.status {
                case .available:
                    requests.append(ForwardRequest(
                        context: dialog.context, namespace: dialog.namespace, podName: dialog.podName,
                        localPort: mark.local, remotePort: mark.remote, kind: dialog.kind, address: address))
                case .unavailable(_, let message, _), .invalid(let message):
                    dialog.note = message
                    state.dialog = dialog
                    return
                case .checking, .empty:
                    dialog.note = UIText.checkingPort
                    state.dialog = dialog
                    return
                }
            }
            state.dialog = nil
            startOrConfirm(requests, &state, &effects)
            return
        }
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
            kind: dialog.kind, address: address)
        state.dialog = nil
        startOrConfirm([request], &state, &effects)
    }

    /// Loopback forwards start at once; others (reachable from other machines) ask first.
    static func startOrConfirm(_ requests: [ForwardRequest], _ state: inout AppState, _ effects: inout [Effect]) {
        if requests.allSatisfy(\.isLoopbackOnly) {
            startForwards(requests, &state, &effects)
        } else {
            state.confirmation = .exposeForwards(requests)
        }
    }
}

import Foundation
import Kube9Kit

/// The port dialog's own update: keys and the manager's port answers change the dialog and return what the app
/// must do (ask about a port, close, start forwards). `AppUpdate` only routes to it and runs the outcomes.
extension PortDialogState {
    public enum Input: Sendable, Equatable {
        case key(Key)
        /// The manager's answer about a local port (for the field or a marked port).
        case portChecked(port: Int, LocalPortCheck)
        /// A click on a port of the list (`options.count` is Custom…).
        case choose(option: Int)
        /// A click on a field.
        case focus(Field)
    }

    public enum Outcome: Sendable, Equatable {
        /// Ask the manager whether this local port is free (answered with `.portChecked`).
        case checkPort(Int)
        /// Close the dialog without starting anything.
        case cancel
        /// Close the dialog and start these forwards.
        case start([ForwardRequest])
    }

    /// What opening the dialog asks for: the local port (following the remote one unless prefilled) gets checked.
    public mutating func opened() -> [Outcome] {
        var outcomes: [Outcome] = []
        if localEdited { validateLocal(&outcomes) } else { followRemote(&outcomes) }
        return outcomes
    }

    public mutating func handle(_ input: Input) -> [Outcome] {
        var outcomes: [Outcome] = []
        switch input {
        case .key(let key): handleKey(key, &outcomes)
        case .portChecked(let port, let check): portChecked(port, check, &outcomes)
        case .choose(let option):
            focus = .remote
            guard (0...options.count).contains(option), option != selectedOption else { break }
            selectedOption = option
            followRemote(&outcomes)
        case .focus(let field):
            focus = field
        }
        return outcomes
    }

    private mutating func handleKey(_ key: Key, _ outcomes: inout [Outcome]) {
        switch key {
        case .escape:
            // One level back: a field to the port list, the Custom… field to the ports (typing kept), the list closes.
            if focus != .remote {
                focus = .remote
            } else if isCustomSelected, !options.isEmpty {
                selectedOption = 0
                followRemote(&outcomes)
            } else {
                outcomes.append(.cancel)
            }
            return
        case .enter:
            confirm(&outcomes)
            return
        case .tab:
            if focus == .local, suggestion != nil {
                takeSuggestion(&outcomes)
            } else {
                focus = field(after: focus, step: 1)
            }
            return
        case .backTab:
            focus = field(after: focus, step: -1)
            return
        default:
            break
        }
        switch focus {
        case .remote: handleRemoteKey(key, &outcomes)
        case .local: handleLocalKey(key, &outcomes)
        case .address: handleAddressKey(key)
        case .onDemand: handleOnDemandKey(key)
        }
    }

    /// `d` (anywhere but the address, where it is a letter) or Space on its row: on demand or not.
    private mutating func handleOnDemandKey(_ key: Key) {
        switch key {
        case .character(" "), .character("d"):
            onDemand.toggle()
            note = nil
        default:
            return
        }
    }

    private mutating func handleRemoteKey(_ key: Key, _ outcomes: inout [Outcome]) {
        let last = options.count
        switch key {
        case .up, .character("k"):
            guard selectedOption > 0 else { return }
            selectedOption -= 1
        case .down, .character("j"):
            guard selectedOption < last else { return }
            selectedOption += 1
        case .character(" "):
            toggleMark(&outcomes)
            return
        case .home:
            selectedOption = 0
        case .end:
            selectedOption = last
        case .character(let character) where PortText.isDigit(character):
            selectedOption = last
            if customText.count < PortText.maximumLength {
                customText.append(character)
                note = nil
            } else {
                note = Messages.portTooLarge
            }
        case .backspace:
            guard isCustomSelected, !customText.isEmpty else { return }
            customText.removeLast()
            note = nil
        case .control("u"):
            guard isCustomSelected else { return }
            customText = ""
            note = nil
        case .character("d"):
            handleOnDemandKey(key)
            return
        case .character:
            note = Messages.portNotNumber
            return
        default:
            return
        }
        followRemote(&outcomes)
    }

    /// Space on a container port: marks it (local port = remote, distinct from the other marks, then checked)
    /// or unmarks it.
    private mutating func toggleMark(_ outcomes: inout [Outcome]) {
        guard !isCustomSelected else { return }
        let option = selectedOption
        if let index = marked.firstIndex(where: { $0.option == option }) {
            marked.remove(at: index)
            recheckDuplicates(&outcomes)
        } else {
            let remote = options[option].port
            // The first mark keeps a local port typed for this port before; the others start at their remote port.
            let typed = marked.isEmpty && localEdited ? (try? PortText.parse(localText).get()) : nil
            let local = typed ?? Self.freeLocal(from: remote, excluding: marked.map(\.local))
            marked.append(MarkedPort(option: option, remote: remote, local: local, status: .checking(local)))
            outcomes.append(.checkPort(local))
        }
        note = nil
        localEdited = false
        followRemote(&outcomes)
    }

    /// What the manager's answer about `port` makes of the field or a mark, its suggestion passed through `suggesting`.
    private static func status(_ port: Int, _ check: LocalPortCheck, suggesting: (Int) -> Int = { $0 }) -> LocalStatus {
        switch check {
        case .available:
            .available(port)
        case .inUse(let offered):
            .unavailable(port: port, message: Messages.portInUse(port: port, suggestion: offered.map(suggesting)), suggestion: offered.map(suggesting))
        case .privileged(let offered):
            .unavailable(
                port: port, message: Messages.portPrivileged(port: port, suggestion: offered.map(suggesting)),
                suggestion: offered.map(suggesting))
        case .invalid(let message):
            .invalid(message)
        }
    }

    /// `port`, or the next one up that no other mark uses (the manager's check of it follows).
    private static func freeLocal(from port: Int, excluding taken: [Int]) -> Int {
        LocalPortProbe.firstFree(from: port, reserved: Set(taken)) ?? port
    }

    /// The manager's answer for a marked port: free, or its suggestion (distinct from the other marks) checked next.
    private mutating func markChecked(_ port: Int, _ check: LocalPortCheck, _ outcomes: inout [Outcome]) {
        for index in marked.indices {
            guard case .checking(let asked) = marked[index].status, asked == port else { continue }
            // The suggestion is one no other mark holds.
            let others = otherLocals(than: index) + [port]
            switch check {
            case .inUse(let suggestion?) where !marked[index].typed, .privileged(let suggestion?) where !marked[index].typed:
                // Not typed: the mark moves to the suggestion by itself.
                let next = Self.freeLocal(from: suggestion, excluding: others)
                marked[index].local = next
                marked[index].status = .checking(next)
                outcomes.append(.checkPort(next))
            default:
                marked[index].status = Self.status(port, check) { Self.freeLocal(from: $0, excluding: others) }
            }
        }
    }

    /// The address field: host names, IPs and comma lists (kubectl's `--address`).
    private mutating func handleAddressKey(_ key: Key) {
        switch key {
        case .character(let character) where character.isLetter || character.isNumber || ".:,-".contains(character):
            guard addressText.count < 64 else { return }
            addressText.append(character)
        case .backspace:
            guard !addressText.isEmpty else { return }
            addressText.removeLast()
        case .control("u"):
            addressText = ""
        default:
            return
        }
        note = nil
    }

    /// The marked port under the cursor, whose local port the Local field shows and edits.
    var selectedMark: Int? { marked.firstIndex { $0.option == selectedOption } }

    /// While the person has not typed a local port, it follows the remote port (and gets checked). On a marked port,
    /// the field is that port's local port.
    private mutating func followRemote(_ outcomes: inout [Outcome]) {
        if let index = selectedMark {
            showMark(index)
            return
        }
        if !marked.isEmpty {
            // Only the marked ports start: the field is theirs (a typed port for an unmarked one would go nowhere).
            localText = ""
            localStatus = .empty
            return
        }
        guard !localEdited else { return }
        switch remotePort {
        case .success(let port):
            localText = String(port)
        case .failure:
            localText = isCustomSelected ? customText : ""
        }
        validateLocal(&outcomes)
    }

    private mutating func showMark(_ index: Int) {
        localText = String(marked[index].local)
        localStatus = marked[index].status
    }

    private mutating func handleLocalKey(_ key: Key, _ outcomes: inout [Outcome]) {
        if selectedMark == nil, !marked.isEmpty, key != .character("d") {
            note = UIText.markBeforeLocal
            return
        }
        switch key {
        case .character(let character) where PortText.isDigit(character):
            guard localText.count < PortText.maximumLength else {
                note = Messages.portTooLarge
                return
            }
            localText.append(character)
        case .character("y"), .character("Y"):
            if suggestion != nil { takeSuggestion(&outcomes) }
            return
        case .character("d"):
            handleOnDemandKey(key)
            return
        case .backspace:
            guard !localText.isEmpty else { return }
            localText.removeLast()
        case .control("u"):
            localText = ""
        case .character:
            note = Messages.portNotNumber
            return
        default:
            return
        }
        note = nil
        if let index = selectedMark {
            editMark(index, &outcomes)
            return
        }
        localEdited = true
        validateLocal(&outcomes)
    }

    /// The Local field typed on a marked port: that port's local port, checked (and distinct from the others).
    private mutating func editMark(_ index: Int, _ outcomes: inout [Outcome]) {
        marked[index].typed = true
        switch PortText.parse(localText) {
        case .success(let port):
            marked[index].local = port
            if marked.enumerated().contains(where: { $0.offset != index && $0.element.local == port }) {
                marked[index].status = .invalid(Messages.localPortGivenTwice(port))
            } else {
                marked[index].status = .checking(port)
                outcomes.append(.checkPort(port))
            }
        case .failure(.empty):
            marked[index].status = .empty
        case .failure(let error):
            marked[index].status = .invalid(error.message)
        }
        recheckDuplicates(besides: index, &outcomes)
        localStatus = marked[index].status
    }

    /// The other marks' local ports than mark `index`'s.
    private func otherLocals(than index: Int) -> [Int] {
        marked.enumerated().filter { $0.offset != index }.map(\.element.local)
    }

    /// A mark that was refused for sharing a port it no longer shares is checked again.
    private mutating func recheckDuplicates(besides index: Int? = nil, _ outcomes: inout [Outcome]) {
        for other in marked.indices where other != index {
            guard case .invalid(Messages.localPortGivenTwice(marked[other].local)) = marked[other].status,
                !otherLocals(than: other).contains(marked[other].local)
            else { continue }
            marked[other].status = .checking(marked[other].local)
            outcomes.append(.checkPort(marked[other].local))
        }
    }

    /// Parses the local field and asks the manager whether the port is free.
    private mutating func validateLocal(_ outcomes: inout [Outcome]) {
        switch PortText.parse(localText) {
        case .success(let port):
            localStatus = .checking(port)
            outcomes.append(.checkPort(port))
        case .failure(.empty):
            localStatus = .empty
        case .failure(let error):
            localStatus = .invalid(error.message)
        }
    }

    private mutating func takeSuggestion(_ outcomes: inout [Outcome]) {
        guard let suggestion else { return }
        localText = String(suggestion)
        note = nil
        if let index = selectedMark {
            editMark(index, &outcomes)
            return
        }
        localEdited = true
        validateLocal(&outcomes)
    }

    /// The manager's answer about a local port; stale answers (the field changed since) are ignored.
    private mutating func portChecked(_ port: Int, _ check: LocalPortCheck, _ outcomes: inout [Outcome]) {
        let shownMark = selectedMark.map { (index: $0, local: marked[$0].local) }
        markChecked(port, check, &outcomes)
        if let shownMark {
            // Its answer; the field's text changes only when the mark moved to a suggested port.
            if marked[shownMark.index].local != shownMark.local { localText = String(marked[shownMark.index].local) }
            localStatus = marked[shownMark.index].status
            return
        }
        guard marked.isEmpty, case .checking(let asked) = localStatus, asked == port else { return }
        localStatus = Self.status(port, check)
        // Prefilled (not typed) and not free: fill in the manager's suggestion instead.
        if !localEdited, case .unavailable(_, _, let suggestion?) = localStatus {
            localText = String(suggestion)
            note = UIText.prefilledSuggestion(remote: port, local: suggestion)
            localStatus = .checking(suggestion)
            outcomes.append(.checkPort(suggestion))
        }
    }

    /// Enter: the forwards to start, or a note on the field that stops it (and the focus moved there).
    private mutating func confirm(_ outcomes: inout [Outcome]) {
        let address = addressText.trimmingCharacters(in: .whitespaces)
        if let problem = ForwardAddress.problem(address) {
            note = problem
            focus = .address
            return
        }
        if !marked.isEmpty {
            var requests: [ForwardRequest] = []
            for mark in marked {
                switch mark.status {
                case .available:
                    requests.append(request(local: mark.local, remote: mark.remote, address: address))
                case .unavailable(_, let message, _), .invalid(let message):
                    note = message
                    return
                case .checking, .empty:
                    note = UIText.checkingPort
                    return
                }
            }
            outcomes.append(.start(requests))
            return
        }
        let remote: Int
        switch remotePort {
        case .success(let port): remote = port
        case .failure(let error):
            note = error.message
            focus = .remote
            return
        }
        let local: Int
        switch PortText.parse(localText) {
        case .success(let port): local = port
        case .failure(let error):
            note = error.message
            focus = .local
            return
        }
        switch localStatus {
        case .unavailable, .invalid:
            // The status line under the field already says why (a note would say it twice).
            focus = .local
            return
        case .empty, .checking, .available:
            break
        }
        outcomes.append(.start([request(local: local, remote: remote, address: address)]))
    }

    private func request(local: Int, remote: Int, address: String) -> ForwardRequest {
        ForwardRequest(target, localPort: local, remotePort: remote, address: address, onDemand: onDemand, idleTimeout: idleTimeout)
    }
}

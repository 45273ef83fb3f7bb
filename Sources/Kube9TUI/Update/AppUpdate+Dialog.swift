import Kube9Kit

/// The port dialog: opening it (Running pods only) and running what its own update asks for.
extension AppUpdate {
    static func openPortDialog(_ key: PodKey, _ state: inout AppState, _ effects: inout [Effect]) {
        guard let pod = state.tree.pod(key) else { return }
        guard pod.isRunning else {
            state.message = MessageLine(.error, Messages.podNotRunning(pod: pod.name, phase: pod.phase.rawValue))
            return
        }
        open(PortDialogState(pod: pod, context: key.context), &state, &effects)
    }

    static func openServiceDialog(
        context: String, namespace: String, name: String, _ state: inout AppState, _ effects: inout [Effect]
    ) {
        guard let service = state.tree.service(context: context, namespace: namespace, name: name) else { return }
        var dialog = PortDialogState(service: service, context: context)
        dialog.namespace = namespace
        open(dialog, &state, &effects)
    }

    /// The dialog prefilled with `request` (its pod's or service's ports when they are loaded). `knownCheck`: what
    /// the manager already said of its local port (a start refused it), given to the dialog instead of asking again.
    static func openDialog(
        for request: ForwardRequest, knownCheck: LocalPortCheck? = nil, _ state: inout AppState, _ effects: inout [Effect]
    ) {
        let pod = request.kind == .pod
            ? state.tree.pod(PodKey(context: request.context, namespace: request.namespace, name: request.target.name)) : nil
        let service = request.kind == .service
            ? state.tree.service(context: request.context, namespace: request.namespace, name: request.target.name) : nil
        let known = knownCheck.map { (port: request.localPort, check: $0) }
        open(PortDialogState.prefilled(request, pod: pod, service: service), answering: known, &state, &effects)
    }

    static func open(
        _ dialog: PortDialogState, answering known: (port: Int, check: LocalPortCheck)? = nil, _ state: inout AppState,
        _ effects: inout [Effect]
    ) {
        var dialog = dialog
        var outcomes = dialog.opened()
        if let known, let index = outcomes.firstIndex(of: .checkPort(known.port)) {
            outcomes.remove(at: index)
            outcomes += dialog.handle(.portChecked(port: known.port, known.check))
        }
        state.dialog = dialog
        run(outcomes, &state, &effects)
    }

    /// Gives the input to the open dialog and runs what it asks for.
    static func sendToDialog(_ input: PortDialogState.Input, _ state: inout AppState, _ effects: inout [Effect]) {
        guard var dialog = state.dialog else { return }
        let outcomes = dialog.handle(input)
        state.dialog = dialog
        run(outcomes, &state, &effects)
    }

    static func run(_ outcomes: [PortDialogState.Outcome], _ state: inout AppState, _ effects: inout [Effect]) {
        let dialog = state.dialog
        for outcome in outcomes {
            switch outcome {
            case .checkPort(let port):
                effects.append(.checkLocalPort(port))
            case .cancel:
                state.dialog = nil
            case .start(let requests):
                state.dialog = nil
                startOrConfirm(requests, from: dialog, &state, &effects)
            }
        }
    }

    /// Loopback forwards start at once; others (reachable from other machines) ask first.
    static func startOrConfirm(
        _ requests: [ForwardRequest], from dialog: PortDialogState?, _ state: inout AppState, _ effects: inout [Effect]
    ) {
        if requests.allSatisfy(\.isLoopbackOnly) {
            startForwards(requests, &state, &effects)
        } else {
            state.confirmation = .exposeForwards(requests, dialog: dialog)
        }
    }
}

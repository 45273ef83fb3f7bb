import Kube9Kit

/// What the UI's control socket does: the backend's forwards, and what `kube9 stop` / `kube9 forward --attach`
/// change reaches the screen as if done there (the same events as the keys post).
enum UIControlActions {
    static func make(backend: any KubeBackend, inbox: EventInbox) -> ControlActions {
        ControlActions(
            forwards: { await backend.forwards() },
            stop: { id in
                let record = await backend.forwards().first { $0.id == id }
                let error = await backend.stopForward(id: id)
                if let record { inbox.post(.forwardStopped(record, error)) }
                return error
            },
            start: { request in
                let result = await backend.startForward(request)
                switch result {
                case .success(let record): inbox.post(.forwardStarted(request, record))
                case .failure(let error): inbox.post(.forwardFailed(request, error))
                }
                return result
            })
    }
}

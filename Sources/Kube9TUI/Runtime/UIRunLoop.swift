import Foundation
import Logging

/// How the UI ended.
public enum UIOutcome: Sendable, Equatable {
    case quit
    case signal(Int32)
    case failedToOpen(String)
}

/// The one thread that owns ncurses. It sleeps in poll() on stdin and the inbox pipe (no timer while nothing
/// on screen moves), drains keys and posted events, runs the update function, and draws once per batch.
final class UIRunLoop {
    private let screen: NcursesScreen
    private let inbox: EventInbox
    private let runner: EffectRunner
    private let logger: Logger
    private var state: AppState

    init(screen: NcursesScreen, inbox: EventInbox, runner: EffectRunner, state: AppState, logger: Logger) {
        self.screen = screen
        self.inbox = inbox
        self.runner = runner
        self.state = state
        self.logger = logger
    }

    /// Opens the terminal, runs until quit or a terminating signal, and always restores the terminal.
    static func runOnCurrentThread(inbox: EventInbox, runner: EffectRunner, options: AppOptions, kubeconfigLabel: String) -> UIOutcome {
        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        let screen: NcursesScreen
        do {
            screen = try NcursesScreen.open(noColor: noColor, mouse: options.mouse)
        } catch {
            return .failedToOpen(error.message)
        }
        defer { screen.close() }
        let state = AppState(
            size: screen.size, capabilities: screen.capabilities, now: Date(), kubeconfigLabel: kubeconfigLabel,
            isDemo: options.isDemo, contextOverride: options.initialContext)
        let loop = UIRunLoop(screen: screen, inbox: inbox, runner: runner, state: state, logger: options.logger)
        return loop.run()
    }

    func run() -> UIOutcome {
        perform(AppUpdate.initialEffects)
        screen.flush(ScreenView.render(state))
        var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0), pollfd(fd: inbox.readFD, events: Int16(POLLIN), revents: 0)]
        while true {
            let timeout = ScreenView.tickInterval(state).map { Int32($0 * 1000) } ?? -1
            fds[0].revents = 0
            fds[1].revents = 0
            let ready = poll(&fds, 2, timeout)
            if ready < 0 && errno != EINTR { logger.error("poll failed", metadata: ["errno": "\(errno)"]) }
            if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                // The terminal went away (the pane or ssh session closed): end as if hung up.
                return .signal(SIGHUP)
            }

            var events: [AppEvent] = [.tick(Date())]
            for signal in inbox.drainWakeups() {
                if signal == SIGWINCH {
                    events.append(.resize(screen.updateSize()))
                } else if signal == SIGTSTP {
                    events.append(.key(.control("z")))
                } else if SignalTrap.terminating.contains(signal) {
                    logger.info("signal received", metadata: ["signal": "\(signal)"])
                    return .signal(signal)
                }
            }
            events.append(contentsOf: inbox.drain())
            let keys = screen.readKeys()
            let size = screen.size
            if size != state.size { events.append(.resize(size)) }
            events.append(contentsOf: keys.map(AppEvent.key))

            for event in events {
                let (next, effects) = AppUpdate.update(state, event)
                state = next
                perform(effects)
            }
            if state.isQuitting { return .quit }
            screen.flush(ScreenView.render(state))
        }
    }

    private func perform(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .copyToClipboard(let text):
                screen.writeRaw(Clipboard.osc52(text))
                inbox.post(.copied(text))
            case .redraw:
                screen.forceRedraw()
            case .suspend:
                // The connected forwards go to a holder first (this thread waits: keys typed meanwhile stay for
                // the shell, as a job's typeahead does); if they cannot, kube9 does not stop.
                if let error = runner.holdForwardsWhileStopped() {
                    logger.error("not suspended", metadata: ["error": "\(error.message)"])
                    state = AppUpdate.update(state, .suspendFailed(error)).0
                    continue
                }
                logger.info("suspended")
                let size = screen.suspend()
                logger.info("resumed")
                let backend = runner.backend
                Task { await backend.releaseHeldForwards() }
                state = AppUpdate.update(state, .resize(size)).0
            case .quit:
                break
            default:
                runner.run(effect)
            }
        }
    }
}

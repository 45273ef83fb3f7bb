import Foundation

nonisolated(unsafe) private var signalPipeFD: Int32 = -1
nonisolated(unsafe) private var savedTerminal = termios()
nonisolated(unsafe) private var hasSavedTerminal = false

/// Signal handling for the full-screen UI. Installed before ncurses starts (so ncurses' own SIGINT handler,
/// which exits without cleanup, is never installed):
/// - SIGINT, SIGTERM, SIGHUP and SIGWINCH write their number into the inbox pipe; the UI thread wakes, stops
///   the forwards and restores the terminal (or redraws on SIGWINCH).
/// - SIGTSTP from outside (`kill -TSTP`; the terminal sends none in raw mode, Ctrl-Z arrives as a key) does the
///   same: the UI thread takes it as Ctrl-Z. (ncurses' own handler, never installed, would run on any thread.)
/// - Crash signals restore the saved terminal modes before the process dies, so a crash never leaves a raw tty.
public enum SignalTrap {
    /// Exit statuses for the signals that end kube9: 128 + the signal number, as shells report them.
    public static func exitStatus(for signal: Int32) -> Int32 { 128 + signal }

    public static let terminating: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    public static func install(pipeFD: Int32) {
        signalPipeFD = pipeFD
        if tcgetattr(0, &savedTerminal) == 0 { hasSavedTerminal = true }
        for signal in terminating + [SIGWINCH, SIGTSTP] { setHandler(signal, forwardToPipe) }
        for signal in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT] { setHandler(signal, restoreAndDie, oneShot: true) }
    }

    /// Puts the default dispositions back (after the UI closed).
    public static func uninstall() {
        for signal in terminating + [SIGWINCH, SIGTSTP, SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT] {
            Foundation.signal(signal, SIG_DFL)
        }
        signalPipeFD = -1
    }

    /// Stops kube9 as a shell's Ctrl-Z would (SIGTSTP, its default action) and returns when it is continued (`fg`,
    /// `bg`, SIGCONT). `raise` sends the signal to the calling thread, which stops inside the call: it cannot run on
    /// and take the terminal back before the stop, as a process-wide `kill(getpid(), …)` let the UI thread do while
    /// another thread took the signal. In an orphaned process group (no shell to continue it) the kernel drops
    /// SIGTSTP and this returns at once.
    public static func stopUntilContinued() {
        var stop = sigaction()
        stop.__sigaction_handler.sa_handler = SIG_DFL
        sigemptyset(&stop.sa_mask)
        var previous = sigaction()
        sigaction(SIGTSTP, &stop, &previous)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        sigaddset(&unblocked, SIGTSTP)
        var mask = sigset_t()
        pthread_sigmask(SIG_UNBLOCK, &unblocked, &mask)
        raise(SIGTSTP)
        pthread_sigmask(SIG_SETMASK, &mask, nil)
        sigaction(SIGTSTP, &previous, nil)
    }

    private static func setHandler(_ signal: Int32, _ handler: @convention(c) (Int32) -> Void, oneShot: Bool = false) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = oneShot ? Int32(bitPattern: UInt32(truncatingIfNeeded: SA_RESETHAND)) : 0
        sigaction(signal, &action, nil)
    }
}

private func forwardToPipe(_ signal: Int32) {
    var byte = UInt8(truncatingIfNeeded: signal)
    let saved = errno
    _ = write(signalPipeFD, &byte, 1)
    errno = saved
}

private func restoreAndDie(_ signal: Int32) {
    if hasSavedTerminal { tcsetattr(0, TCSANOW, &savedTerminal) }
    let reset: StaticString = "\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l\r\n"
    _ = write(1, reset.utf8Start, reset.utf8CodeUnitCount)
    raise(signal)
}

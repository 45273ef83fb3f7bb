import Foundation

/// Mouse reports and the selected row, for the UI tests (an extension: the shared helpers stay as they are).
extension TmuxSession {
    /// A left click at a 0-based cell, as the terminal reports it to ncurses (X10 encoding, which tmux-256color's
    /// `kmous=\E[M` names): a press then a release.
    func click(x: Int, y: Int) async throws {
        try await sendMouse(button: 0, x: x, y: y)
        try await sendMouse(button: 3, x: x, y: y)
    }

    /// The wheel: down (`true`) or up, one notch.
    func wheel(down: Bool, x: Int, y: Int) async throws {
        try await sendMouse(button: down ? 65 : 64, x: x, y: y)
    }

    /// A left click as xterm reports it in SGR mode (`\e[<0;X;YM` then `…m`, 1-based cells), for a kube9 whose
    /// TERM's `kmous` is `\e[<` (xterm-256color). Press and release go in one write, so ncurses sees one click.
    func sgrClick(x: Int, y: Int) async throws {
        let report = "\u{1B}[<0;\(x + 1);\(y + 1)M\u{1B}[<0;\(x + 1);\(y + 1)m"
        try await tmux(["send-keys", "-t", "main", "-H"] + report.utf8.map { String(format: "%02x", $0) })
    }

    /// The 0-based cell where `text` first appears on the screen (every cell one column wide up to it).
    func position(of text: String) async throws -> (x: Int, y: Int)? {
        for (y, line) in try await screen().split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let range = line.range(of: text) { return (line.distance(from: line.startIndex, to: range.lowerBound), y) }
        }
        return nil
    }

    private func sendMouse(button: Int, x: Int, y: Int) async throws {
        let bytes = [0x1B, 0x5B, 0x4D, 32 + button, 33 + x, 33 + y]
        try await tmux(["send-keys", "-t", "main", "-H"] + bytes.map { String(format: "%02x", $0) })
    }

    /// The screen's text lines and which one is drawn reversed (the tree's selection), from `capture-pane -e`.
    func selectedLine() async throws -> String? {
        let styled = try await tmux(["capture-pane", "-p", "-e", "-t", "main"])
        let plain = try await screen()
        let styledLines = styled.split(separator: "\n", omittingEmptySubsequences: false)
        let plainLines = plain.split(separator: "\n", omittingEmptySubsequences: false)
        // The title bar and the last two lines (message, status bar) are not rows of the tree.
        let reverse = /\x1B\[(?:[0-9]*;)*7(?:;[0-9]*)*m/
        for (index, line) in styledLines.enumerated()
        where index > 0 && index < plainLines.count - 3 && line.contains(reverse) {
            return String(plainLines[index])
        }
        return nil
    }

    /// Waits until the reversed line contains `text`; throws with the last screen at the deadline.
    @discardableResult
    func waitForSelection(containing text: String, timeout: Duration = .seconds(20)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = try await selectedLine(), line.contains(text) { return line }
            try await Task.sleep(for: .milliseconds(50))
        }
        let last = try await screen()
        throw TmuxError("timed out waiting for the selected row to contain \(text); selected: \(try await selectedLine() ?? "none"); the screen was:\n\(last)")
    }
}

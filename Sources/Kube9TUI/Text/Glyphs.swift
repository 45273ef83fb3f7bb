import Foundation
import Kube9Kit

/// The symbols the views draw, in a UTF-8 and a plain ASCII set (for non-UTF-8 locales).
public struct Glyphs: Sendable, Equatable {
    public var expanded: String
    public var collapsed: String
    public var arrow: String
    public var bullet: String
    public var ellipsis: String
    public var forwardBadge: String
    public var errorMark: String
    /// Before a forward listening on a non-loopback address.
    public var exposed: String
    /// Before a saved forward that is not running.
    public var stoppedSaved: String
    public var spinner: [String]
    public var custom: String
    public var loading: String
    public var up: String
    public var down: String
    public var boxHorizontal: Character
    public var boxVertical: Character
    public var boxCorners: [Character]  // top-left, top-right, bottom-left, bottom-right
    public var cursor: String
    public var keyHints: String
    private var phaseMarks: [PodPhase: String]

    public func phaseMark(_ phase: PodPhase) -> String { phaseMarks[phase] ?? "?" }

    public static let unicode = Glyphs(
        expanded: "▾", collapsed: "▸", arrow: "→", bullet: "•", ellipsis: "…", forwardBadge: "⚡", errorMark: "✗", exposed: "⚠", stoppedSaved: "○",
        spinner: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"], custom: UIText.custom, loading: UIText.loading,
        up: "▲", down: "▼", boxHorizontal: "─", boxVertical: "│", boxCorners: ["┌", "┐", "└", "┘"], cursor: "▏",
        keyHints: UIText.keyHints,
        phaseMarks: [.running: "●", .pending: "◌", .succeeded: "✓", .failed: "✗", .unknown: "?"])

    public static let ascii = Glyphs(
        expanded: "v", collapsed: ">", arrow: "->", bullet: "-", ellipsis: "...", forwardBadge: "[pf]", errorMark: "x", exposed: "!", stoppedSaved: "o",
        spinner: ["|", "/", "-", "\\"], custom: UIText.customASCII, loading: UIText.loadingASCII,
        up: "^", down: "v", boxHorizontal: "-", boxVertical: "|", boxCorners: ["+", "+", "+", "+"], cursor: "_",
        keyHints: UIText.keyHintsASCII,
        phaseMarks: [.running: "*", .pending: "~", .succeeded: "+", .failed: "x", .unknown: "?"])

    /// Replaces the UTF-8 arrow in a manager message when the terminal cannot show it.
    public func plain(_ text: String) -> String {
        self == .unicode ? text : text.replacingOccurrences(of: "→", with: "->").replacingOccurrences(of: "…", with: "...")
    }
}

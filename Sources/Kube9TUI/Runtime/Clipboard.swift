import Foundation

/// OSC 52: asks the terminal (through ssh and tmux too) to put text on the clipboard.
public enum Clipboard {
    public static func osc52(_ text: String) -> String {
        "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
    }
}

import Foundation

/// stdout / stderr lines of the headless commands, written at once (their output is often a pipe).
enum Output {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// A question on stderr, without a newline (the answer is typed after it).
    static func prompt(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

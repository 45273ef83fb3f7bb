import Testing
@testable import Kube9TUI

@Suite struct KeyDecoderTests {
    @Test func charactersAndControlKeys() {
        let keys = KeyDecoder.decode([.character(0x71), .character(3), .character(21), .character(9), .character(13), .character(10), .character(127), .character(0x26A1)])
        #expect(keys == [.character("q"), .control("c"), .control("u"), .tab, .enter, .enter, .backspace, .character("⚡")])
    }

    @Test func escapeAloneAndBeforeAKey() {
        #expect(KeyDecoder.decode([.character(27)]) == [.escape])
        #expect(KeyDecoder.decode([.character(27), .character(0x67)]) == [.escape, .character("g")])
        #expect(KeyDecoder.decode([.character(27), .character(27)]) == [.escape, .escape])
    }

    @Test func unknownEscapeSequencesAreDropped() {
        // ESC [ 1 ; 5 A (Ctrl-Up) then j
        let keys = KeyDecoder.decode([.character(27), .character(0x5B), .character(0x31), .character(0x3B), .character(0x35), .character(0x41), .character(0x6A)])
        #expect(keys == [.unknown, .character("j")])
    }

    @Test func ncursesKeyCodes() {
        #expect(KeyDecoder.decodeCode(0o403) == .up)
        #expect(KeyDecoder.decodeCode(0o402) == .down)
        #expect(KeyDecoder.decodeCode(0o404) == .left)
        #expect(KeyDecoder.decodeCode(0o405) == .right)
        #expect(KeyDecoder.decodeCode(0o523) == .pageUp)
        #expect(KeyDecoder.decodeCode(0o522) == .pageDown)
        #expect(KeyDecoder.decodeCode(0o541) == .backTab)
        #expect(KeyDecoder.decodeCode(0o512) == .delete)
        #expect(KeyDecoder.decodeCode(0o410 + 1) == .function(1))
        #expect(KeyDecoder.decodeCode(0o7777) == .unknown)
    }

    @Test func osc52EncodesBase64() {
        #expect(Clipboard.osc52("http://localhost:8080") == "\u{1B}]52;c;aHR0cDovL2xvY2FsaG9zdDo4MDgw\u{07}")
    }
}

import Testing
@testable import Kube9TUI

@Suite struct CellGridTests {
    @Test func writesAndClipsAtTheEdge() {
        var grid = CellGrid(width: 10, height: 2)
        let written = grid.write("hello world", x: 2, y: 0)
        #expect(written == 8)
        #expect(grid.lines() == ["  hello wo", ""])
    }

    @Test func wideCharactersTakeTwoCells() {
        var grid = CellGrid(width: 6, height: 1)
        grid.write("a日b", x: 0, y: 0)
        #expect(grid.line(0) == "a日b")
        #expect(grid[2, 0].content == .continuation)
        #expect(CharacterWidth.of("日本") == 4)
        #expect(CharacterWidth.of("⚡") == 2)
        #expect(CharacterWidth.of("é") == 1)
        #expect(CharacterWidth.of("e\u{301}") == 1)
    }

    @Test func aWideCharacterThatDoesNotFitLeavesABlank() {
        var grid = CellGrid(width: 3, height: 1)
        grid.write("ab日", x: 0, y: 0)
        #expect(grid.line(0) == "ab")
        #expect(grid[2, 0].content == .character(" "))
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var grid = CellGrid(width: 4, height: 1)
        grid.write("日本", x: 0, y: 0)
        grid.write("x", x: 1, y: 0)
        #expect(grid.line(0) == " x本")
    }

    @Test func controlCharactersFromTheClusterAreNeutralised() {
        var grid = CellGrid(width: 20, height: 1)
        grid.write("evil\u{1B}[2Jpod\n", x: 0, y: 0)
        #expect(grid.line(0) == "evil?[2Jpod?")
    }

    @Test func truncatesWithEllipsisOrASCIIFallback() {
        #expect(TextFitting.truncate("kube-system", toWidth: 6, ellipsis: "…") == "kube-…")
        #expect(TextFitting.truncate("kube-system", toWidth: 6, ellipsis: "...") == "kub...")
        #expect(TextFitting.truncate("short", toWidth: 6, ellipsis: "…") == "short")
        #expect(TextFitting.truncate("日本語テキスト", toWidth: 7, ellipsis: "…") == "日本語…")
    }

    @Test func segmentsAreCutWithAnEllipsis() {
        var grid = CellGrid(width: 12, height: 1)
        grid.write([Segment("abc"), Segment("defghijklmn", Theme.bold)], x: 0, y: 0, width: 8, ellipsis: "…")
        #expect(grid.line(0) == "abcdefg…")
        #expect(grid[4, 0].style == Theme.bold)
    }

    @Test func restyleKeepsText() {
        var grid = CellGrid(width: 5, height: 1)
        grid.write("abc", x: 0, y: 0)
        grid.restyle(x: 0, y: 0, width: 5) { $0.reversed }
        #expect(grid.line(0) == "abc")
        #expect(grid[4, 0].style.reverse)
    }

    @Test func wrapsAtSpaces() {
        #expect(Formatting.wrap("Stop all 3 active port forwards?", width: 12) == ["Stop all 3", "active port", "forwards?"])
    }

    @Test func uptimeFormats() {
        let t0 = Fixtures.start
        #expect(Formatting.uptime(from: t0, to: t0.addingTimeInterval(45)) == "45s")
        #expect(Formatting.uptime(from: t0, to: t0.addingTimeInterval(332)) == "5m 32s")
        #expect(Formatting.uptime(from: t0, to: t0.addingTimeInterval(7500)) == "2h 5m")
        #expect(Formatting.uptime(from: t0, to: t0.addingTimeInterval(3 * 86400 + 4 * 3600)) == "3d 4h")
        #expect(Formatting.uptime(from: t0, to: t0.addingTimeInterval(-5)) == "0s")
    }
}

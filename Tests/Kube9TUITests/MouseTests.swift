import Kube9Kit
import Testing
@testable import Kube9TUI

/// Clicks and the wheel on the tree, the dialog and menus (screen cells as ncurses reports them).
@Suite struct MouseTests {
    static func click(_ x: Int, _ y: Int, _ action: MouseEvent.Action = .click) -> Key { .mouse(MouseEvent(action, x: x, y: y)) }

    @Test func aClickSelectsAndOnTheExpanderOpensAt80x24And40x12() {
        for (width, height) in [(80, 24), (40, 12)] {
            var s = Fixtures.loaded(width: width, height: height)
            var effects: [Effect]
            // Row 5 on screen is queue-0 (title, Port Forwarding, dev, default, web-0, queue-0).
            (s, effects) = Fixtures.press(s, Self.click(12, 5))
            #expect(s.selectedRow?.id == .pod(context: "dev", namespace: "default", name: "queue-0"), "\(width)x\(height)")
            #expect(ScreenView.render(s)[0, 5].style.reverse)
            #expect(effects.isEmpty)
            // The ▸ of `kube-system` (depth 1: columns 2–3) opens it.
            s = Fixtures.press(s, .end).0
            let kubeSystem = s.rows.firstIndex { $0.id == .namespace(context: "dev", name: "kube-system") }!
            (s, effects) = Fixtures.press(s, Self.click(2, kubeSystem - s.scrollOffset + 1))
            #expect(effects == [.loadPods(context: "dev", namespace: "kube-system"), .followPods(NamespaceKey(context: "dev", namespace: "kube-system"))])
            #expect(s.selectedRow?.id == .namespace(context: "dev", name: "kube-system"))
            #expect(s.selectedRow?.isExpanded == true)
        }
    }

    @Test func aDoubleClickOpensOrActsAndTheWheelScrolls() {
        var s = Fixtures.loaded()
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, Self.click(20, 1, .doubleClick))
        #expect(s.selectedRow?.id == .forwardsCategory)
        #expect(s.selectedRow?.isExpanded == true)
        (s, _) = Fixtures.press(s, Self.click(20, 1, .doubleClick), Self.click(20, 4, .doubleClick))
        #expect(s.menu?.target == .pod(context: "dev", namespace: "default", name: "web-0"))
        // A click on the menu's entry chooses it.
        let box = OverlayViews.menuBox(s.menu!, size: s.size)
        (s, effects) = Fixtures.press(s, Self.click(box.innerX + 2, box.innerY + 1))
        #expect(effects == [.copyToClipboard("web-0")])
        (s, _) = Fixtures.press(s, .home, Self.click(0, 3, .wheelDown))
        #expect(s.selection == 3)
        (s, _) = Fixtures.press(s, Self.click(0, 3, .wheelUp))
        #expect(s.selection == 0)
    }

    @Test func clicksInTheDialogChooseAPortAndAField() {
        for (width, height) in [(80, 24), (40, 12)] {
            var s = Fixtures.press(Fixtures.loaded(width: width, height: height), .down, .character("f")).0
            let layout = PortDialogView.layout(s.dialog!, size: s.size, glyphs: s.glyphs)
            var effects: [Effect]
            (s, effects) = Fixtures.press(s, Self.click(layout.options.x + 4, layout.options.y + 1))
            #expect(s.dialog?.selectedOption == 1, "\(width)x\(height)")
            #expect(effects == [.checkLocalPort(9090)])
            (s, _) = Fixtures.press(s, Self.click(layout.options.x + 4, layout.localRow))
            #expect(s.dialog?.focus == .local)
            let lines = Fixtures.lines(s)
            #expect(lines[layout.localRow].contains("▸ Local port  9090▏"))
            (s, _) = Fixtures.press(s, Self.click(layout.options.x + 4, layout.addressRow))
            #expect(s.dialog?.focus == .address)
        }
    }

    @Test func decoderTurnsTheShimsReportsIntoMouseKeys() {
        let keys = KeyDecoder.decode([.mouse(kind: 1, x: 3, y: 4), .mouse(kind: 4, x: 0, y: 0), .mouse(kind: 0, x: 1, y: 1)])
        #expect(keys == [Self.click(3, 4), Self.click(0, 0, .wheelDown)])
    }

    /// The text of `line` in the columns `range` (the confirmation's rows are one column per character).
    static func columns(_ line: String, _ range: Range<Int>) -> String {
        String(Array(line)[range])
    }

    @Test func aClickOnAConfirmationsButtonAnswersItAndOutsideIsEscAt80x24And40x12() {
        for (width, height) in [(80, 24), (40, 12)] {
            let size = "\(width)x\(height)"
            let asked = Fixtures.press(Fixtures.loaded(width: width, height: height, forwards: [Fixtures.forward()]), .down, .character("x")).0
            #expect(asked.confirmation == .stopForward(Fixtures.forward()), "\(size)")
            let layout = OverlayViews.confirmationLayout(asked.confirmation!, size: asked.size, glyphs: asked.glyphs)
            let lines = Fixtures.lines(asked)
            // The buttons are drawn where the clicks go, inside the box.
            #expect(Self.columns(lines[layout.buttonRow], layout.yes) == "[ y: yes ]", "\(size)")
            #expect(Self.columns(lines[layout.buttonRow], layout.no) == "[ n/Esc: no ]", "\(size)")
            #expect(layout.no.upperBound <= layout.box.x + layout.box.width - 1, "\(size)")
            #expect(lines.allSatisfy { CharacterWidth.of($0) <= width })
            #expect(ScreenView.render(asked)[layout.yes.lowerBound, layout.buttonRow].style.reverse)
            var (s, effects) = Fixtures.press(asked, Self.click(layout.yes.lowerBound + 3, layout.buttonRow))
            #expect(effects == [.stopForward(Fixtures.forward())], "\(size)")
            #expect(s.confirmation == nil)
            // No, a click elsewhere in the box, and the wheel: nothing stopped.
            (s, effects) = Fixtures.press(asked, Self.click(layout.no.upperBound - 1, layout.buttonRow))
            #expect(s.confirmation == nil && effects.isEmpty, "\(size)")
            (s, effects) = Fixtures.press(asked, Self.click(layout.box.x + 2, layout.box.y + 1), Self.click(layout.yes.lowerBound, layout.buttonRow, .wheelDown))
            #expect(s.confirmation == asked.confirmation && effects.isEmpty, "\(size)")
            // Outside the box: Esc (the question closes, the tree is not clicked).
            (s, effects) = Fixtures.press(asked, Self.click(0, height - 3))
            #expect(s.confirmation == nil && effects.isEmpty, "\(size)")
            #expect(s.selection == asked.selection)
        }
    }

    @Test func aClickOnYesQuitsAndOutsideAnExposeQuestionGoesBackToTheDialog() {
        var s = Fixtures.press(Fixtures.loaded(forwards: [Fixtures.forward()]), .character("q")).0
        var layout = OverlayViews.confirmationLayout(s.confirmation!, size: s.size, glyphs: s.glyphs)
        #expect(Fixtures.lines(s)[layout.buttonRow - 2].contains("Quit kube9 and stop 1 active port forward?"))
        var effects: [Effect]
        (s, effects) = Fixtures.press(s, Self.click(layout.yes.lowerBound, layout.buttonRow))
        #expect(effects == [.quit] && s.isQuitting)

        s = Fixtures.press(Fixtures.loaded(), .down, .character("f")).0
        s = Fixtures.run(s, [.portChecked(port: 80, .available), .key(.backTab), .key(.control("u"))] + Fixtures.type("0.0.0.0")).0
        let typed = s.dialog
        s = Fixtures.press(s, .enter).0
        #expect(s.confirmation != nil)
        layout = OverlayViews.confirmationLayout(s.confirmation!, size: s.size, glyphs: s.glyphs)
        (s, effects) = Fixtures.press(s, Self.click(layout.box.x + layout.box.width + 1, layout.box.y))
        #expect(s.confirmation == nil && effects.isEmpty)
        #expect(s.dialog == typed)
    }
}

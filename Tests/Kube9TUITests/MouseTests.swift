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
}

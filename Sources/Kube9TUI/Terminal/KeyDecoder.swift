import CNcurses

/// Turns what `get_wch` returns into `Key`s: characters, control keys, ncurses key codes, and ESC handling
/// (ESC is Escape unless it starts a CSI/SS3 sequence ncurses did not decode, which is dropped).
public enum KeyDecoder {
    /// One result of `get_wch`: a character (OK) or a key code (KEY_CODE_YES).
    public enum Input: Sendable, Equatable {
        case character(UInt32)
        case code(Int32)
        /// A mouse report as the shim classifies it (1 click, 2 double, 3 wheel up, 4 wheel down, 5 right click).
        case mouse(kind: Int32, x: Int, y: Int)
    }

    /// Decodes one burst of input (everything `get_wch` returned before ERR).
    public static func decode(_ inputs: [Input]) -> [Key] {
        var keys: [Key] = []
        var index = 0
        while index < inputs.count {
            let input = inputs[index]
            index += 1
            switch input {
            case .code(let code):
                keys.append(decodeCode(code))
            case .mouse(let kind, let x, let y):
                let actions: [Int32: MouseEvent.Action] = [
                    1: .click, 2: .doubleClick, 3: .wheelUp, 4: .wheelDown, 5: .rightClick,
                ]
                if let action = actions[kind] { keys.append(.mouse(MouseEvent(action, x: x, y: y))) }
            case .character(27):
                // ESC [ … final byte or ESC O x that ncurses did not know: a key kube9 does not use, dropped.
                // ESC followed by anything else is Escape, then that key (tmux sends both in one burst).
                guard index < inputs.count, case .character(let next) = inputs[index], next == 0x5B || next == 0x4F else {
                    keys.append(.escape)
                    continue
                }
                index += 1
                while index < inputs.count, case .character(let c) = inputs[index] {
                    index += 1
                    if next == 0x4F || (0x40...0x7E).contains(c) { break }
                }
                keys.append(.unknown)
            case .character(let value):
                keys.append(decodeCharacter(value))
            }
        }
        return keys
    }

    public static func decodeCharacter(_ value: UInt32) -> Key {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 8, 127: return .backspace
        case 27: return .escape
        case 1...26: return .control(Character(Unicode.Scalar(value + 96)!))
        case 0, 28...31: return .unknown
        default:
            guard let scalar = Unicode.Scalar(value), !(0x80...0x9F).contains(value) else { return .unknown }
            return .character(Character(scalar))
        }
    }

    public static func decodeCode(_ code: Int32) -> Key {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        default:
            for n in 1...12 where code == kube9_key_f(Int32(n)) { return .function(n) }
            return .unknown
        }
    }

    /// ncurses' resize pseudo-key.
    public static let resizeCode: Int32 = KEY_RESIZE
    /// ncurses' mouse pseudo-key (the event is read with getmouse).
    public static let mouseCode: Int32 = KEY_MOUSE
}

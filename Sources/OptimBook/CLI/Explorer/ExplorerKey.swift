import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
/// A key press as the explorer sees it, decoded from the bytes a terminal in raw mode sends.
///
/// Arrow keys arrive as escape sequences, `ESC [ A` (or `ESC O A` in application cursor
/// mode); Ctrl-C is byte 3 and Ctrl-D byte 4 (raw mode turns off their usual meaning, so the
/// explorer handles them itself).
///
/// ```swift
/// ExplorerKey.parse(Array("\u{1B}[Aq".utf8))    // [.up, .character("q")]
/// ```
public enum ExplorerKey: Sendable, Equatable {
    case character(Character)
    case up, down, left, right
    case escape
    case interrupt
    case endOfInput
    case enter
    /// Bytes that mean nothing to the explorer (other control keys, unknown sequences).
    case ignored

    public static func parse(_ bytes: [UInt8]) -> [ExplorerKey] {
        var keys: [ExplorerKey] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case 0x1B:
                // ESC [ X or ESC O X: a cursor key; ESC alone (or before something else): escape.
                if i + 2 < bytes.count, bytes[i + 1] == 0x5B || bytes[i + 1] == 0x4F {
                    var j = i + 2
                    // Skip parameters such as "1;5" of modified keys.
                    while j < bytes.count, (0x30...0x3F).contains(bytes[j]) { j += 1 }
                    guard j < bytes.count else { keys.append(.ignored); i = j; continue }
                    switch bytes[j] {
                    case 0x41: keys.append(.up)
                    case 0x42: keys.append(.down)
                    case 0x43: keys.append(.right)
                    case 0x44: keys.append(.left)
                    default: keys.append(.ignored)
                    }
                    i = j + 1
                } else {
                    keys.append(.escape)
                    i += 1
                }
                continue
            case 0x03: keys.append(.interrupt)
            case 0x04: keys.append(.endOfInput)
            case 0x0D, 0x0A: keys.append(.enter)
            case 0x20...0x7E: keys.append(.character(Character(Unicode.Scalar(b))))
            default: keys.append(.ignored)
            }
            i += 1
        }
        return keys
    }
}

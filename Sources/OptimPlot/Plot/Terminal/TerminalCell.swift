import Foundation

/// One character cell of a terminal drawing.
struct TerminalCell: Sendable, Equatable {
    var character: Character
    var ink: TerminalInk

    static let blank = TerminalCell(character: " ", ink: .plain)
}

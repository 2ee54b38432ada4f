import Foundation

/// A rectangle of character cells that drawings are composed on (frames, labels, the braille
/// plot area, panels side by side), printed with or without ANSI colours.
struct CellGrid: Sendable {
    private(set) var width: Int
    private(set) var rows: [[TerminalCell]]

    init(width: Int, height: Int) {
        self.width = max(width, 0)
        rows = Array(repeating: Array(repeating: .blank, count: self.width), count: max(height, 0))
    }

    var height: Int { rows.count }

    subscript(column: Int, row: Int) -> TerminalCell {
        get { rows[row][column] }
        set {
            guard row >= 0, row < rows.count, column >= 0, column < width else { return }
            rows[row][column] = newValue
        }
    }

    /// Writes `text` from `column` on `row`, cut at the right edge (one cell per character).
    mutating func write(_ text: String, column: Int, row: Int, ink: TerminalInk = .plain) {
        guard row >= 0, row < rows.count else { return }
        var c = column
        for ch in text {
            if c >= width { break }
            if c >= 0 { rows[row][c] = TerminalCell(character: ch, ink: ink) }
            c += 1
        }
    }

    /// Appends empty rows at the bottom.
    mutating func addRows(_ count: Int) {
        for _ in 0..<max(count, 0) { rows.append(Array(repeating: .blank, count: width)) }
    }

    /// Copies `other` with its top-left corner at (`column`, `row`), growing downwards if needed.
    mutating func paste(_ other: CellGrid, column: Int, row: Int) {
        if row + other.height > height { addRows(row + other.height - height) }
        for r in 0..<other.height {
            for c in 0..<other.width where column + c >= 0 && column + c < width {
                rows[row + r][column + c] = other.rows[r][c]
            }
        }
    }

    /// The rows as text: trailing blanks dropped, colours as ANSI escapes when `colour` is set.
    func lines(colour: Bool) -> [String] {
        rows.map { row in
            var end = row.count
            while end > 0, row[end - 1].character == " " { end -= 1 }
            var line = ""
            var current = TerminalInk.plain
            for cell in row[..<end] {
                if colour && cell.ink != current {
                    if current != .plain { line += ANSIColor.reset }
                    if cell.ink != .plain { line += ANSIColor.start(cell.ink) }
                    current = cell.ink
                }
                line.append(cell.character)
            }
            if colour && current != .plain { line += ANSIColor.reset }
            return line
        }
    }
}

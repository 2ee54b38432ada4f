import Foundation

/// How a character of a terminal drawing is coloured: a plot colour, the terminal's own
/// foreground made faint (`dim`, for grid lines), or plain (`TerminalInk.plain`).
///
/// On a monochrome terminal every ink prints the same; the drawing then tells series apart by
/// glyphs and line patterns instead (see `TerminalFigureRenderer`).
///
/// ```swift
/// let ink = TerminalInk(color: .tabOrange)
/// ANSIColor.start(ink)          // "\u{1B}[38;5;208m"
/// ```
struct TerminalInk: Sendable, Equatable {
    var color: PlotColor?
    var dim: Bool = false

    static let plain = TerminalInk(color: nil)
    static let faint = TerminalInk(color: nil, dim: true)
}

/// One character cell of a terminal drawing.
struct TerminalCell: Sendable, Equatable {
    var character: Character
    var ink: TerminalInk

    static let blank = TerminalCell(character: " ", ink: .plain)
}

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

/// ANSI escape sequences for `TerminalInk`, using the 256-colour palette (xterm, tmux and
/// every common terminal emulator understand it).
enum ANSIColor {
    static let reset = "\u{1B}[0m"

    static func start(_ ink: TerminalInk) -> String {
        var codes: [String] = []
        if ink.dim { codes.append("2") }
        if let c = ink.color, let index = paletteIndex(c) { codes.append("38;5;\(index)") }
        return codes.isEmpty ? "" : "\u{1B}[" + codes.joined(separator: ";") + "m"
    }

    /// The nearest entry of the xterm 6×6×6 colour cube or grey ramp; nil for near-black,
    /// which is left to the terminal's own foreground (black would vanish on a dark background).
    static func paletteIndex(_ c: PlotColor) -> Int? {
        let r = Int(c.red), g = Int(c.green), b = Int(c.blue)
        if 299 * r + 587 * g + 114 * b < 60_000 { return nil }
        let levels = [0, 95, 135, 175, 215, 255]
        func nearestLevel(_ v: Int) -> Int {
            var best = 0
            for k in levels.indices where abs(levels[k] - v) < abs(levels[best] - v) { best = k }
            return best
        }
        let (ri, gi, bi) = (nearestLevel(r), nearestLevel(g), nearestLevel(b))
        func distance(_ x: Int, _ y: Int, _ z: Int) -> Int { (x - r) * (x - r) + (y - g) * (y - g) + (z - b) * (z - b) }
        var bestIndex = 16 + 36 * ri + 6 * gi + bi
        var bestDistance = distance(levels[ri], levels[gi], levels[bi])
        for k in 0..<24 {
            let v = 8 + 10 * k
            let d = distance(v, v, v)
            if d < bestDistance { bestDistance = d; bestIndex = 232 + k }
        }
        return bestIndex
    }
}

/// Plain-text forms of the plot layer's SVG text markup.
enum TerminalText {
    /// Tick labels and titles without SVG markup: a superscript `<tspan>` (log-axis decades,
    /// `10<tspan …>−2</tspan>`) becomes Unicode superscripts (`10⁻²`), entities are decoded.
    static func plain(_ markup: String) -> String {
        var text = markup
        while let open = text.range(of: "<tspan"), let close = text.range(of: "</tspan>", range: open.upperBound..<text.endIndex),
              let bodyStart = text.range(of: ">", range: open.upperBound..<close.lowerBound) {
            let body = String(text[bodyStart.upperBound..<close.lowerBound])
            text.replaceSubrange(open.lowerBound..<close.upperBound, with: superscript(body))
        }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Digits and signs as superscripts (other characters unchanged).
    static func superscript(_ text: String) -> String {
        let map: [Character: Character] = ["0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶",
                                           "7": "⁷", "8": "⁸", "9": "⁹", "−": "⁻", "-": "⁻", "+": "⁺"]
        return String(text.map { map[$0] ?? $0 })
    }

    /// Cells a string occupies (one per character: the drawings use no wide characters).
    static func width(_ text: String) -> Int { text.count }

    /// `text` cut to `width` cells, ending in "…" when cut.
    static func fit(_ text: String, _ width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return String(text.prefix(max(width, 0))) }
        return String(text.prefix(width - 1)) + "…"
    }
}

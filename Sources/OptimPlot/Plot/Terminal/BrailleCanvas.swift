import Foundation

/// A drawing surface of `columns` × `rows` character cells, each holding a 2 × 4 block of
/// Unicode braille dots (U+2800–U+28FF), so lines are drawn at twice the horizontal and four
/// times the vertical resolution of the text. With the usual 1:2 cell shape the dots are
/// square, so one data unit can be the same length on both axes.
///
/// Three layers, from back to front: shading (one glyph per cell, shown only where the cell
/// has no dots), dots (one colour per cell: the ink of the last dot set there), and glyphs
/// (markers and text, which replace the cell).
///
/// Dot coordinates: x from 0 (left) to `2 columns − 1`, y from 0 (top) to `4 rows − 1`; a
/// dot's centre is at integer coordinates.
///
/// ```swift
/// var canvas = BrailleCanvas(columns: 20, rows: 5)
/// var phase = 0
/// canvas.line(from: (0, 19), to: (39, 0), ink: TerminalInk(color: .tabBlue), pattern: .solid, phase: &phase)
/// canvas.put("●", x: 39, y: 0, ink: .plain)
/// let grid = canvas.cells()            // a CellGrid to paste into a panel
/// ```
struct BrailleCanvas: Sendable {
    let columns: Int
    let rows: Int
    private var dots: [UInt8]
    private var dotInk: [TerminalInk]
    private var glyphs: [TerminalCell?]
    private var shading: [TerminalCell?]

    init(columns: Int, rows: Int) {
        self.columns = max(columns, 1)
        self.rows = max(rows, 1)
        let n = self.columns * self.rows
        dots = Array(repeating: 0, count: n)
        dotInk = Array(repeating: .plain, count: n)
        glyphs = Array(repeating: nil, count: n)
        shading = Array(repeating: nil, count: n)
    }

    var dotWidth: Int { columns * 2 }
    var dotHeight: Int { rows * 4 }

    /// Bit of dot (dx, dy) inside a cell, in Unicode's braille numbering.
    private static let bits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    /// Sets one dot; dots outside the canvas are ignored.
    mutating func set(_ x: Int, _ y: Int, ink: TerminalInk) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let cell = (y / 4) * columns + x / 2
        dots[cell] |= Self.bits[x % 2][y % 4]
        dotInk[cell] = ink
    }

    /// True when the dot is set.
    func isSet(_ x: Int, _ y: Int) -> Bool {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return false }
        return dots[(y / 4) * columns + x / 2] & Self.bits[x % 2][y % 4] != 0
    }

    /// Number of dots set in a rectangle of cells (used to place things where they hide least).
    func dotCount(columns c: Range<Int>, rows r: Range<Int>) -> Int {
        var n = 0
        for row in r where row >= 0 && row < rows {
            for col in c where col >= 0 && col < columns {
                n += dots[row * columns + col].nonzeroBitCount
            }
        }
        return n
    }

    /// The dots of a straight segment between two points in dot coordinates (both ends
    /// included), one per step along the longer axis.
    static func raster(from a: (Double, Double), to b: (Double, Double)) -> [(Int, Int)] {
        let dx = b.0 - a.0, dy = b.1 - a.1
        let n = Int(min(max(abs(dx), abs(dy)), 100_000).rounded(.up))
        guard n > 0 else { return [(Int(a.0.rounded()), Int(a.1.rounded()))] }
        var out: [(Int, Int)] = []
        out.reserveCapacity(n + 1)
        for k in 0...n {
            let t = Double(k) / Double(n)
            out.append((Int((a.0 + t * dx).rounded()), Int((a.1 + t * dy).rounded())))
        }
        return out
    }

    /// A segment drawn with `pattern`; `phase` carries the pattern from one segment of a
    /// polyline to the next. `skipFirst` leaves out the first dot (the previous segment's end).
    /// Returns the dots visited (on or off), for callers that place glyphs along a line.
    @discardableResult
    mutating func line(from a: (Double, Double), to b: (Double, Double), ink: TerminalInk, pattern: DotPattern,
                       phase: inout Int, skipFirst: Bool = false) -> [(Int, Int)] {
        var visited = Self.raster(from: a, to: b)
        if skipFirst && visited.count > 1 { visited.removeFirst() }
        for (x, y) in visited {
            if pattern.isOn(phase) { set(x, y, ink: ink) }
            phase += 1
        }
        return visited
    }

    /// A glyph (marker, text character) replacing the cell that contains dot (x, y).
    mutating func put(_ glyph: Character, x: Int, y: Int, ink: TerminalInk) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        glyphs[(y / 4) * columns + x / 2] = TerminalCell(character: glyph, ink: ink)
    }

    /// Text from cell (`column`, `row`) to the right, cut at the edge.
    mutating func write(_ text: String, column: Int, row: Int, ink: TerminalInk) {
        guard row >= 0, row < rows else { return }
        var c = column
        for ch in text {
            if c >= columns { break }
            if c >= 0 { glyphs[row * columns + c] = TerminalCell(character: ch, ink: ink) }
            c += 1
        }
    }

    /// True when the cell carries a glyph.
    func hasGlyph(column: Int, row: Int) -> Bool {
        guard column >= 0, row >= 0, column < columns, row < rows else { return false }
        return glyphs[row * columns + column] != nil
    }

    /// Background shading of one cell, visible only where the cell has no dots and no glyph.
    mutating func shade(column: Int, row: Int, with glyph: Character, ink: TerminalInk) {
        guard column >= 0, row >= 0, column < columns, row < rows else { return }
        shading[row * columns + column] = TerminalCell(character: glyph, ink: ink)
    }

    /// The canvas as character cells.
    func cells() -> CellGrid {
        var grid = CellGrid(width: columns, height: rows)
        for r in 0..<rows {
            for c in 0..<columns {
                let k = r * columns + c
                if let g = glyphs[k] {
                    grid[c, r] = g
                } else if dots[k] != 0 {
                    grid[c, r] = TerminalCell(character: Character(Unicode.Scalar(0x2800 + UInt32(dots[k]))!), ink: dotInk[k])
                } else if let s = shading[k] {
                    grid[c, r] = s
                }
            }
        }
        return grid
    }
}

/// Which dots of a line are drawn, counted along the line: matplotlib's line styles at the
/// braille resolution.
struct DotPattern: Sendable, Equatable {
    /// Alternating on/off run lengths in dots, starting with "on"; empty means solid.
    var runs: [Int]

    static let solid = DotPattern(runs: [])
    static let dashed = DotPattern(runs: [4, 3])
    static let dotted = DotPattern(runs: [1, 2])
    static let dashDot = DotPattern(runs: [5, 2, 1, 2])
    /// Sparse dots: faint lines such as contours on a monochrome terminal.
    static let sparse = DotPattern(runs: [1, 1])

    init(runs: [Int]) { self.runs = runs }

    init(_ dash: DashStyle) {
        switch dash {
        case .solid, .none: self = .solid
        case .dashed: self = .dashed
        case .dotted: self = .dotted
        case .dashDot: self = .dashDot
        }
    }

    func isOn(_ phase: Int) -> Bool {
        guard !runs.isEmpty else { return true }
        let period = runs.reduce(0, +)
        var p = ((phase % period) + period) % period
        for (k, run) in runs.enumerated() {
            if p < run { return k % 2 == 0 }
            p -= run
        }
        return true
    }
}

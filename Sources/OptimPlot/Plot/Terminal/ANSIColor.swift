import Foundation

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

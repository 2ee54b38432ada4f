import Foundation

/// Dash patterns of matplotlib's line styles.
enum DashStyle: Sendable, Equatable {
    case solid, dashed, dashDot, dotted, none

    /// SVG `stroke-dasharray` for a line of this width (matplotlib scales patterns by the width).
    func dashArray(width: Double) -> String? {
        let w = max(width, 1)
        switch self {
        case .solid, .none: return nil
        case .dashed: return [3.7 * w, 1.6 * w].map(SVGFormat.number).joined(separator: ",")
        case .dashDot: return [6.4 * w, 1.6 * w, 1 * w, 1.6 * w].map(SVGFormat.number).joined(separator: ",")
        case .dotted: return [1 * w, 1.65 * w].map(SVGFormat.number).joined(separator: ",")
        }
    }
}

/// A parsed matplotlib format string such as `"m--"`, `"-o"`, `"o"` or `"k"`.
///
/// Grammar (as matplotlib): an optional colour letter, an optional marker, an optional
/// line style, in any order. A marker without a line style means "markers only"; no line
/// style and no marker means a solid line.
struct FormatString: Sendable, Equatable {
    var color: PlotColor?
    var dash: DashStyle
    var marker: Marker

    init(_ format: String) {
        var color: PlotColor? = nil
        var dash: DashStyle? = nil
        var marker: Marker = .none
        let chars = Array(format)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            if c == "-" && next == "-" { dash = .dashed; i += 2; continue }
            if c == "-" && next == "." { dash = .dashDot; i += 2; continue }
            if c == "-" { dash = .solid; i += 1; continue }
            if c == ":" { dash = .dotted; i += 1; continue }
            switch c {
            case "o": marker = .circle
            case ".": marker = .point
            case "s": marker = .square
            case "D", "d": marker = .diamond
            case "^": marker = .triangleUp
            case "v": marker = .triangleDown
            case "+": marker = .plus
            case "x": marker = .cross
            case "*": marker = .star
            default:
                if let col = PlotColor(letter: c) { color = col }
            }
            i += 1
        }
        self.color = color
        self.marker = marker
        self.dash = dash ?? (marker == .none ? .solid : .none)
    }
}

/// How one series is stroked and marked.
struct LineStyle: Sendable, Equatable {
    var color: PlotColor
    var dash: DashStyle
    var width: Double
    var marker: Marker
    var markerRadius: Double
}

import Foundation

/// Number and text formatting for SVG output, written by hand so the bytes do not depend on
/// locale or platform `printf`.
enum SVGFormat {
    /// Coordinates never leave this box; anything farther is clamped before formatting.
    static let coordinateLimit = 1.0e6

    /// At most two decimals, trailing zeros trimmed, no `-0`, no exponent:
    /// `number(3.14159)` is `"3.14"`, `number(-0.001)` is `"0"`, `number(2.5)` is `"2.5"`.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let clamped = min(max(value, -coordinateLimit), coordinateLimit)
        let scaled = (clamped * 100).rounded(.toNearestOrAwayFromZero)
        if scaled == 0 { return "0" }
        let negative = scaled < 0
        let n = Int64(abs(scaled))
        var s = negative ? "-" : ""
        s += String(n / 100)
        let frac = n % 100
        if frac != 0 {
            if frac % 10 == 0 {
                s += "." + String(frac / 10)
            } else {
                s += (frac < 10 ? ".0" : ".") + String(frac)
            }
        }
        return s
    }

    /// Text content or attribute value with XML's special characters escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // Control characters other than tab/newline are not allowed in XML 1.0.
                if ch.value < 0x20 && ch != "\t" && ch != "\n" { out += " " } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    /// Estimated width in pixels of `text` in the 10 px sans-serif font (used for layout only).
    static func textWidth(_ text: String, fontSize: Double = 10) -> Double {
        var w = 0.0
        for ch in text.unicodeScalars {
            switch ch {
            case "i", "l", "j", "t", "f", "r", "I", ".", ",", ":", ";", "'", "|", "!", "(", ")", "[", "]", " ":
                w += 0.33
            case "m", "w", "M", "W":
                w += 0.85
            case "A"..."Z":
                w += 0.68
            default:
                w += 0.56
            }
        }
        return w * fontSize
    }
}

/// A small append-only SVG builder.
struct SVGWriter {
    private(set) var text = ""

    mutating func raw(_ s: String) { text += s; text += "\n" }

    /// Drops points that lie within `tolerance` pixels of the line through their kept
    /// neighbours, so dense curves (2000 samples of a parabola) cost a few hundred points.
    /// Every dropped point is re-checked against each new candidate segment, so the error
    /// never accumulates beyond the tolerance. First and last points are always kept.
    static func simplify(_ points: [(Double, Double)], tolerance: Double = 0.08) -> [(Double, Double)] {
        guard points.count > 2 else { return points }
        func distance(_ p: (Double, Double), _ a: (Double, Double), _ b: (Double, Double)) -> Double {
            let dx = b.0 - a.0, dy = b.1 - a.1
            let len2 = dx * dx + dy * dy
            if len2 == 0 { return ((p.0 - a.0) * (p.0 - a.0) + (p.1 - a.1) * (p.1 - a.1)).squareRoot() }
            let t = min(max(((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2, 0), 1)
            let qx = a.0 + t * dx - p.0, qy = a.1 + t * dy - p.1
            return (qx * qx + qy * qy).squareRoot()
        }
        var kept = [points[0]]
        var skipped: [(Double, Double)] = []
        for i in 1..<(points.count - 1) {
            let candidate = points[i], next = points[i + 1]
            let anchor = kept[kept.count - 1]
            let ok = skipped.count < 64 && distance(candidate, anchor, next) <= tolerance
                && skipped.allSatisfy { distance($0, anchor, next) <= tolerance }
            if ok {
                skipped.append(candidate)
            } else {
                kept.append(candidate)
                skipped.removeAll(keepingCapacity: true)
            }
        }
        kept.append(points[points.count - 1])
        return kept
    }

    /// `points` as a path `M x y L x y ...` (simplified; repeated points after rounding dropped).
    static func pathData(_ points: [(Double, Double)], closed: Bool = false) -> String {
        var d = ""
        var lastText = ""
        var written = 0
        for p in simplify(points) {
            let text = SVGFormat.number(p.0) + " " + SVGFormat.number(p.1)
            if text == lastText { continue }
            d += (written == 0 ? "M" : (written == 1 ? " L" : " ")) + text
            lastText = text
            written += 1
        }
        if closed { d += " Z" }
        return d
    }

    mutating func path(_ d: String, stroke: PlotColor?, width: Double = 1, fill: PlotColor? = nil,
                       fillOpacity: Double? = nil, dash: String? = nil, extra: String = "") {
        var s = "<path d=\"\(d)\""
        s += " fill=\"\(fill?.svg ?? "none")\""
        if let o = fillOpacity { s += " fill-opacity=\"\(SVGFormat.number(o))\"" }
        if let c = stroke {
            s += " stroke=\"\(c.svg)\" stroke-width=\"\(SVGFormat.number(width))\""
            if let d = dash { s += " stroke-dasharray=\"\(d)\"" }
        }
        if !extra.isEmpty { s += " " + extra }
        s += "/>"
        raw(s)
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double,
                       stroke: PlotColor, width: Double, dash: String? = nil) {
        var s = "<line x1=\"\(SVGFormat.number(x1))\" y1=\"\(SVGFormat.number(y1))\" x2=\"\(SVGFormat.number(x2))\" y2=\"\(SVGFormat.number(y2))\" stroke=\"\(stroke.svg)\" stroke-width=\"\(SVGFormat.number(width))\""
        if let d = dash { s += " stroke-dasharray=\"\(d)\"" }
        raw(s + "/>")
    }

    enum Anchor: String { case start, middle, end }

    /// Text at (x, y); `baseline` shifts by a fraction of the font size so that 0.35 centres
    /// the text vertically (portable: no `dominant-baseline`).
    mutating func text(markup content: String, x: Double, y: Double, anchor: Anchor = .start,
                       fontSize: Double? = nil, color: PlotColor? = nil, rotate: Double? = nil,
                       centerVertically: Bool = false) {
        let size = fontSize ?? 10
        let yy = centerVertically ? y + 0.35 * size : y
        var s = "<text x=\"\(SVGFormat.number(x))\" y=\"\(SVGFormat.number(yy))\""
        if anchor != .start { s += " text-anchor=\"\(anchor.rawValue)\"" }
        if let f = fontSize { s += " font-size=\"\(SVGFormat.number(f))\"" }
        if let c = color, c != .black { s += " fill=\"\(c.svg)\"" }
        if let r = rotate {
            s += " transform=\"rotate(\(SVGFormat.number(r)) \(SVGFormat.number(x)) \(SVGFormat.number(y)))\""
        }
        if content.contains("\n") {
            // Several lines: one tspan per line, each restarting at x.
            let lines = content.split(separator: "\n", omittingEmptySubsequences: false)
            var body = ""
            for (k, line) in lines.enumerated() {
                body += "<tspan x=\"\(SVGFormat.number(x))\"" + (k == 0 ? "" : " dy=\"\(SVGFormat.number(size * 1.2))\"") + ">" + line + "</tspan>"
            }
            raw(s + ">" + body + "</text>")
        } else {
            raw(s + ">" + content + "</text>")
        }
    }
}

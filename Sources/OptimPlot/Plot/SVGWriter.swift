import Foundation

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

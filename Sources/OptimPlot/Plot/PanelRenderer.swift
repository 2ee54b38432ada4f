import Foundation

/// Draws one 2-D `Axes` into a pixel rectangle of the figure.
///
/// Order of drawing (back to front): optional grid, the elements in insertion order inside a
/// clip path, the frame, ticks and their labels, axis labels and title, texts and
/// annotations, the legend.
struct PanelRenderer {
    static let fontSize = 10.0
    static let tickLength = 3.5
    static let tickPad = 3.0
    static let frameColor = PlotColor(hex: 0x000000)

    let axes: Axes
    let region: PixelRect
    let maskVolatile: Bool
    let clipID: String
    /// When set, the panel is drawn as an animated twin: static series faint, animation
    /// tracks played with this timing.
    var animation: AnimationTiming? = nil

    /// Series that are drawn (masked volatile series are absent from the figure's bytes).
    func visible(_ s: Series) -> Bool { !(maskVolatile && s.volatileX) }

    // MARK: Limits

    /// Data range of one axis: all finite values (positive ones on a log axis) plus the
    /// "sticky" bounds of grids (contours, shaded regions) that take no margin.
    private func extent(x: Bool) -> (lo: Double, hi: Double, stickyLo: Double?, stickyHi: Double?)? {
        let scale = x ? axes.xScale : axes.yScale
        var lo = Double.infinity, hi = -Double.infinity
        var sLo: Double? = nil, sHi: Double? = nil
        func add(_ v: Double) {
            guard v.isFinite, scale == .linear || v > 0 else { return }
            lo = min(lo, v); hi = max(hi, v)
        }
        func sticky(_ r: ClosedRange<Double>) {
            add(r.lowerBound); add(r.upperBound)
            sLo = min(sLo ?? .infinity, r.lowerBound); sHi = max(sHi ?? -.infinity, r.upperBound)
        }
        for e in axes.elements {
            switch e {
            case .series(let s):
                if !visible(s) {
                    // Masked wall-clock x: its y values (reproducible) still set the y range,
                    // so a masked golden shows the same y axis as the live figure.
                    if !x { s.y.forEach(add) }
                    continue
                }
                // A point counts only if both its coordinates can be shown.
                let other = x ? axes.yScale : axes.xScale
                for i in s.x.indices {
                    let (v, w) = x ? (s.x[i], s.y[i]) : (s.y[i], s.x[i])
                    guard w.isFinite, other == .linear || w > 0 else { continue }
                    add(v)
                }
            case .reference(let vertical, let value, _):
                if vertical == x { add(value) }
            case .contour(let c): sticky(x ? c.xRange : c.yRange)
            case .fill(let f): sticky(x ? f.xRange : f.yRange)
            case .text, .annotation, .arrows, .boxes: continue
            }
        }
        guard lo <= hi else { return nil }
        return (lo, hi, sLo, sHi)
    }

    /// Limits like matplotlib's autoscale: 5 % margins (in log space on log axes), none on a
    /// side fixed by a sticky edge; a single value is widened; no data gives 0...1 (1...10 log).
    func limits(x: Bool) -> (Double, Double) {
        let scale = x ? axes.xScale : axes.yScale
        if let fixed = x ? axes.xLimits : axes.yLimits {
            var lo = fixed.lowerBound, hi = fixed.upperBound
            if scale == .log && lo <= 0 { lo = hi > 0 ? hi / 1000 : 1 }
            if scale == .log && hi <= lo { hi = lo * 10 }
            if hi <= lo { hi = lo + 1 }
            if lo.isFinite && hi.isFinite { return (lo, hi) }
        }
        guard let e = extent(x: x) else { return scale == .log ? (1, 10) : (0, 1) }
        if scale == .log {
            var a = log10(e.lo), b = log10(e.hi)
            if b - a < 1e-12 { a -= 1; b += 1 }
            let m = 0.05 * (b - a)
            let lo = e.stickyLo.map { $0 <= e.lo } == true ? a : a - m
            let hi = e.stickyHi.map { $0 >= e.hi } == true ? b : b + m
            return (pow(10, lo), pow(10, hi))
        }
        var a = e.lo, b = e.hi
        if b - a <= 1e-12 * max(abs(a), abs(b)) {
            if a == 0 { a = -0.05; b = 0.05 } else { a -= 0.05 * abs(a); b += 0.05 * abs(b) }
            return (a, b)
        }
        let m = 0.05 * (b - a)
        let lo = e.stickyLo.map { $0 <= e.lo } == true ? a : a - m
        let hi = e.stickyHi.map { $0 >= e.hi } == true ? b : b + m
        // Keep hi - lo finite even for values near the largest double.
        let bound = 4.0e307
        return (max(lo, -bound), min(hi, bound))
    }

    // MARK: Layout

    struct Layout {
        var plot: PixelRect
        var x: AxisMap
        var y: AxisMap
        var xTicks: [Tick]
        var yTicks: [Tick]
        /// Powers of ten the tick labels are divided by (nil: none).
        var xMultiplier: Int?
        var yMultiplier: Int?
    }

    static func ticks(_ lo: Double, _ hi: Double, scale: AxisScale, length: Double,
                      pixelsPerBin: Double, fixed: [Double]? = nil) -> (ticks: [Tick], multiplier: Int?) {
        if let fixed { return (Ticks.fixed(fixed, lo, hi), nil) }
        switch scale {
        case .log:
            return (Ticks.log(lo, hi), nil)
        case .linear:
            var bins = max(1, min(9, Int(length / pixelsPerBin)))
            var t = Ticks.linearWithMultiplier(lo, hi, bins: bins)
            while t.ticks.count < 2 && bins < 40 { bins *= 2; t = Ticks.linearWithMultiplier(lo, hi, bins: bins) }
            return t
        }
    }

    static func labelWidth(_ markup: String) -> Double {
        // Log labels carry a superscript tspan: count its text smaller.
        if let r = markup.range(of: "<tspan") {
            let base = String(markup[..<r.lowerBound])
            let sup = markup[r.upperBound...].split(separator: ">").dropFirst().first.map { String($0.split(separator: "<")[0]) } ?? ""
            return SVGFormat.textWidth(base) + SVGFormat.textWidth(sup, fontSize: 7)
        }
        return SVGFormat.textWidth(markup.replacingOccurrences(of: "&amp;", with: "&"))
    }

    func layout() -> Layout {
        var (xlo, xhi) = limits(x: true)
        var (ylo, yhi) = limits(x: false)
        let fs = Self.fontSize
        let baseTop = region.y0 + 8 + (axes.title == nil ? 0 : fs + 6)
        var top = baseTop
        let bottom = region.y1 - (Self.tickLength + Self.tickPad + fs + 4 + (axes.xLabel == nil ? 0 : fs + 4))
        var left = region.x0 + 40
        var right = region.x1 - 12
        if axes.legend == .outsideRight, let size = legendSize() { right -= size.width + Self.outsideLegendGap }
        var xTicks: [Tick] = [], yTicks: [Tick] = []
        var xMultiplier: Int? = nil, yMultiplier: Int? = nil
        for pass in 0..<3 {
            var h = bottom - top
            (yTicks, yMultiplier) = Self.ticks(ylo, yhi, scale: axes.yScale, length: h, pixelsPerBin: 28,
                                               fixed: axes.yTicks)
            top = baseTop + (yMultiplier == nil ? 0 : fs)
            h = bottom - top
            (yTicks, yMultiplier) = Self.ticks(ylo, yhi, scale: axes.yScale, length: h, pixelsPerBin: 28,
                                               fixed: axes.yTicks)
            let widest = yTicks.filter(\.major).map { Self.labelWidth($0.label) }.max() ?? 0
            left = region.x0 + 6 + (axes.yLabel == nil ? 0 : fs + 6) + widest + Self.tickPad + Self.tickLength
            let w = right - left
            (xTicks, xMultiplier) = Self.ticks(xlo, xhi, scale: axes.xScale, length: w, pixelsPerBin: 42,
                                               fixed: axes.xTicks)
            // Keep the last x tick label inside the panel.
            if let last = xTicks.last(where: \.major) {
                let m = AxisMap(lo: xlo, hi: xhi, scale: axes.xScale, p0: left, p1: right)
                if let p = m(last.value) {
                    let overhang = p + Self.labelWidth(last.label) / 2 + 2 - region.x1
                    if overhang > 0 { right -= overhang }
                }
            }
            if pass == 0 && axes.equalAspect && axes.xScale == .linear && axes.yScale == .linear {
                // Widen the axis with fewer units per pixel so both match.
                let ux = (xhi - xlo) / (right - left), uy = (yhi - ylo) / h
                if ux > uy {
                    let c = (ylo + yhi) / 2, half = ux * h / 2
                    ylo = c - half; yhi = c + half
                } else {
                    let c = (xlo + xhi) / 2, half = uy * (right - left) / 2
                    xlo = c - half; xhi = c + half
                }
            }
        }
        // Degenerate (tiny) panels still get a positive plot area.
        let plot = PixelRect(x0: left, y0: top, x1: max(right, left + 10), y1: max(bottom, top + 10))
        return Layout(plot: plot,
                      x: AxisMap(lo: xlo, hi: xhi, scale: axes.xScale, p0: plot.x0, p1: plot.x1),
                      y: AxisMap(lo: ylo, hi: yhi, scale: axes.yScale, p0: plot.y1, p1: plot.y0),
                      xTicks: xTicks, yTicks: yTicks, xMultiplier: xMultiplier, yMultiplier: yMultiplier)
    }

    // MARK: Drawing

    func render(into w: inout SVGWriter) {
        let L = layout()
        let plot = L.plot
        let fs = Self.fontSize
        // Clip region: the plot area; geometry is pre-clipped to a slightly larger box so that
        // stroke ends and markers at the border look right.
        w.raw("<defs><clipPath id=\"\(clipID)\"><rect x=\"\(SVGFormat.number(plot.x0))\" y=\"\(SVGFormat.number(plot.y0))\" width=\"\(SVGFormat.number(plot.width))\" height=\"\(SVGFormat.number(plot.height))\"/></clipPath></defs>")
        if axes.grid {
            w.raw("<g stroke=\"#b0b0b0\" stroke-width=\"0.8\" stroke-opacity=\"0.5\">")
            for t in L.xTicks where t.major { if let p = L.x(t.value) { w.raw("<line x1=\"\(SVGFormat.number(p))\" y1=\"\(SVGFormat.number(plot.y0))\" x2=\"\(SVGFormat.number(p))\" y2=\"\(SVGFormat.number(plot.y1))\"/>") } }
            for t in L.yTicks where t.major { if let p = L.y(t.value) { w.raw("<line x1=\"\(SVGFormat.number(plot.x0))\" y1=\"\(SVGFormat.number(p))\" x2=\"\(SVGFormat.number(plot.x1))\" y2=\"\(SVGFormat.number(p))\"/>") } }
            w.raw("</g>")
        }
        let clipBox = plot.inset(-10)
        w.raw("<g clip-path=\"url(#\(clipID))\">")
        for e in axes.elements {
            switch e {
            case .series(let s):
                if animation != nil && !axes.animationTracks.isEmpty {
                    w.raw("<g opacity=\"0.3\">")
                    drawSeries(s, L, clipBox, &w)
                    w.raw("</g>")
                } else {
                    drawSeries(s, L, clipBox, &w)
                }
            case .reference(let vertical, let value, let style):
                let p = vertical ? L.x(value) : L.y(value)
                guard let p else { continue }
                let dash = style.dash.dashArray(width: style.width)
                if vertical {
                    guard p >= plot.x0 - 1, p <= plot.x1 + 1 else { continue }
                    w.line(p, plot.y0, p, plot.y1, stroke: style.color, width: style.width, dash: dash)
                } else {
                    guard p >= plot.y0 - 1, p <= plot.y1 + 1 else { continue }
                    w.line(plot.x0, p, plot.x1, p, stroke: style.color, width: style.width, dash: dash)
                }
            case .contour(let c):
                for (level, polylines) in c.lines {
                    var d = ""
                    for line in polylines {
                        let pts = line.map { p -> (Double, Double)? in
                            guard let a = L.x(p.x), let b = L.y(p.y) else { return nil }
                            return (a, b)
                        }
                        for run in clipBox.clipPolyline(pts) {
                            d += (d.isEmpty ? "" : " ") + SVGWriter.pathData(run)
                        }
                    }
                    guard !d.isEmpty else { continue }
                    w.raw("<path class=\"contour\" data-level=\"\(SVGFormat.number(level))\" d=\"\(d)\" fill=\"none\" stroke=\"\(c.color.svg)\" stroke-width=\"1\"/>")
                }
            case .fill(let f):
                var d = ""
                for r in f.rects {
                    guard let xa = L.x(r[0]), let xb = L.x(r[1]), let ya = L.y(r[2]), let yb = L.y(r[3]) else { continue }
                    let x0 = max(min(xa, xb), clipBox.x0), x1 = min(max(xa, xb), clipBox.x1)
                    let y0 = max(min(ya, yb), clipBox.y0), y1 = min(max(ya, yb), clipBox.y1)
                    guard x1 > x0, y1 > y0 else { continue }
                    d += (d.isEmpty ? "" : " ") + "M\(SVGFormat.number(x0)) \(SVGFormat.number(y0))H\(SVGFormat.number(x1))V\(SVGFormat.number(y1))H\(SVGFormat.number(x0))Z"
                }
                if !d.isEmpty {
                    w.raw("<path class=\"fill\" d=\"\(d)\" fill=\"\(f.color.svg)\" fill-opacity=\"\(SVGFormat.number(f.opacity))\" stroke=\"none\"/>")
                }
            case .arrows(let a):
                drawArrows(a, L, clipBox, &w)
            case .boxes(let b):
                drawBoxes(b, L, clipBox, &w)
            case .text, .annotation:
                continue
            }
        }
        let player = animation.map { AnimationRenderer(timing: $0, steps: axes.animationTracks.map(\.steps).max() ?? 0) }
        if let player {
            let box = plot.inset(-12)
            for track in axes.animationTracks {
                let pts = player.pixels(track, map: { p in
                    guard let a = L.x(p.x), let b = L.y(p.y) else { return nil }
                    return (a, b)
                }, box: box)
                player.draw(track, pixels: pts, into: &w)
            }
        }
        w.raw("</g>")
        // Frame.
        w.raw("<rect class=\"frame\" x=\"\(SVGFormat.number(plot.x0))\" y=\"\(SVGFormat.number(plot.y0))\" width=\"\(SVGFormat.number(plot.width))\" height=\"\(SVGFormat.number(plot.height))\" fill=\"none\" stroke=\"#000000\" stroke-width=\"0.8\"/>")
        // Ticks (outside) and labels.
        var tickPath = ""
        for t in L.xTicks {
            guard let p = L.x(t.value) else { continue }
            let len = t.major ? Self.tickLength : 2
            tickPath += "M\(SVGFormat.number(p)) \(SVGFormat.number(plot.y1))v\(SVGFormat.number(len))"
        }
        for t in L.yTicks {
            guard let p = L.y(t.value) else { continue }
            let len = t.major ? Self.tickLength : 2
            tickPath += "M\(SVGFormat.number(plot.x0)) \(SVGFormat.number(p))h\(SVGFormat.number(-len))"
        }
        if !tickPath.isEmpty { w.raw("<path class=\"ticks\" d=\"\(tickPath)\" stroke=\"#000000\" stroke-width=\"0.8\"/>") }
        for t in L.xTicks where !t.label.isEmpty {
            guard let p = L.x(t.value) else { continue }
            w.text(markup: t.label, x: p, y: plot.y1 + Self.tickLength + Self.tickPad + fs * 0.8, anchor: .middle)
        }
        for t in L.yTicks where !t.label.isEmpty {
            guard let p = L.y(t.value) else { continue }
            w.text(markup: t.label, x: plot.x0 - Self.tickLength - Self.tickPad, y: p, anchor: .end, centerVertically: true)
        }
        if let e = L.xMultiplier {
            w.text(markup: "\u{00D7}" + Ticks.decadeLabel(e), x: plot.x1, y: region.y1 - 4, anchor: .end)
        }
        if let e = L.yMultiplier {
            w.text(markup: "\u{00D7}" + Ticks.decadeLabel(e), x: plot.x0, y: plot.y0 - 4, anchor: .start)
        }
        if let xl = axes.xLabel {
            w.text(markup: SVGFormat.escape(xl), x: (plot.x0 + plot.x1) / 2, y: region.y1 - 4, anchor: .middle)
        }
        if let yl = axes.yLabel {
            let x = region.x0 + 4 + fs * 0.8
            let y = (plot.y0 + plot.y1) / 2
            w.text(markup: SVGFormat.escape(yl), x: x, y: y, anchor: .middle, rotate: -90)
        }
        if let t = axes.title {
            w.text(markup: SVGFormat.escape(t), x: (plot.x0 + plot.x1) / 2, y: plot.y0 - 5, anchor: .middle, fontSize: 11)
        }
        // Texts and annotations (not clipped, like matplotlib's, but kept inside the panel).
        for e in axes.elements {
            switch e {
            case .text(let t):
                guard let px = L.x(t.x), let py = L.y(t.y), region.contains((px, py)) else { continue }
                w.text(markup: SVGFormat.escape(t.text), x: px, y: py, color: t.color)
            case .annotation(let a):
                drawAnnotation(a, L, &w)
            default: continue
            }
        }
        drawLegend(L, &w)
        if let player, !axes.animationTracks.isEmpty { player.drawCounter(region: region, into: &w) }
    }

    func mapped(_ s: Series, _ L: Layout) -> [(Double, Double)?] {
        s.x.indices.map { i in
            guard let a = L.x(s.x[i]), let b = L.y(s.y[i]) else { return nil }
            return (a, b)
        }
    }

    func drawSeries(_ s: Series, _ L: Layout, _ clipBox: PixelRect, _ w: inout SVGWriter) {
        guard visible(s) else {
            w.raw("<!-- series with volatile x masked -->")
            return
        }
        let pts = mapped(s, L)
        let st = s.style
        if st.dash != .none {
            var d = ""
            for run in clipBox.clipPolyline(pts) {
                d += (d.isEmpty ? "" : " ") + SVGWriter.pathData(run)
            }
            var attrs = "class=\"series\" d=\"\(d)\" fill=\"none\" stroke=\"\(st.color.svg)\" stroke-width=\"\(SVGFormat.number(st.width))\" stroke-linejoin=\"round\" stroke-linecap=\"\(st.dash == .solid ? "round" : "butt")\""
            if let dash = st.dash.dashArray(width: st.width) { attrs += " stroke-dasharray=\"\(dash)\"" }
            w.raw("<path \(attrs)/>")
        }
        if st.marker != .none {
            var d = ""
            for p in pts {
                guard let p, clipBox.contains(p) else { continue }
                d += (d.isEmpty ? "" : " ") + Self.markerPath(st.marker, at: p, radius: st.markerRadius)
            }
            let filled = ![Marker.plus, .cross].contains(st.marker)
            w.raw("<path class=\"markers\" d=\"\(d)\" fill=\"\(filled ? st.color.svg : "none")\" stroke=\"\(st.color.svg)\" stroke-width=\"1\"/>")
        }
    }

    func drawArrows(_ a: ArrowSet, _ L: Layout, _ clipBox: PixelRect, _ w: inout SVGWriter) {
        let n = SVGFormat.number
        var d = ""
        for (o, v) in zip(a.origins, a.vectors) {
            let tip = o + v
            guard let x0 = L.x(o.x), let y0 = L.y(o.y), let x1 = L.x(tip.x), let y1 = L.y(tip.y) else { continue }
            let dx = x1 - x0, dy = y1 - y0
            let len = (dx * dx + dy * dy).squareRoot()
            guard len > 0.5, let (p, q) = clipBox.clip((x0, y0), (x1, y1)) else { continue }
            d += (d.isEmpty ? "" : " ") + "M\(n(p.0)) \(n(p.1))L\(n(q.0)) \(n(q.1))"
            // A head only when the tip itself is visible.
            guard clipBox.contains((x1, y1)) else { continue }
            let ux = dx / len, uy = dy / len
            let head = min(5.0, len * 0.5), spread = 0.45
            let l1 = (x1 - head * (ux * cos(spread) - uy * sin(spread)), y1 - head * (uy * cos(spread) + ux * sin(spread)))
            let l2 = (x1 - head * (ux * cos(spread) + uy * sin(spread)), y1 - head * (uy * cos(spread) - ux * sin(spread)))
            d += " M\(n(l1.0)) \(n(l1.1))L\(n(x1)) \(n(y1)) \(n(l2.0)) \(n(l2.1))"
        }
        guard !d.isEmpty else { return }
        w.raw("<path class=\"arrows\" d=\"\(d)\" fill=\"none\" stroke=\"\(a.color.svg)\" stroke-width=\"\(n(a.width))\" stroke-linecap=\"round\"/>")
    }

    func drawBoxes(_ b: BoxSet, _ L: Layout, _ clipBox: PixelRect, _ w: inout SVGWriter) {
        let n = SVGFormat.number
        var d = ""
        for (c, h) in zip(b.centers, b.halfSizes) {
            guard let xa = L.x(c.x - h.x), let xb = L.x(c.x + h.x), let ya = L.y(c.y - h.y), let yb = L.y(c.y + h.y) else { continue }
            let x0 = max(min(xa, xb), clipBox.x0), x1 = min(max(xa, xb), clipBox.x1)
            let y0 = max(min(ya, yb), clipBox.y0), y1 = min(max(ya, yb), clipBox.y1)
            guard x1 > x0, y1 > y0 else { continue }
            d += (d.isEmpty ? "" : " ") + "M\(n(x0)) \(n(y0))H\(n(x1))V\(n(y1))H\(n(x0))Z"
        }
        guard !d.isEmpty else { return }
        w.raw("<path class=\"boxes\" d=\"\(d)\" fill=\"\(b.color.svg)\" fill-opacity=\"\(n(b.opacity))\" stroke=\"\(b.color.svg)\" stroke-width=\"0.8\"/>")
    }

    static func markerPath(_ m: Marker, at p: (Double, Double), radius r: Double) -> String {
        let n = SVGFormat.number
        let (x, y) = p
        switch m {
        case .none: return ""
        case .circle, .point:
            let rr = m == .point ? r * 0.5 : r
            return "M\(n(x - rr)) \(n(y))a\(n(rr)) \(n(rr)) 0 1 0 \(n(2 * rr)) 0a\(n(rr)) \(n(rr)) 0 1 0 \(n(-2 * rr)) 0Z"
        case .square:
            return "M\(n(x - r)) \(n(y - r))h\(n(2 * r))v\(n(2 * r))h\(n(-2 * r))Z"
        case .diamond:
            return "M\(n(x)) \(n(y - r))L\(n(x + r)) \(n(y)) \(n(x)) \(n(y + r)) \(n(x - r)) \(n(y))Z"
        case .triangleUp:
            return "M\(n(x)) \(n(y - r))L\(n(x + r)) \(n(y + r)) \(n(x - r)) \(n(y + r))Z"
        case .triangleDown:
            return "M\(n(x)) \(n(y + r))L\(n(x + r)) \(n(y - r)) \(n(x - r)) \(n(y - r))Z"
        case .plus:
            return "M\(n(x - r)) \(n(y))h\(n(2 * r))M\(n(x)) \(n(y - r))v\(n(2 * r))"
        case .cross:
            return "M\(n(x - r)) \(n(y - r))l\(n(2 * r)) \(n(2 * r))M\(n(x - r)) \(n(y + r))l\(n(2 * r)) \(n(-2 * r))"
        case .star:
            var d = ""
            for k in 0..<10 {
                let a = Double.pi / 2 + Double(k) * Double.pi / 5
                let rr = k % 2 == 0 ? r * 1.2 : r * 0.5
                d += (k == 0 ? "M" : " ") + n(x + rr * cos(a)) + " " + n(y - rr * sin(a))
            }
            return d + "Z"
        }
    }

    func drawAnnotation(_ a: Annotation, _ L: Layout, _ w: inout SVGWriter) {
        guard let tx = L.x(a.textX), let ty = L.y(a.textY), let px = L.x(a.x), let py = L.y(a.y),
              region.contains((tx, ty)) else { return }
        let lines = a.text.split(separator: "\n", omittingEmptySubsequences: false)
        let textWidth = lines.map { SVGFormat.textWidth(String($0)) }.max() ?? 0
        let textBottom = ty + 2 + Double(lines.count - 1) * Self.fontSize * 1.2
        w.text(markup: SVGFormat.escape(a.text), x: tx, y: ty)
        // The arrow starts at the edge of the text box nearest the target.
        let cx = tx + textWidth / 2, cy = (ty - 9 + textBottom) / 2
        let sx = min(max(px, tx), tx + textWidth), sy = min(max(py, ty - 9), textBottom)
        var start = (sx, sy)
        if abs(px - cx) < 1 && abs(py - cy) < 1 { start = (cx, cy) }
        let dx = px - start.0, dy = py - start.1
        let len = (dx * dx + dy * dy).squareRoot()
        guard len > 3, region.inset(-20).contains((px, py)) else { return }
        let ux = dx / len, uy = dy / len
        let head = 6.0, spread = 0.45
        let l1 = (px - head * (ux * cos(spread) - uy * sin(spread)), py - head * (uy * cos(spread) + ux * sin(spread)))
        let l2 = (px - head * (ux * cos(spread) + uy * sin(spread)), py - head * (uy * cos(spread) - ux * sin(spread)))
        let n = SVGFormat.number
        w.raw("<path class=\"arrow\" d=\"M\(n(start.0)) \(n(start.1))L\(n(px)) \(n(py))M\(n(l1.0)) \(n(l1.1))L\(n(px)) \(n(py)) \(n(l2.0)) \(n(l2.1))\" fill=\"none\" stroke=\"#000000\" stroke-width=\"1\"/>")
    }

    // MARK: Legend

    struct LegendEntry {
        var label: String
        var style: LineStyle
    }

    func legendEntries() -> [LegendEntry] {
        var out: [LegendEntry] = []
        for e in axes.elements {
            switch e {
            case .series(let s):
                if let l = s.label { out.append(LegendEntry(label: l, style: s.style)) }
            case .arrows(let a):
                if let l = a.label {
                    out.append(LegendEntry(label: l, style: LineStyle(color: a.color, dash: .solid, width: a.width, marker: .none, markerRadius: 0)))
                }
            case .boxes(let b):
                if let l = b.label {
                    out.append(LegendEntry(label: l, style: LineStyle(color: b.color, dash: .none, width: 1, marker: .square, markerRadius: 4)))
                }
            case .contour(let c):
                if let l = c.label {
                    out.append(LegendEntry(label: l, style: LineStyle(color: c.color, dash: .solid, width: 1, marker: .none, markerRadius: 0)))
                }
            default: continue
            }
        }
        return out
    }

    static let legendRow = 13.0, legendPad = 5.0, legendHandle = 20.0
    /// Space between the frame and a legend placed outside it.
    static let outsideLegendGap = 8.0

    /// Width and height of the legend box, nil without entries.
    func legendSize() -> (width: Double, height: Double)? {
        let entries = legendEntries()
        guard !entries.isEmpty else { return nil }
        let pad = Self.legendPad
        return (pad + Self.legendHandle + 5 + (entries.map { SVGFormat.textWidth($0.label) }.max() ?? 0) + pad,
                pad + Double(entries.count) * Self.legendRow + pad - 3)
    }

    func drawLegend(_ L: Layout, _ w: inout SVGWriter) {
        guard axes.legend != .none else { return }
        let entries = legendEntries()
        guard let size = legendSize() else { return }
        let row = Self.legendRow, pad = Self.legendPad, handle = Self.legendHandle
        let boxW = size.width, boxH = size.height
        let inset = 5.0
        let p = L.plot
        func box(_ pos: LegendPosition) -> PixelRect {
            switch pos {
            case .outsideRight:
                return PixelRect(x0: p.x1 + Self.outsideLegendGap, y0: p.y0, x1: p.x1 + Self.outsideLegendGap + boxW, y1: p.y0 + boxH)
            case .upperLeft: return PixelRect(x0: p.x0 + inset, y0: p.y0 + inset, x1: p.x0 + inset + boxW, y1: p.y0 + inset + boxH)
            case .lowerLeft: return PixelRect(x0: p.x0 + inset, y0: p.y1 - inset - boxH, x1: p.x0 + inset + boxW, y1: p.y1 - inset)
            case .lowerRight: return PixelRect(x0: p.x1 - inset - boxW, y0: p.y1 - inset - boxH, x1: p.x1 - inset, y1: p.y1 - inset)
            default: return PixelRect(x0: p.x1 - inset - boxW, y0: p.y0 + inset, x1: p.x1 - inset, y1: p.y0 + inset + boxH)
            }
        }
        var position = axes.legend
        if position == .best {
            let candidates: [LegendPosition] = [.upperRight, .upperLeft, .lowerLeft, .lowerRight]
            var best = candidates[0], bestScore = Int.max
            for c in candidates {
                let score = overlap(box(c), L)
                if score < bestScore { best = c; bestScore = score }
            }
            position = best
        }
        let b = box(position)
        let n = SVGFormat.number
        w.raw("<g class=\"legend\">")
        w.raw("<rect x=\"\(n(b.x0))\" y=\"\(n(b.y0))\" width=\"\(n(b.width))\" height=\"\(n(b.height))\" rx=\"2\" fill=\"#ffffff\" fill-opacity=\"0.8\" stroke=\"#cccccc\" stroke-width=\"0.8\"/>")
        for (k, e) in entries.enumerated() {
            let cy = b.y0 + pad + row * (Double(k) + 0.5)
            let st = e.style
            if st.dash != .none {
                var attrs = "x1=\"\(n(b.x0 + pad))\" y1=\"\(n(cy))\" x2=\"\(n(b.x0 + pad + handle))\" y2=\"\(n(cy))\" stroke=\"\(st.color.svg)\" stroke-width=\"\(n(st.width))\""
                if let dash = st.dash.dashArray(width: st.width) { attrs += " stroke-dasharray=\"\(dash)\"" }
                w.raw("<line class=\"legend-line\" \(attrs)/>")
            }
            if st.marker != .none {
                let filled = ![Marker.plus, .cross].contains(st.marker)
                w.raw("<path class=\"legend-marker\" d=\"\(Self.markerPath(st.marker, at: (b.x0 + pad + handle / 2, cy), radius: min(st.markerRadius, 4)))\" fill=\"\(filled ? st.color.svg : "none")\" stroke=\"\(st.color.svg)\" stroke-width=\"1\"/>")
            }
            w.text(markup: SVGFormat.escape(e.label), x: b.x0 + pad + handle + 5, y: cy, centerVertically: true)
        }
        w.raw("</g>")
    }

    /// How much of the data a legend box would hide: vertices of series inside it plus line
    /// segments crossing it.
    func overlap(_ box: PixelRect, _ L: Layout) -> Int {
        var count = 0
        for e in axes.elements {
            switch e {
            case .series(let s):
                guard visible(s) else { continue }
                let pts = mapped(s, L)
                var prev: (Double, Double)? = nil
                for p in pts {
                    if let p {
                        if box.contains(p) { count += 1 }
                        if let a = prev, s.style.dash != .none, box.clip(a, p) != nil { count += 1 }
                    }
                    prev = p
                }
            default:
                // Like matplotlib, contours and shaded regions do not steer the legend.
                continue
            }
        }
        return count
    }
}

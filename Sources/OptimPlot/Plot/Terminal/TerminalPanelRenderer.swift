import Foundation

/// Draws one 2-D `Axes` with text characters: a braille plot area in a box-drawing frame,
/// tick labels and axis labels in plain text, and the legend below the frame.
///
/// The limits, tick positions and tick labels come from the same code as the SVG
/// (`PanelRenderer.limits`, `Ticks`), so both renderings show the same ranges. The legend is
/// printed under the plot rather than in a corner: at character resolution a legend box would
/// hide a large part of the data.
///
/// Without colour, series are told apart by glyphs: each series gets its own marker glyph
/// (`●`, `■`, `▲`, …), and when a panel has several series, lines without markers carry their
/// glyph every few columns; contour lines are drawn with sparse dots, so paths stand out.
struct TerminalPanelRenderer {
    let axes: Axes
    let maskVolatile: Bool
    let colour: Bool

    /// Glyph of each marker shape.
    static func glyph(_ marker: Marker) -> Character {
        switch marker {
        case .none, .circle: return "●"
        case .point: return "•"
        case .square: return "■"
        case .diamond: return "◆"
        case .triangleUp: return "▲"
        case .triangleDown: return "▼"
        case .plus: return "+"
        case .cross: return "×"
        case .star: return "*"
        }
    }

    /// Series with more points than this draw their markers as dots, not glyphs: a glyph fills
    /// a whole cell, so a thousand of them would turn a smooth band into a staircase.
    static let denseMarkerCount = 80

    static func isDense(_ s: Series) -> Bool { s.style.marker != .none && s.x.count > denseMarkerCount }

    /// Glyphs handed out, in order, to tell series apart without colour.
    static let identityGlyphs: [Character] = ["●", "■", "▲", "◆", "▼", "×", "+", "*", "○", "□", "△", "◇"]

    struct Layout {
        /// Column of the frame's left edge (tick labels are to its left).
        var frameColumn: Int
        var plotColumns: Int
        var plotRows: Int
        var x: AxisMap
        var y: AxisMap
        var xTicks: [Tick]
        var yTicks: [Tick]
        var xMultiplier: Int?
        var yMultiplier: Int?
        var dotWidth: Int { plotColumns * 2 }
        var dotHeight: Int { plotRows * 4 }
    }

    func visible(_ s: Series) -> Bool { !(maskVolatile && s.volatileX) }

    /// Limits as the SVG computes them (the pixel region does not affect them).
    func limits() -> (x: (Double, Double), y: (Double, Double)) {
        let svg = PanelRenderer(axes: axes, region: PixelRect(x0: 0, y0: 0, x1: 350, y1: 250),
                                maskVolatile: maskVolatile, clipID: "")
        return (svg.limits(x: true), svg.limits(x: false))
    }

    func layout(width: Int, plotRows: Int) -> Layout {
        var ((xlo, xhi), (ylo, yhi)) = limits()
        let rows = max(plotRows, 2)
        var frameColumn = 1
        var plotColumns = 4
        var xTicks: [Tick] = [], yTicks: [Tick] = []
        var xMultiplier: Int? = nil, yMultiplier: Int? = nil
        for pass in 0..<3 {
            (yTicks, yMultiplier) = PanelRenderer.ticks(ylo, yhi, scale: axes.yScale, length: Double(rows),
                                                        pixelsPerBin: 3, fixed: axes.yTicks)
            let widest = yTicks.filter { $0.major }.map { TerminalText.plain($0.label).count }.max() ?? 0
            frameColumn = min(widest + 1, max(width / 3, 1))
            plotColumns = max(width - frameColumn - 2, 4)
            (xTicks, xMultiplier) = PanelRenderer.ticks(xlo, xhi, scale: axes.xScale, length: Double(plotColumns),
                                                        pixelsPerBin: 11, fixed: axes.xTicks)
            if pass == 0 && axes.equalAspect && axes.xScale == .linear && axes.yScale == .linear {
                // Braille dots are square: widen the axis with fewer units per dot.
                let ux = (xhi - xlo) / Double(2 * plotColumns), uy = (yhi - ylo) / Double(4 * rows)
                if ux > uy {
                    let c = (ylo + yhi) / 2, half = ux * Double(4 * rows) / 2
                    ylo = c - half; yhi = c + half
                } else {
                    let c = (xlo + xhi) / 2, half = uy * Double(2 * plotColumns) / 2
                    xlo = c - half; xhi = c + half
                }
            }
        }
        return Layout(frameColumn: frameColumn, plotColumns: plotColumns, plotRows: rows,
                      x: AxisMap(lo: xlo, hi: xhi, scale: axes.xScale, p0: 0, p1: Double(2 * plotColumns - 1)),
                      y: AxisMap(lo: ylo, hi: yhi, scale: axes.yScale, p0: Double(4 * rows - 1), p1: 0),
                      xTicks: xTicks, yTicks: yTicks, xMultiplier: xMultiplier, yMultiplier: yMultiplier)
    }

    // MARK: Identities

    /// How each series is marked: its glyph (markers, and stamps along marker-less lines when
    /// there is no colour to tell lines apart) and whether its line carries stamps.
    struct Identity {
        var glyph: Character
        var stamped: Bool
    }

    func identities() -> [Int: Identity] {
        var out: [Int: Identity] = [:]
        var used: [Character] = []
        let indices = axes.elements.indices.filter { k in
            if case .series(let s) = axes.elements[k] { return visible(s) || s.label != nil }
            return false
        }
        // Stamps only help when a legend names the lines: at least two labelled series.
        let labelled = indices.filter { k in
            if case .series(let s) = axes.elements[k] { return s.label != nil }
            return false
        }
        let stamping = !colour && axes.legend != .none && labelled.count >= 2
        for k in indices {
            guard case .series(let s) = axes.elements[k] else { continue }
            let stamped = stamping && s.label != nil && (s.style.marker == .none ? s.style.dash != .none : Self.isDense(s))
            var glyph = Self.glyph(s.style.marker)
            // Only series that show a glyph take one from the pool.
            guard s.style.marker != .none || stamped else {
                out[k] = Identity(glyph: glyph, stamped: false)
                continue
            }
            if !colour && used.contains(glyph) {
                glyph = Self.identityGlyphs.first { !used.contains($0) } ?? glyph
            }
            used.append(glyph)
            out[k] = Identity(glyph: glyph, stamped: stamped)
        }
        return out
    }

    /// Line patterns of arrow sets: their dash when there is colour, solid/dashed/dotted in
    /// turn otherwise.
    func arrowPatterns() -> [Int: DotPattern] {
        var out: [Int: DotPattern] = [:]
        var n = 0
        for (k, e) in axes.elements.enumerated() {
            guard case .arrows = e else { continue }
            out[k] = colour ? .solid : [DotPattern.solid, .dashed, .dotted][n % 3]
            n += 1
        }
        return out
    }

    // MARK: Drawing

    func ink(_ c: PlotColor) -> TerminalInk { TerminalInk(color: c) }

    func drawPlot(_ L: Layout) -> BrailleCanvas {
        var canvas = BrailleCanvas(columns: L.plotColumns, rows: L.plotRows)
        let clipBox = PixelRect(x0: -0.49, y0: -0.49, x1: Double(L.dotWidth) - 0.51, y1: Double(L.dotHeight) - 0.51)
        func map(_ x: Double, _ y: Double) -> (Double, Double)? {
            guard let a = L.x(x), let b = L.y(y) else { return nil }
            return (a, b)
        }
        func polyline(_ points: [(Double, Double)?], ink: TerminalInk, pattern: DotPattern) -> [(Int, Int)] {
            var visited: [(Int, Int)] = []
            var phase = 0
            for run in clipBox.clipPolyline(points) {
                for i in 1..<run.count {
                    visited += canvas.line(from: run[i - 1], to: run[i], ink: ink, pattern: pattern, phase: &phase,
                                           skipFirst: i > 1)
                }
            }
            return visited
        }
        if axes.grid && colour {
            // Faint dots along the grid lines at the major ticks, in the background layer, so
            // data drawn in a cell hides the grid there instead of merging with it (colour only:
            // without colour the dots would read as data).
            var columns: [Int] = [], rows: [Int] = []
            for t in L.xTicks where t.major {
                guard let p = L.x(t.value), p >= -0.5, p <= Double(L.dotWidth) - 0.5 else { continue }
                columns.append(Int(p.rounded()) / 2)
            }
            for t in L.yTicks where t.major {
                guard let p = L.y(t.value), p >= -0.5, p <= Double(L.dotHeight) - 0.5 else { continue }
                rows.append(Int(p.rounded()) / 4)
            }
            for r in rows { for c in Swift.stride(from: 0, to: L.plotColumns, by: 2) { canvas.shade(column: c, row: r, with: "·", ink: .faint) } }
            for c in columns { for r in 0..<L.plotRows { canvas.shade(column: c, row: r, with: "·", ink: .faint) } }
        }
        let ids = identities()
        let arrowPatterns = arrowPatterns()
        var fillIndex = 0
        var stampedSoFar = 0
        let stampedCount = ids.values.filter(\.stamped).count
        for (k, e) in axes.elements.enumerated() {
            switch e {
            case .series(let s):
                guard visible(s) else { continue }
                let pts = s.x.indices.map { map(s.x[$0], s.y[$0]) }
                let id = ids[k] ?? Identity(glyph: Self.glyph(s.style.marker), stamped: false)
                var visited: [(Int, Int)] = []
                if s.style.dash != .none {
                    visited = polyline(pts, ink: ink(s.style.color), pattern: DotPattern(s.style.dash))
                }
                if Self.isDense(s) {
                    // Each marker as a 2 × 2 block of dots: the path reads as a thick band, as in the SVG.
                    for p in pts {
                        guard let p, clipBox.contains(p) else { continue }
                        let x = Int(p.0.rounded(.down)), y = Int(p.1.rounded(.down))
                        for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] { canvas.set(x + dx, y + dy, ink: ink(s.style.color)) }
                        if s.style.dash == .none { visited.append((x, y)) }
                    }
                }
                if id.stamped, !visited.isEmpty {
                    // The series' glyph every `spacing` dots along the line, staggered per series.
                    let spacing = max(16, L.dotWidth / 3)
                    let offset = spacing / 2 + stampedSoFar * spacing / max(stampedCount, 1)
                    var i = offset % visited.count
                    while i < visited.count {
                        let (x, y) = visited[i]
                        if !canvas.hasGlyph(column: x / 2, row: y / 4) { canvas.put(id.glyph, x: x, y: y, ink: ink(s.style.color)) }
                        i += spacing
                    }
                    stampedSoFar += 1
                }
                if s.style.marker != .none && !Self.isDense(s) {
                    for p in pts {
                        guard let p, clipBox.contains(p) else { continue }
                        canvas.put(id.glyph, x: Int(p.0.rounded()), y: Int(p.1.rounded()), ink: ink(s.style.color))
                    }
                }
            case .reference(let vertical, let value, let style):
                guard let p = vertical ? L.x(value) : L.y(value) else { continue }
                var phase = 0
                if vertical {
                    guard p >= -0.5, p <= Double(L.dotWidth) - 0.5 else { continue }
                    canvas.line(from: (p, 0), to: (p, Double(L.dotHeight - 1)), ink: ink(style.color),
                                pattern: DotPattern(style.dash), phase: &phase)
                } else {
                    guard p >= -0.5, p <= Double(L.dotHeight) - 0.5 else { continue }
                    canvas.line(from: (0, p), to: (Double(L.dotWidth - 1), p), ink: ink(style.color),
                                pattern: DotPattern(style.dash), phase: &phase)
                }
            case .contour(let c):
                for (_, lines) in c.lines {
                    for line in lines {
                        _ = polyline(line.map { map($0.x, $0.y) }, ink: ink(c.color), pattern: colour ? .solid : .sparse)
                    }
                }
            case .fill(let f):
                let glyph: Character
                if colour {
                    glyph = f.opacity < 0.35 ? "░" : (f.opacity < 0.55 ? "▒" : "▓")
                } else {
                    glyph = ["░", "▒", "▓"][fillIndex % 3]
                }
                fillIndex += 1
                for r in f.rects {
                    guard let xa = L.x(r[0]), let xb = L.x(r[1]), let ya = L.y(r[2]), let yb = L.y(r[3]) else { continue }
                    // Cells whose centre dot position lies inside the rectangle.
                    let c0 = Int(((min(xa, xb) - 0.5) / 2).rounded(.up)), c1 = Int(((max(xa, xb) - 0.5) / 2).rounded(.down))
                    let r0 = Int(((min(ya, yb) - 1.5) / 4).rounded(.up)), r1 = Int(((max(ya, yb) - 1.5) / 4).rounded(.down))
                    let cols = max(c0, 0)...max(min(c1, L.plotColumns - 1), max(c0, 0))
                    let rowRange = max(r0, 0)...max(min(r1, L.plotRows - 1), max(r0, 0))
                    guard c0 <= c1, r0 <= r1, c0 < L.plotColumns, c1 >= 0, r0 < L.plotRows, r1 >= 0 else { continue }
                    for row in rowRange {
                        for col in cols { canvas.shade(column: col, row: row, with: glyph, ink: ink(f.color)) }
                    }
                }
            case .arrows(let a):
                let pattern = arrowPatterns[k] ?? .solid
                for (o, v) in zip(a.origins, a.vectors) {
                    let tip = o + v
                    guard let p0 = map(o.x, o.y), let p1 = map(tip.x, tip.y) else { continue }
                    drawArrow(&canvas, from: p0, to: p1, clipBox: clipBox, ink: ink(a.color), pattern: pattern)
                }
            case .boxes(let b):
                for (c, h) in zip(b.centers, b.halfSizes) {
                    guard let p0 = map(c.x - h.x, c.y - h.y), let p1 = map(c.x + h.x, c.y + h.y) else { continue }
                    let corners = [(p0.0, p0.1), (p1.0, p0.1), (p1.0, p1.1), (p0.0, p1.1), (p0.0, p0.1)]
                    _ = polyline(corners.map { Optional($0) }, ink: ink(b.color), pattern: .solid)
                }
            case .text, .annotation:
                continue
            }
        }
        // Texts and annotations last, over everything.
        for e in axes.elements {
            switch e {
            case .text(let t):
                guard let p = map(t.x, t.y), clipBox.contains(p) else { continue }
                canvas.write(t.text, column: Int(p.0.rounded()) / 2, row: Int(p.1.rounded()) / 4,
                             ink: t.color == .black ? .plain : ink(t.color))
            case .annotation(let a):
                drawAnnotation(&canvas, a, map: map, clipBox: clipBox)
            default:
                continue
            }
        }
        return canvas
    }

    func drawArrow(_ canvas: inout BrailleCanvas, from p0: (Double, Double), to p1: (Double, Double),
                   clipBox: PixelRect, ink: TerminalInk, pattern: DotPattern) {
        let dx = p1.0 - p0.0, dy = p1.1 - p0.1
        let len = (dx * dx + dy * dy).squareRoot()
        guard len > 0.5, let (a, b) = clipBox.clip(p0, p1) else { return }
        var phase = 0
        canvas.line(from: a, to: b, ink: ink, pattern: pattern, phase: &phase)
        guard clipBox.contains(p1), len >= 3 else { return }
        let ux = dx / len, uy = dy / len
        let head = min(3.0, len * 0.5), spread = 0.6
        for s in [spread, -spread] {
            let hx = p1.0 - head * (ux * cos(s) - uy * sin(s)), hy = p1.1 - head * (uy * cos(s) + ux * sin(s))
            var headPhase = 0
            canvas.line(from: (hx, hy), to: p1, ink: ink, pattern: .solid, phase: &headPhase)
        }
    }

    func drawAnnotation(_ canvas: inout BrailleCanvas, _ a: Annotation, map: (Double, Double) -> (Double, Double)?,
                        clipBox: PixelRect) {
        guard let t = map(a.textX, a.textY), let p = map(a.x, a.y) else { return }
        let lines = a.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let column = Int(t.0.rounded()) / 2, row = Int(t.1.rounded()) / 4
        let widest = lines.map(\.count).max() ?? 0
        // Keep the text inside the plot: move it left or up when it would run off the edge.
        let c0 = max(0, min(column, canvas.columns - widest))
        let r0 = max(0, min(row, canvas.rows - lines.count))
        // The arrow starts at the edge of the text box nearest the target (the part under the
        // text is hidden by it) and ends at the target with a head.
        let boxX0 = Double(2 * c0), boxX1 = Double(2 * (c0 + widest) - 1)
        let boxY0 = Double(4 * r0), boxY1 = Double(4 * (r0 + lines.count) - 1)
        let start = (min(max(p.0, boxX0), boxX1), min(max(p.1, boxY0), boxY1))
        if clipBox.inset(-4).contains(p), !(p.0 >= boxX0 && p.0 <= boxX1 && p.1 >= boxY0 && p.1 <= boxY1) {
            drawArrow(&canvas, from: start, to: p, clipBox: clipBox, ink: .plain, pattern: .solid)
        }
        for (k, line) in lines.enumerated() {
            canvas.write(line, column: c0, row: r0 + k, ink: .plain)
        }
    }

    // MARK: Legend

    struct LegendEntry {
        var handle: [TerminalCell]
        var label: String
    }

    func legendEntries() -> [LegendEntry] {
        let ids = identities()
        let arrowPatterns = arrowPatterns()
        func lineChars(_ dash: DashStyle) -> [Character] {
            switch dash {
            case .solid, .none: return ["─", "─", "─"]
            case .dashed: return ["╌", "╌", "╌"]
            case .dotted: return ["┈", "┈", "┈"]
            case .dashDot: return ["─", "·", "─"]
            }
        }
        func cells(_ chars: [Character], _ color: PlotColor) -> [TerminalCell] {
            chars.map { TerminalCell(character: $0, ink: TerminalInk(color: color)) }
        }
        var out: [LegendEntry] = []
        for (k, e) in axes.elements.enumerated() {
            switch e {
            case .series(let s):
                guard let label = s.label else { continue }
                let id = ids[k] ?? Identity(glyph: Self.glyph(s.style.marker), stamped: false)
                var chars: [Character] = s.style.dash == .none ? [" ", " ", " "] : lineChars(s.style.dash)
                if s.style.marker != .none || id.stamped { chars[1] = id.glyph }
                out.append(LegendEntry(handle: cells(chars, s.style.color), label: label))
            case .arrows(let a):
                guard let label = a.label else { continue }
                let pattern = arrowPatterns[k] ?? .solid
                let shaft: Character = pattern == .dashed ? "╌" : (pattern == .dotted ? "┈" : "─")
                out.append(LegendEntry(handle: cells([shaft, shaft, "→"], a.color), label: label))
            case .boxes(let b):
                guard let label = b.label else { continue }
                out.append(LegendEntry(handle: cells([" ", "□", " "], b.color), label: label))
            case .contour(let c):
                guard let label = c.label else { continue }
                out.append(LegendEntry(handle: cells(colour ? ["─", "─", "─"] : ["┈", "┈", "┈"], c.color), label: label))
            default:
                continue
            }
        }
        return out
    }

    /// The legend as rows of at most `width` cells: entries side by side, wrapped.
    func legendRows(width: Int) -> [[TerminalCell]] {
        guard axes.legend != .none else { return [] }
        var rows: [[TerminalCell]] = []
        var current: [TerminalCell] = []
        for entry in legendEntries() {
            let label = TerminalText.fit(entry.label, max(width - 4, 1))
            let item = entry.handle + [TerminalCell.blank] + label.map { TerminalCell(character: $0, ink: .plain) }
            if !current.isEmpty && current.count + 3 + item.count > width {
                rows.append(current)
                current = []
            }
            if !current.isEmpty { current += Array(repeating: TerminalCell.blank, count: 3) }
            current += item
        }
        if !current.isEmpty { rows.append(current) }
        return rows
    }

    // MARK: Composition

    /// The panel, `width` cells wide, with a plot area `plotRows` rows tall.
    func render(width: Int, plotRows: Int) -> CellGrid {
        let L = layout(width: width, plotRows: plotRows)
        let canvas = drawPlot(L)
        var grid = CellGrid(width: width, height: 0)
        let plotLeft = L.frameColumn + 1
        var row = 0

        // Header: title centred over the plot, y label (and its multiplier) at the left.
        var yHeader = axes.yLabel.map { TerminalText.plain($0) } ?? ""
        if let e = L.yMultiplier { yHeader += (yHeader.isEmpty ? "" : " ") + "×" + TerminalText.plain(Ticks.decadeLabel(e)) }
        yHeader = TerminalText.fit(yHeader, width)
        if let title = axes.title {
            let t = TerminalText.fit(title, L.plotColumns)
            let start = plotLeft + max(0, (L.plotColumns - t.count) / 2)
            grid.addRows(1)
            grid.write(t, column: start, row: row)
            if !yHeader.isEmpty && yHeader.count + 1 < start {
                grid.write(yHeader, column: 0, row: row)
                yHeader = ""
            }
            row += 1
        }
        if !yHeader.isEmpty {
            grid.addRows(1)
            grid.write(yHeader, column: 0, row: row)
            row += 1
        }

        // Frame with the plot inside and the y tick labels at its left.
        let top = row
        grid.addRows(L.plotRows + 2)
        grid.write("┌" + String(repeating: "─", count: L.plotColumns) + "┐", column: L.frameColumn, row: top)
        for r in 0..<L.plotRows {
            grid.write("│", column: L.frameColumn, row: top + 1 + r)
            grid.write("│", column: plotLeft + L.plotColumns, row: top + 1 + r)
        }
        grid.paste(canvas.cells(), column: plotLeft, row: top + 1)
        let bottom = top + L.plotRows + 1
        grid.write("└" + String(repeating: "─", count: L.plotColumns) + "┘", column: L.frameColumn, row: bottom)
        var usedRows = Set<Int>()
        for t in L.yTicks where t.major {
            guard let p = L.y(t.value), p >= -0.5, p <= Double(L.dotHeight) - 0.5 else { continue }
            let r = min(max(Int(p.rounded()) / 4, 0), L.plotRows - 1)
            guard !usedRows.contains(r) else { continue }
            usedRows.insert(r)
            grid.write("┤", column: L.frameColumn, row: top + 1 + r)
            let label = TerminalText.plain(t.label)
            if !label.isEmpty { grid.write(label, column: L.frameColumn - 1 - label.count, row: top + 1 + r) }
        }

        // x ticks on the bottom edge; labels centred under them, every k-th one when they crowd.
        var marks: [(column: Int, label: String)] = []
        for t in L.xTicks where t.major {
            guard let p = L.x(t.value), p >= -0.5, p <= Double(L.dotWidth) - 0.5 else { continue }
            let c = min(max(Int(p.rounded()) / 2, 0), L.plotColumns - 1)
            if marks.last?.column == c { continue }
            marks.append((c, TerminalText.plain(t.label)))
        }
        for m in marks { grid.write("┬", column: plotLeft + m.column, row: bottom) }
        grid.addRows(1)
        let labelRow = bottom + 1
        func placed(_ m: (column: Int, label: String)) -> Int {
            min(max(plotLeft + m.column - m.label.count / 2, 0), max(width - m.label.count, 0))
        }
        var stride = 1
        while stride < max(marks.count, 1) {
            var lastEnd = -2, fits = true
            for (i, m) in marks.enumerated() where i % stride == 0 {
                let s = placed(m)
                if s <= lastEnd { fits = false; break }
                lastEnd = s + m.label.count
            }
            if fits { break }
            stride += 1
        }
        for (i, m) in marks.enumerated() where i % stride == 0 {
            grid.write(m.label, column: placed(m), row: labelRow)
        }
        row = labelRow + 1

        // x label centred under the plot, multiplier at the right end.
        let multiplier = L.xMultiplier.map { "×" + TerminalText.plain(Ticks.decadeLabel($0)) }
        if axes.xLabel != nil || multiplier != nil {
            grid.addRows(1)
            if let xl = axes.xLabel {
                let t = TerminalText.fit(TerminalText.plain(xl), L.plotColumns)
                grid.write(t, column: plotLeft + max(0, (L.plotColumns - t.count) / 2), row: row)
            }
            if let m = multiplier { grid.write(m, column: max(width - m.count, 0), row: row) }
            row += 1
        }

        // Legend.
        for cells in legendRows(width: width - L.frameColumn) {
            grid.addRows(1)
            for (i, cell) in cells.enumerated() { grid[L.frameColumn + i, row] = cell }
            row += 1
        }
        return grid
    }
}

import Foundation

/// Draws a `Surface3D` panel with braille dots: the same orthographic view as the SVG
/// (`SurfaceRenderer`: box normalised to x, y in [−½, ½] and z in [−⅜, ⅜], seen from the
/// surface's elevation and azimuth), with the wireframe, the back edges of the box, floor
/// contours, tick labels on the outer edges, and markers.
///
/// Hidden lines: the surface is treated as opaque. Every grid cell is rasterised into a depth
/// buffer at dot resolution, and a dot of a wire, contour or box edge is drawn only where
/// nothing nearer covers it. (The SVG fades what lies behind with a translucent fill; at
/// braille resolution leaving it out reads better.)
struct TerminalSurfaceRenderer {
    let surface: Surface3D
    let title: String?
    let colour: Bool

    typealias Vec3 = SurfaceView.Vec3

    func render(width: Int, rows: Int) -> CellGrid {
        let s = surface
        let grid = s.grid
        // The view both renderers share (z range, normalised box, viewing direction).
        let view = SurfaceView(s)
        let zlo = view.zlo, zhi = view.zhi, xr = view.xRange, yr = view.yRange
        func nx(_ x: Double) -> Double { view.nx(x) }
        func ny(_ y: Double) -> Double { view.ny(y) }
        func nz(_ z: Double) -> Double { view.nz(z) }
        let d = view.direction, right = view.right, up = view.up
        func dot(_ a: Vec3, _ b: Vec3) -> Double { view.dot(a, b) }

        var out = CellGrid(width: width, height: 0)
        var top = 0
        if let t = title {
            let text = TerminalText.fit(t, width)
            out.addRows(1)
            out.write(text, column: max(0, (width - text.count) / 2), row: 0)
            top = 1
        }
        var canvas = BrailleCanvas(columns: width, rows: max(rows, 4))
        let W = Double(canvas.dotWidth), H = Double(canvas.dotHeight)

        // Fit the box, leaving room for tick labels (about 6 cells at the left for z, 2 rows below).
        var sxMin = Double.infinity, sxMax = -Double.infinity, syMin = Double.infinity, syMax = -Double.infinity
        for cx in [-0.5, 0.5] { for cy in [-0.5, 0.5] { for cz in [-0.375, 0.375] {
            let p = Vec3(x: cx, y: cy, z: cz)
            sxMin = min(sxMin, dot(p, right)); sxMax = max(sxMax, dot(p, right))
            syMin = min(syMin, dot(p, up)); syMax = max(syMax, dot(p, up))
        } } }
        let marginLeft = 22.0, marginRight = 14.0, marginTop = 2.0, marginBottom = 14.0
        let scale = max(min((W - marginLeft - marginRight) / (sxMax - sxMin), (H - marginTop - marginBottom) / (syMax - syMin)), 1)
        let cxScreen = marginLeft + (W - marginLeft - marginRight) / 2 - scale * (sxMin + sxMax) / 2
        let cyScreen = marginTop + (H - marginTop - marginBottom) / 2 + scale * (syMin + syMax) / 2
        func project(_ p: Vec3) -> (Double, Double) {
            (cxScreen + scale * dot(p, right), cyScreen - scale * dot(p, up))
        }
        func depth(_ p: Vec3) -> Double { dot(p, d) }

        // Depth buffer of the surface (larger depth = nearer the viewer).
        let dw = canvas.dotWidth, dh = canvas.dotHeight
        var zbuf = DepthBuffer(width: dw, height: dh)
        let gx = grid.xs.count, gy = grid.ys.count
        func vertex(_ i: Int, _ j: Int) -> Vec3? {
            let z = grid.value(i, j)
            guard z.isFinite else { return nil }
            return Vec3(x: nx(grid.xs[i]), y: ny(grid.ys[j]), z: nz(z))
        }
        func screen(_ p: Vec3) -> (Double, Double, Double) { let q = project(p); return (q.0, q.1, depth(p)) }
        for j in 0..<(gy - 1) {
            for i in 0..<(gx - 1) {
                guard let p0 = vertex(i, j), let p1 = vertex(i + 1, j), let p2 = vertex(i + 1, j + 1),
                      let p3 = vertex(i, j + 1) else { continue }
                let q0 = screen(p0), q1 = screen(p1), q2 = screen(p2), q3 = screen(p3)
                zbuf.fill(q0, q1, q2)
                zbuf.fill(q0, q2, q3)
            }
        }
        /// A 3-D segment drawn where the surface does not hide it.
        func segment(_ a: Vec3, _ b: Vec3, ink: TerminalInk, pattern: DotPattern, phase: inout Int) {
            let qa = screen(a), qb = screen(b)
            let dots = BrailleCanvas.raster(from: (qa.0, qa.1), to: (qb.0, qb.1))
            for (k, (x, y)) in dots.enumerated() {
                let t = dots.count > 1 ? Double(k) / Double(dots.count - 1) : 0
                if pattern.isOn(phase) && zbuf.isVisible(x, y, depth: qa.2 + t * (qb.2 - qa.2)) { canvas.set(x, y, ink: ink) }
                phase += 1
            }
        }

        // Back edges of the box: the three panes behind the surface.
        let backX = d.x > 0 ? -0.5 : 0.5, backY = d.y > 0 ? -0.5 : 0.5
        let floorZ = d.z >= 0 ? -0.375 : 0.375
        let frontY = -backY, frontX = -backX
        let edgeInk = colour ? TerminalInk.faint : .plain
        let edgePattern: DotPattern = colour ? .solid : .sparse
        let panes: [[Vec3]] = [
            [Vec3(x: -0.5, y: -0.5, z: floorZ), Vec3(x: 0.5, y: -0.5, z: floorZ), Vec3(x: 0.5, y: 0.5, z: floorZ), Vec3(x: -0.5, y: 0.5, z: floorZ)],
            [Vec3(x: backX, y: -0.5, z: -0.375), Vec3(x: backX, y: 0.5, z: -0.375), Vec3(x: backX, y: 0.5, z: 0.375), Vec3(x: backX, y: -0.5, z: 0.375)],
            [Vec3(x: -0.5, y: backY, z: -0.375), Vec3(x: 0.5, y: backY, z: -0.375), Vec3(x: 0.5, y: backY, z: 0.375), Vec3(x: -0.5, y: backY, z: 0.375)],
        ]
        for pane in panes {
            for k in 0..<4 {
                var phase = 0
                segment(pane[k], pane[(k + 1) % 4], ink: edgeInk, pattern: edgePattern, phase: &phase)
            }
        }

        // Floor contours.
        if let levels = s.contoursBelow {
            let sets = MarchingSquares.contours(s.fineGrid, levels: levels)
            for (k, set) in sets.enumerated() {
                let c = SurfaceRenderer.viridis(sets.count <= 1 ? 0.5 : Double(k) / Double(sets.count - 1))
                for line in set.polylines where line.count >= 2 {
                    var phase = 0
                    for i in 1..<line.count {
                        segment(Vec3(x: nx(line[i - 1].x), y: ny(line[i - 1].y), z: floorZ),
                                Vec3(x: nx(line[i].x), y: ny(line[i].y), z: floorZ),
                                ink: TerminalInk(color: c), pattern: colour ? .solid : .sparse, phase: &phase)
                    }
                }
            }
        }

        // The wireframe: every `wireStride`-th grid line and the last, as in the SVG.
        let stride = max(1, s.wireStride)
        let wireInk = TerminalInk(color: s.color)
        func onWire(_ k: Int, _ count: Int) -> Bool { k % stride == 0 || k == count - 1 }
        for j in 0..<gy where onWire(j, gy) {
            var phase = 0
            for i in 1..<gx {
                guard let a = vertex(i - 1, j), let b = vertex(i, j) else { continue }
                segment(a, b, ink: wireInk, pattern: .solid, phase: &phase)
            }
        }
        for i in 0..<gx where onWire(i, gx) {
            var phase = 0
            for j in 1..<gy {
                guard let a = vertex(i, j - 1), let b = vertex(i, j) else { continue }
                segment(a, b, ink: wireInk, pattern: .solid, phase: &phase)
            }
        }

        // Axis edges with ticks, labels in plain text.
        let xTicks = s.xTicks.map { Ticks.fixed($0, xr.lowerBound, xr.upperBound) } ?? Ticks.linear(xr.lowerBound, xr.upperBound, bins: 4)
        let yTicks = s.yTicks.map { Ticks.fixed($0, yr.lowerBound, yr.upperBound) } ?? Ticks.linear(yr.lowerBound, yr.upperBound, bins: 4)
        let zTicks = s.zTicks.map { Ticks.fixed($0, zlo, zhi) } ?? Ticks.linear(zlo, zhi, bins: 4)
        var axisPhase = 0
        func axisLine(_ a: Vec3, _ b: Vec3) {
            let qa = project(a), qb = project(b)
            canvas.line(from: qa, to: qb, ink: .plain, pattern: .solid, phase: &axisPhase)
        }
        var labels: [(text: String, at: (Double, Double), anchor: Int)] = []   // anchor: 0 centre, 1 right end
        let tickLength = 0.04, labelOffset = 0.16, titleOffset = 0.32
        let xOut = frontY > 0 ? 1.0 : -1.0
        axisLine(Vec3(x: -0.5, y: frontY, z: floorZ), Vec3(x: 0.5, y: frontY, z: floorZ))
        for t in xTicks {
            let base = Vec3(x: nx(t.value), y: frontY, z: floorZ)
            axisLine(base, Vec3(x: base.x, y: base.y + xOut * tickLength, z: base.z))
            labels.append((TerminalText.plain(t.label), project(Vec3(x: base.x, y: base.y + xOut * labelOffset, z: base.z)), 0))
        }
        let yOut = frontX > 0 ? 1.0 : -1.0
        axisLine(Vec3(x: frontX, y: -0.5, z: floorZ), Vec3(x: frontX, y: 0.5, z: floorZ))
        for t in yTicks {
            let base = Vec3(x: frontX, y: ny(t.value), z: floorZ)
            axisLine(base, Vec3(x: base.x + yOut * tickLength, y: base.y, z: base.z))
            labels.append((TerminalText.plain(t.label), project(Vec3(x: base.x + yOut * labelOffset, y: base.y, z: base.z)), 0))
        }
        var zCorner = (x: -0.5, y: -0.5)
        var leftmost = Double.infinity
        for cx in [-0.5, 0.5] { for cy in [-0.5, 0.5] {
            let sx = dot(Vec3(x: cx, y: cy, z: 0), right)
            if sx < leftmost - 1e-9 { leftmost = sx; zCorner = (cx, cy) }
        } }
        axisLine(Vec3(x: zCorner.x, y: zCorner.y, z: -0.375), Vec3(x: zCorner.x, y: zCorner.y, z: 0.375))
        for t in zTicks {
            let q = project(Vec3(x: zCorner.x, y: zCorner.y, z: nz(t.value)))
            canvas.line(from: (q.0 - 2, q.1), to: q, ink: .plain, pattern: .solid, phase: &axisPhase)
            labels.append((TerminalText.plain(t.label), (q.0 - 4, q.1), 1))
        }
        if let l = s.xLabel {
            labels.append((l, project(Vec3(x: 0, y: frontY + xOut * titleOffset, z: floorZ)), 0))
        }
        if let l = s.yLabel {
            labels.append((l, project(Vec3(x: frontX + yOut * titleOffset, y: 0, z: floorZ)), 0))
        }
        if let l = s.zLabel {
            let widest = zTicks.map { TerminalText.plain($0.label).count }.max() ?? 0
            let q = project(Vec3(x: zCorner.x, y: zCorner.y, z: 0.375))
            // Above the z axis's top tick labels (a rotated label does not exist in text).
            labels.append((l, (max(q.0 - Double(4 + 2 * widest), 0), q.1 - 6), 2))
        }
        for m in s.markers {
            guard m.x.isFinite, m.y.isFinite, m.z.isFinite else { continue }
            let q = project(Vec3(x: nx(m.x), y: ny(m.y), z: nz(m.z)))
            canvas.put("×", x: Int(q.0.rounded()), y: Int(q.1.rounded()), ink: TerminalInk(color: PlotColor(hex: 0xff0000)))
            if let l = m.label {
                labels.append((l, (q.0 + 4, q.1 - 4), 2))
            }
        }
        for (text, at, anchor) in labels {
            let column = Int(at.0.rounded()) / 2, row = Int(at.1.rounded()) / 4
            let start: Int
            switch anchor {
            case 0: start = column - text.count / 2
            case 1: start = column - text.count + 1
            default: start = column
            }
            canvas.write(text, column: min(max(start, 0), max(canvas.columns - text.count, 0)),
                         row: min(max(row, 0), canvas.rows - 1), ink: .plain)
        }
        out.paste(canvas.cells(), column: 0, row: top)
        return out
    }
}

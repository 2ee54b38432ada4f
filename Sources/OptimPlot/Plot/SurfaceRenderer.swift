import Foundation

/// Draws a `Surface3D` panel: a matplotlib-like 3-D axes box (three shaded back panes with
/// grid lines, ticks and labels on the outer edges) and the wireframe.
///
/// Projection: orthographic. The box is normalised to x, y in [−½, ½] and z in [−⅜, ⅜]
/// (matplotlib's 4:4:3 box). The viewer looks from direction
/// d = (cos e cos a, cos e sin a, sin e); screen right is (−sin a, cos a, 0) and screen up is
/// d × right. The surface is drawn as one quadrilateral per grid cell, far ones first
/// (painter's algorithm), each filled with translucent white so the wires behind it fade:
/// this hides the back of the surface and makes the wireframe read as a surface.
struct SurfaceRenderer {
    let surface: Surface3D
    let title: String?
    let region: PixelRect

    typealias Vec3 = SurfaceView.Vec3

    func render(into w: inout SVGWriter) {
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
        func depth(_ p: Vec3) -> Double { dot(p, d) }

        // Fit the box (plus room for labels) into the panel.
        let top = region.y0 + (title == nil ? 4 : 18)
        let area = PixelRect(x0: region.x0 + 4, y0: top, x1: region.x1 - 4, y1: region.y1 - 4)
        var sxMin = Double.infinity, sxMax = -Double.infinity, syMin = Double.infinity, syMax = -Double.infinity
        for cx in [-0.5, 0.5] { for cy in [-0.5, 0.5] { for cz in [-0.375, 0.375] {
            let p = Vec3(x: cx, y: cy, z: cz)
            sxMin = min(sxMin, dot(p, right)); sxMax = max(sxMax, dot(p, right))
            syMin = min(syMin, dot(p, up)); syMax = max(syMax, dot(p, up))
        } } }
        let labelRoom = 42.0
        let scale = min((area.width - 2 * labelRoom) / (sxMax - sxMin), (area.height - 2 * labelRoom * 0.6) / (syMax - syMin))
        let cxScreen = (area.x0 + area.x1) / 2 - scale * (sxMin + sxMax) / 2
        let cyScreen = (area.y0 + area.y1) / 2 + scale * (syMin + syMax) / 2
        func project(_ p: Vec3) -> (Double, Double) {
            (cxScreen + scale * dot(p, right), cyScreen - scale * dot(p, up))
        }
        let n = SVGFormat.number
        func pt(_ p: Vec3) -> String { let q = project(p); return n(q.0) + " " + n(q.1) }

        // Which box faces are at the back, and which edges carry the axes.
        let backX = d.x > 0 ? -0.5 : 0.5          // the x = const pane behind the surface
        let backY = d.y > 0 ? -0.5 : 0.5          // the y = const pane
        let floorZ = d.z >= 0 ? -0.375 : 0.375    // the pane seen from its inside
        let frontY = -backY, frontX = -backX

        // Panes.
        let paneStyle = "fill=\"#f2f2f2\" stroke=\"#bfbfbf\" stroke-width=\"0.6\""
        let floor = [Vec3(x: -0.5, y: -0.5, z: floorZ), Vec3(x: 0.5, y: -0.5, z: floorZ),
                     Vec3(x: 0.5, y: 0.5, z: floorZ), Vec3(x: -0.5, y: 0.5, z: floorZ)]
        let paneX = [Vec3(x: backX, y: -0.5, z: -0.375), Vec3(x: backX, y: 0.5, z: -0.375),
                     Vec3(x: backX, y: 0.5, z: 0.375), Vec3(x: backX, y: -0.5, z: 0.375)]
        let paneY = [Vec3(x: -0.5, y: backY, z: -0.375), Vec3(x: 0.5, y: backY, z: -0.375),
                     Vec3(x: 0.5, y: backY, z: 0.375), Vec3(x: -0.5, y: backY, z: 0.375)]
        w.raw("<g class=\"panes\" \(paneStyle)>")
        for pane in [paneX, paneY, floor] {
            w.raw("<path d=\"M" + pane.map(pt).joined(separator: " L") + " Z\"/>")
        }
        w.raw("</g>")

        // Ticks.
        let xTicks = s.xTicks.map { Ticks.fixed($0, xr.lowerBound, xr.upperBound) } ?? Ticks.linear(xr.lowerBound, xr.upperBound, bins: 4)
        let yTicks = s.yTicks.map { Ticks.fixed($0, yr.lowerBound, yr.upperBound) } ?? Ticks.linear(yr.lowerBound, yr.upperBound, bins: 4)
        let zTicks = s.zTicks.map { Ticks.fixed($0, zlo, zhi) } ?? Ticks.linear(zlo, zhi, bins: 4)

        // Grid lines on the panes.
        var gridPath = ""
        func seg(_ a: Vec3, _ b: Vec3) { gridPath += "M" + pt(a) + "L" + pt(b) }
        for t in xTicks {
            let x = nx(t.value)
            seg(Vec3(x: x, y: -0.5, z: floorZ), Vec3(x: x, y: 0.5, z: floorZ))
            seg(Vec3(x: x, y: backY, z: -0.375), Vec3(x: x, y: backY, z: 0.375))
        }
        for t in yTicks {
            let y = ny(t.value)
            seg(Vec3(x: -0.5, y: y, z: floorZ), Vec3(x: 0.5, y: y, z: floorZ))
            seg(Vec3(x: backX, y: y, z: -0.375), Vec3(x: backX, y: y, z: 0.375))
        }
        for t in zTicks {
            let z = nz(t.value)
            seg(Vec3(x: backX, y: -0.5, z: z), Vec3(x: backX, y: 0.5, z: z))
            seg(Vec3(x: -0.5, y: backY, z: z), Vec3(x: 0.5, y: backY, z: z))
        }
        w.raw("<path class=\"grid3d\" d=\"\(gridPath)\" fill=\"none\" stroke=\"#d0d0d0\" stroke-width=\"0.5\"/>")

        // Contours on the floor.
        if let levels = s.contoursBelow {
            let sets = MarchingSquares.contours(s.fineGrid, levels: levels)
            for (k, set) in sets.enumerated() {
                var dpath = ""
                for line in set.polylines where line.count >= 2 {
                    dpath += (dpath.isEmpty ? "" : " ") + SVGWriter.pathData(line.map { project(Vec3(x: nx($0.x), y: ny($0.y), z: floorZ)) })
                }
                guard !dpath.isEmpty else { continue }
                let c = Self.viridis(sets.count <= 1 ? 0.5 : Double(k) / Double(sets.count - 1))
                w.raw("<path class=\"contour\" data-level=\"\(n(set.level))\" d=\"\(dpath)\" fill=\"none\" stroke=\"\(c.svg)\" stroke-width=\"0.8\"/>")
            }
        }

        // Axis edges, ticks and labels.
        let tickLength = 0.04, labelOffset = 0.13, titleOffset = 0.3
        var axisPath = ""
        func axisSeg(_ a: Vec3, _ b: Vec3) { axisPath += "M" + pt(a) + "L" + pt(b) }
        var labels: [(String, (Double, Double))] = []
        // x axis along the front floor edge parallel to x.
        let xOut = Vec3(x: 0, y: frontY > 0 ? 1 : -1, z: 0)
        axisSeg(Vec3(x: -0.5, y: frontY, z: floorZ), Vec3(x: 0.5, y: frontY, z: floorZ))
        for t in xTicks {
            let base = Vec3(x: nx(t.value), y: frontY, z: floorZ)
            axisSeg(base, Vec3(x: base.x, y: base.y + xOut.y * tickLength, z: base.z))
            labels.append((t.label, project(Vec3(x: base.x, y: base.y + xOut.y * labelOffset, z: base.z))))
        }
        // y axis along the front floor edge parallel to y.
        let yOut = frontX > 0 ? 1.0 : -1.0
        axisSeg(Vec3(x: frontX, y: -0.5, z: floorZ), Vec3(x: frontX, y: 0.5, z: floorZ))
        for t in yTicks {
            let base = Vec3(x: frontX, y: ny(t.value), z: floorZ)
            axisSeg(base, Vec3(x: base.x + yOut * tickLength, y: base.y, z: base.z))
            labels.append((t.label, project(Vec3(x: base.x + yOut * labelOffset, y: base.y, z: base.z))))
        }
        // z axis on the vertical edge farthest left on screen.
        var zCorner = (x: -0.5, y: -0.5)
        var leftmost = Double.infinity
        for cx in [-0.5, 0.5] { for cy in [-0.5, 0.5] {
            let sx = dot(Vec3(x: cx, y: cy, z: 0), right)
            if sx < leftmost - 1e-9 { leftmost = sx; zCorner = (cx, cy) }
        } }
        axisSeg(Vec3(x: zCorner.x, y: zCorner.y, z: -0.375), Vec3(x: zCorner.x, y: zCorner.y, z: 0.375))
        let zOutLen = (zCorner.x * zCorner.x + zCorner.y * zCorner.y).squareRoot()
        let zOut = (zCorner.x / zOutLen, zCorner.y / zOutLen)
        var zLabels: [(String, (Double, Double))] = []
        for t in zTicks {
            let base = Vec3(x: zCorner.x, y: zCorner.y, z: nz(t.value))
            axisSeg(base, Vec3(x: base.x + zOut.0 * tickLength, y: base.y + zOut.1 * tickLength, z: base.z))
            // Right-aligned a little left of the tick, so they never collide with the x labels.
            let q = project(base)
            zLabels.append((t.label, (q.0 - 8, q.1)))
        }
        w.raw("<path class=\"axes3d\" d=\"\(axisPath)\" fill=\"none\" stroke=\"#000000\" stroke-width=\"0.8\"/>")
        for (text, p) in labels {
            w.text(markup: text, x: p.0, y: p.1, anchor: .middle, fontSize: 8, centerVertically: true)
        }
        for (text, p) in zLabels {
            w.text(markup: text, x: p.0, y: p.1, anchor: .end, fontSize: 8, centerVertically: true)
        }
        if let l = s.xLabel {
            let p = project(Vec3(x: 0, y: frontY + xOut.y * titleOffset, z: floorZ))
            w.text(markup: SVGFormat.escape(l), x: p.0, y: p.1, anchor: .middle, centerVertically: true)
        }
        if let l = s.yLabel {
            let p = project(Vec3(x: frontX + yOut * titleOffset, y: 0, z: floorZ))
            w.text(markup: SVGFormat.escape(l), x: p.0, y: p.1, anchor: .middle, centerVertically: true)
        }
        if let l = s.zLabel {
            let widest = zTicks.map { PanelRenderer.labelWidth($0.label) * 0.8 }.max() ?? 0
            let p = project(Vec3(x: zCorner.x, y: zCorner.y, z: 0))
            w.text(markup: SVGFormat.escape(l), x: p.0 - 14 - widest, y: p.1, anchor: .middle, rotate: -90)
        }

        // The surface, far cells first.
        let gx = grid.xs.count, gy = grid.ys.count
        var cells: [(depth: Double, index: Int, corners: [Vec3])] = []
        for j in 0..<(gy - 1) {
            for i in 0..<(gx - 1) {
                let zs = [grid.value(i, j), grid.value(i + 1, j), grid.value(i + 1, j + 1), grid.value(i, j + 1)]
                guard zs.allSatisfy(\.isFinite) else { continue }
                let corners = [Vec3(x: nx(grid.xs[i]), y: ny(grid.ys[j]), z: nz(zs[0])),
                               Vec3(x: nx(grid.xs[i + 1]), y: ny(grid.ys[j]), z: nz(zs[1])),
                               Vec3(x: nx(grid.xs[i + 1]), y: ny(grid.ys[j + 1]), z: nz(zs[2])),
                               Vec3(x: nx(grid.xs[i]), y: ny(grid.ys[j + 1]), z: nz(zs[3]))]
                let dep = corners.map(depth).reduce(0, +) / 4
                cells.append((dep, j * gx + i, corners))
            }
        }
        cells.sort { $0.depth != $1.depth ? $0.depth < $1.depth : $0.index < $1.index }
        w.raw("<g class=\"surface\" fill=\"#ffffff\" fill-opacity=\"0.75\" stroke=\"\(s.color.svg)\" stroke-width=\"0.6\" stroke-linejoin=\"round\">")
        let stride = max(1, s.wireStride)
        if stride == 1 {
            // Relative moves between corners rounded to 0.01 px keep the many small paths short
            // without drift (the deltas are taken between already rounded positions).
            func centi(_ v: Double) -> Int64 { Int64((min(max(v, -1e6), 1e6) * 100).rounded(.toNearestOrAwayFromZero)) }
            func fromCenti(_ v: Int64) -> String { SVGFormat.number(Double(v) / 100) }
            for c in cells {
                let q = c.corners.map { project($0) }.map { (centi($0.0), centi($0.1)) }
                var d = "M" + fromCenti(q[0].0) + " " + fromCenti(q[0].1) + "l"
                for k in 1..<4 {
                    d += (k == 1 ? "" : " ") + fromCenti(q[k].0 - q[k - 1].0) + " " + fromCenti(q[k].1 - q[k - 1].1)
                }
                w.raw("<path d=\"" + d + "z\"/>")
            }
        } else {
            // Fill every cell, but stroke only the edges lying on a wire line (every stride-th
            // grid line plus the last), each right after its own cell so occlusion stays right.
            func onWire(_ k: Int, _ count: Int) -> Bool { k % stride == 0 || k == count - 1 }
            for c in cells {
                let i = c.index % gx, j = c.index / gx
                let q = c.corners.map(pt)
                w.raw("<path d=\"M" + q.joined(separator: " L") + " Z\" stroke=\"none\"/>")
                var edges = ""
                if onWire(j, gy) { edges += "M" + q[0] + " L" + q[1] }
                if onWire(i + 1, gx) { edges += "M" + q[1] + " L" + q[2] }
                if onWire(j + 1, gy) { edges += "M" + q[2] + " L" + q[3] }
                if onWire(i, gx) { edges += "M" + q[3] + " L" + q[0] }
                if !edges.isEmpty { w.raw("<path d=\"\(edges)\" fill=\"none\"/>") }
            }
        }
        w.raw("</g>")

        // Markers on top.
        for m in s.markers {
            guard m.x.isFinite, m.y.isFinite, m.z.isFinite else { continue }
            let p = project(Vec3(x: nx(m.x), y: ny(m.y), z: nz(m.z)))
            let r = 4.0
            w.raw("<path class=\"marker3d\" d=\"M\(n(p.0 - r)) \(n(p.1 - r))l\(n(2 * r)) \(n(2 * r))M\(n(p.0 - r)) \(n(p.1 + r))l\(n(2 * r)) \(n(-2 * r))\" stroke=\"#ff0000\" stroke-width=\"1.5\" fill=\"none\"/>")
            if let l = m.label {
                w.raw("<text x=\"\(n(p.0 + 6))\" y=\"\(n(p.1 - 6))\" stroke=\"#ffffff\" stroke-width=\"2.5\" stroke-linejoin=\"round\" paint-order=\"stroke\">\(SVGFormat.escape(l))</text>")
            }
        }
        if let t = title {
            w.text(markup: SVGFormat.escape(t), x: (region.x0 + region.x1) / 2, y: region.y0 + 13, anchor: .middle, fontSize: 11)
        }
    }

    /// A few anchors of matplotlib's viridis colour map, linearly interpolated (t in 0...1).
    static func viridis(_ t: Double) -> PlotColor {
        let anchors: [(Double, Double, Double)] = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
        let u = min(max(t.isFinite ? t : 0, 0), 1) * Double(anchors.count - 1)
        let k = min(Int(u), anchors.count - 2)
        let f = u - Double(k)
        let a = anchors[k], b = anchors[k + 1]
        func mix(_ p: Double, _ q: Double) -> UInt8 { UInt8((p + (q - p) * f).rounded()) }
        return PlotColor(red: mix(a.0, b.0), green: mix(a.1, b.1), blue: mix(a.2, b.2))
    }
}

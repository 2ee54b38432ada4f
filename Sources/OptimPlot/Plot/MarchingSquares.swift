import Foundation

/// Contour lines by marching squares.
///
/// Each grid cell is classified by which corners lie above the level; the level crosses an
/// edge whose two corners differ, at the linearly interpolated point. A cell with two
/// opposite corners above and the other two below is ambiguous ("saddle"): the average of
/// the four corners decides whether the above-corners are joined through the centre (so the
/// lines cut off the two below-corners) or not. Segments are joined into polylines through
/// the edges they share; a polyline that returns to its first edge is closed (its last point
/// repeats its first). Cells with a non-finite corner are skipped.
enum MarchingSquares {
    static func levels(for grid: SampledGrid, _ levels: ContourLevels) -> [Double] {
        switch levels {
        case .values(let v): return v.filter(\.isFinite)
        case .automatic(let n):
            guard let (lo, hi) = grid.finiteRange, hi > lo else { return [] }
            let (step, range) = Ticks.multiples(lo, hi, bins: max(n, 1))
            return range.map { step.scaled($0 * step.mantissa) }.filter { $0 > lo && $0 < hi }
        }
    }

    static func contours(_ grid: SampledGrid, levels spec: ContourLevels) -> [(level: Double, polylines: [[SIMD2<Double>]])] {
        levels(for: grid, spec).map { ($0, lines(grid, level: $0)) }
    }

    /// The polylines of `f = level`.
    static func lines(_ grid: SampledGrid, level: Double) -> [[SIMD2<Double>]] {
        let nx = grid.xs.count, ny = grid.ys.count
        guard nx >= 2, ny >= 2 else { return [] }
        // Edge ids: horizontal edge from (i, j) to (i+1, j) is 2 (j nx + i); vertical edge from
        // (i, j) to (i, j+1) is 2 (j nx + i) + 1.
        func h(_ i: Int, _ j: Int) -> Int { 2 * (j * nx + i) }
        func v(_ i: Int, _ j: Int) -> Int { 2 * (j * nx + i) + 1 }
        var segments: [(Int, Int)] = []
        for j in 0..<(ny - 1) {
            for i in 0..<(nx - 1) {
                let z0 = grid.value(i, j), z1 = grid.value(i + 1, j)
                let z2 = grid.value(i + 1, j + 1), z3 = grid.value(i, j + 1)
                guard z0.isFinite, z1.isFinite, z2.isFinite, z3.isFinite else { continue }
                let a0 = z0 > level, a1 = z1 > level, a2 = z2 > level, a3 = z3 > level
                let bottom = h(i, j), right = v(i + 1, j), top = h(i, j + 1), left = v(i, j)
                var crossed: [Int] = []
                if a0 != a1 { crossed.append(bottom) }
                if a1 != a2 { crossed.append(right) }
                if a2 != a3 { crossed.append(top) }
                if a3 != a0 { crossed.append(left) }
                if crossed.count == 2 {
                    segments.append((crossed[0], crossed[1]))
                } else if crossed.count == 4 {
                    let centreAbove = (z0 + z1 + z2 + z3) / 4 > level
                    if centreAbove == a0 {
                        // Corners 0 and 2 connect through the centre: cut off corners 1 and 3.
                        segments.append((bottom, right)); segments.append((top, left))
                    } else {
                        // Corners 1 and 3 connect: cut off corners 0 and 2.
                        segments.append((left, bottom)); segments.append((right, top))
                    }
                }
            }
        }
        func point(_ edge: Int) -> SIMD2<Double> {
            let k = edge / 2
            let i = k % nx, j = k / nx
            let (i2, j2) = edge % 2 == 0 ? (i + 1, j) : (i, j + 1)
            let za = grid.value(i, j), zb = grid.value(i2, j2)
            let t = zb == za ? 0.5 : min(max((level - za) / (zb - za), 0), 1)
            return SIMD2(grid.xs[i] + t * (grid.xs[i2] - grid.xs[i]), grid.ys[j] + t * (grid.ys[j2] - grid.ys[j]))
        }
        // Lookup only (never iterated), so output order follows the cell scan.
        var byEdge: [Int: [Int]] = [:]
        for (k, s) in segments.enumerated() {
            byEdge[s.0, default: []].append(k)
            byEdge[s.1, default: []].append(k)
        }
        var used = [Bool](repeating: false, count: segments.count)
        func nextSegment(from edge: Int) -> Int? {
            byEdge[edge]?.first { !used[$0] }
        }
        var result: [[SIMD2<Double>]] = []
        for start in segments.indices where !used[start] {
            used[start] = true
            var edges = [segments[start].0, segments[start].1]
            // Extend forward from the last edge.
            while let k = nextSegment(from: edges[edges.count - 1]) {
                used[k] = true
                let s = segments[k]
                edges.append(s.0 == edges[edges.count - 1] ? s.1 : s.0)
            }
            // Extend backward from the first edge (only if the line is open).
            if edges.first != edges.last {
                var back: [Int] = []
                var current = edges[0]
                while let k = nextSegment(from: current) {
                    used[k] = true
                    let s = segments[k]
                    current = s.0 == current ? s.1 : s.0
                    back.append(current)
                }
                edges = back.reversed() + edges
            }
            result.append(edges.map(point))
        }
        return result
    }
}

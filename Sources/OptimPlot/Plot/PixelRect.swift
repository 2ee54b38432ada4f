import Foundation

/// A pixel rectangle.
struct PixelRect: Sendable {
    var x0: Double, y0: Double, x1: Double, y1: Double
    var width: Double { x1 - x0 }
    var height: Double { y1 - y0 }
    func inset(_ d: Double) -> PixelRect { PixelRect(x0: x0 + d, y0: y0 + d, x1: x1 - d, y1: y1 - d) }
    func contains(_ p: (Double, Double)) -> Bool { p.0 >= x0 && p.0 <= x1 && p.1 >= y0 && p.1 <= y1 }

    /// The part of segment a–b inside the rectangle (Liang–Barsky), or nil.
    func clip(_ a: (Double, Double), _ b: (Double, Double)) -> ((Double, Double), (Double, Double))? {
        var t0 = 0.0, t1 = 1.0
        let dx = b.0 - a.0, dy = b.1 - a.1
        for (p, q) in [(-dx, a.0 - x0), (dx, x1 - a.0), (-dy, a.1 - y0), (dy, y1 - a.1)] {
            if p == 0 {
                if q < 0 { return nil }
            } else {
                let r = q / p
                if p < 0 { if r > t1 { return nil }; if r > t0 { t0 = r } }
                else { if r < t0 { return nil }; if r < t1 { t1 = r } }
            }
        }
        return ((a.0 + t0 * dx, a.1 + t0 * dy), (a.0 + t1 * dx, a.1 + t1 * dy))
    }

    /// Splits a polyline (nil = gap) into the runs that lie inside the rectangle.
    func clipPolyline(_ points: [(Double, Double)?]) -> [[(Double, Double)]] {
        var runs: [[(Double, Double)]] = []
        var current: [(Double, Double)] = []
        func flush() { if current.count >= 2 { runs.append(current) }; current = [] }
        var previous: (Double, Double)? = nil
        for p in points {
            guard let p else { flush(); previous = nil; continue }
            if let a = previous {
                if let (c0, c1) = clip(a, p) {
                    if let last = current.last, last.0 == c0.0, last.1 == c0.1 {
                        current.append(c1)
                    } else {
                        flush(); current = [c0, c1]
                    }
                } else {
                    flush()
                }
            }
            previous = p
        }
        flush()
        return runs
    }
}

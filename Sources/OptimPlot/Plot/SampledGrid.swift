import Foundation

/// f sampled on a regular grid that includes both ends of each range.
struct SampledGrid: Sendable {
    var xs: [Double]
    var ys: [Double]
    /// Row-major: `z[j * xs.count + i] = f(xs[i], ys[j])`.
    var z: [Double]

    init(xs: [Double], ys: [Double], z: [Double]) { self.xs = xs; self.ys = ys; self.z = z }

    /// Spacing `step` (default 1/100 of the wider side), rounded so the grid ends on the range ends.
    init(x: ClosedRange<Double>, y: ClosedRange<Double>, step: Double?, _ f: (Double, Double) -> Double) {
        let wx = x.upperBound - x.lowerBound, wy = y.upperBound - y.lowerBound
        let s = (step.map { $0 > 0 && $0.isFinite ? $0 : nil } ?? nil) ?? max(max(wx, wy) / 100, 1e-12)
        self.init(x: x, y: y, nx: Self.count(wx / s), ny: Self.count(wy / s), f)
    }

    /// Number of samples for `intervals` grid steps, bounded (and safe for NaN or infinity).
    static func count(_ intervals: Double) -> Int {
        guard intervals.isFinite else { return 2001 }
        return Int(min(max(intervals.rounded(), 1), 2000)) + 1
    }

    init(x: ClosedRange<Double>, y: ClosedRange<Double>, nx: Int, ny: Int, _ f: (Double, Double) -> Double) {
        let nx = min(max(nx, 2), 2001), ny = min(max(ny, 2), 2001)
        xs = (0..<nx).map { x.lowerBound + (x.upperBound - x.lowerBound) * Double($0) / Double(nx - 1) }
        ys = (0..<ny).map { y.lowerBound + (y.upperBound - y.lowerBound) * Double($0) / Double(ny - 1) }
        var z = [Double](repeating: 0, count: nx * ny)
        for j in 0..<ny { for i in 0..<nx { z[j * nx + i] = f(xs[i], ys[j]) } }
        self.z = z
    }

    func value(_ i: Int, _ j: Int) -> Double { z[j * xs.count + i] }

    /// Smallest and largest finite value, or nil when there is none.
    var finiteRange: (Double, Double)? {
        var lo = Double.infinity, hi = -Double.infinity
        for v in z where v.isFinite { lo = min(lo, v); hi = max(hi, v) }
        return lo <= hi ? (lo, hi) : nil
    }
}

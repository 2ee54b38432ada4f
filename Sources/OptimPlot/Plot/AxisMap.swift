import Foundation

/// Maps data values on one axis to pixels.
struct AxisMap: Sendable {
    var lo: Double
    var hi: Double
    var scale: AxisScale
    /// Pixel positions of `lo` and `hi` (for y, p0 is the bottom).
    var p0: Double
    var p1: Double

    /// Pixel coordinate, or nil for values the axis cannot show (non-finite; <= 0 on a log axis).
    /// Far values are clamped to ±1e9 px so later arithmetic stays finite.
    func callAsFunction(_ v: Double) -> Double? {
        guard v.isFinite else { return nil }
        let t: Double
        switch scale {
        case .linear:
            t = (v - lo) / (hi - lo)
        case .log:
            guard v > 0 else { return nil }
            t = (log10(v) - log10(lo)) / (log10(hi) - log10(lo))
        }
        guard t.isFinite else { return nil }
        return min(max(p0 + t * (p1 - p0), -1e9), 1e9)
    }
}

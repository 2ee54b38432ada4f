/// numpy's `arange(a, b, step)`: a + k·step for k = 0, 1, … while k < ⌈(b − a)/step⌉.
///
/// Each point is computed from k, not by adding `step` repeatedly, so no rounding error
/// accumulates; the count follows numpy, so the grids (and the figures drawn on them) match
/// the book's. Returns an empty array when b ≤ a.
///
/// ```swift
/// arange(0, 1, 0.25)   // [0.0, 0.25, 0.5, 0.75]
/// ```
public func arange(_ a: Double, _ b: Double, _ step: Double) -> [Double] {
    guard step > 0, step.isFinite else { misuse("arange: the step must be positive and finite, got \(step)") }
    let n = Int(((b - a) / step).rounded(.up))
    return (0..<max(n, 0)).map { a + Double($0) * step }
}

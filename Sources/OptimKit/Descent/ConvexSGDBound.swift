/// The classical guarantee for SGD on a convex objective (section 11.4.3).
///
/// Run `x_{t+1} = x_t − η_t g_t` for `t = 0, …, T−1`, where `g_t` is an unbiased estimate of a
/// (sub)gradient of the convex `f` at `x_t` with `E‖g_t‖² ≤ G²`, and let `r = ‖x_0 − x*‖`.
/// Then the rate-weighted average `x̄ = Σ η_t x_t / Σ η_t` of the points where the gradients
/// were taken satisfies
///
///     E[f(x̄)] − f(x*) ≤ (r² + G² Σ η_t²) / (2 Σ η_t).
///
/// - `distanceSquared` r²: no default. `gradientBoundSquared` G²: no default.
///   `rates` η_0 … η_{T−1}: no default (non-empty, positive).
///
/// ```swift
/// let rates = Array(repeating: 0.1, count: 50)
/// ConvexSGDBound.value(distanceSquared: 29, gradientBoundSquared: 166, rates: rates)  // 11.2
/// ConvexSGDBound.weightedAverage(points, rates: rates)   // x̄ for a given run
/// ```
public enum ConvexSGDBound {
    /// `(r² + G² Σ η_t²) / (2 Σ η_t)`.
    public static func value(distanceSquared: Double, gradientBoundSquared: Double, rates: [Double]) -> Double {
        var sum = 0.0, sumOfSquares = 0.0
        for eta in rates {
            sum += eta
            sumOfSquares += eta * eta
        }
        return (distanceSquared + gradientBoundSquared * sumOfSquares) / (2 * sum)
    }

    /// `x̄ = Σ η_t x_t / Σ η_t` over the first `rates.count` points (the points the gradients
    /// were evaluated at; a trace's final point is not among them).
    public static func weightedAverage(_ points: [Point2D], rates: [Double]) -> Point2D {
        requireValid(points.count >= rates.count,
                     "ConvexSGDBound.weightedAverage: needs one point per rate, got \(points.count) points for \(rates.count) rates")
        var total = Point2D(0, 0)
        var sum = 0.0
        for (eta, p) in zip(rates, points) {
            total += eta * p
            sum += eta
        }
        return total / sum
    }

    /// The constant rate that minimizes the bound for a known horizon T: `η = r / (G √T)`,
    /// for which the bound equals `r G / √T`.
    public static func bestConstantRate(distance r: Double, gradientBound g: Double, steps: Int) -> Double {
        r / (g * Double(steps).squareRoot())
    }
}

/// The classical guarantee for gradient descent with a constant step on a convex, L-smooth
/// objective (11.3; lecture deck 001).
///
/// If f is convex, its gradient is L-Lipschitz, ‖∇f(x) − ∇f(y)‖ ≤ L‖x − y‖, and the step
/// satisfies 0 < η ≤ 1/L, then the iterates of `x_{t+1} = x_t − η ∇f(x_t)` obey
///
///     f(x_T) − f(x*) ≤ ‖x_0 − x*‖² / (2ηT)
///
/// for every T ≥ 1: an O(1/T) rate, so O(1/ε) steps reach accuracy ε. Two inequalities give
/// it. The *descent lemma* (smoothness bounds f above by a parabola) makes every step lower f,
///
///     f(x − η∇f(x)) ≤ f(x) − η(1 − Lη/2) ‖∇f(x)‖²,
///
/// and together with convexity, f(x_{t+1}) − f* ≤ (‖x_t − x*‖² − ‖x_{t+1} − x*‖²) / (2η),
/// whose sum over t telescopes.
///
/// - `distanceSquared` ‖x_0 − x*‖²: no default. `learningRate` η: no default (positive, at
///   most 1/L for the bound to hold). `steps` T: no default (≥ 1).
///
/// ```swift
/// SmoothConvexGDBound.value(distanceSquared: 29, learningRate: 0.25, steps: 10)   // 5.8
/// SmoothConvexGDBound.descentLemmaValue(value: 9, gradientNormSquared: 36, learningRate: 0.25, smoothness: 2)
/// // 9 − 0.25 · (1 − 0.25) · 36 = 2.25, an upper bound on f after the step
/// ```
public enum SmoothConvexGDBound {
    /// `‖x_0 − x*‖² / (2ηT)`.
    public static func value(distanceSquared: Double, learningRate: Double, steps: Int) -> Double {
        distanceSquared / (2 * learningRate * Double(steps))
    }

    /// The descent lemma's upper bound on f after one gradient step from a point with value
    /// `value` and squared gradient norm `gradientNormSquared`:
    /// `value − η (1 − Lη/2) ‖∇f‖²`.
    public static func descentLemmaValue(value: Double, gradientNormSquared: Double, learningRate: Double,
                                         smoothness: Double) -> Double {
        value - learningRate * (1 - smoothness * learningRate / 2) * gradientNormSquared
    }

    /// The per-step inequality behind the rate, with both sides: after a step from `before`
    /// to `after`, `f(after) − f* ≤ (‖before − x*‖² − ‖after − x*‖²) / (2η)`. Returns the
    /// right-hand side (for a caller to compare with the observed left-hand side).
    public static func stepBound(distanceSquaredBefore: Double, distanceSquaredAfter: Double,
                                 learningRate: Double) -> Double {
        (distanceSquaredBefore - distanceSquaredAfter) / (2 * learningRate)
    }
}

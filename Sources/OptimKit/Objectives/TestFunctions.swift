import Foundation

/// Small textbook functions used to show where optimization gets into trouble: a flat
/// inflection point, a two-dimensional saddle and a saturating activation.
///
/// ```swift
/// Objective1D.cube.derivative(0)                 // 0, although 0 is no minimum
/// Objective2D.saddle.hessian!(Point2D(0, 0))     // [[2, 0], [0, -2]]
/// 1 - pow(tanh(4.0), 2) == Objective1D.tanh.derivative(4)   // about 0.0013
/// ```
extension Objective1D {
    /// f(x) = x³: f'(0) = f''(0) = 0, yet 0 is neither a minimum nor a maximum. Unbounded below.
    public static let cube = Objective1D(
        name: "x^3", value: { x in x * x * x }, derivative: { x in 3 * x * x },
        secondDerivative: { x in 6 * x }, minimizer: nil)

    /// f(x) = tanh(x): f'(x) = 1 − tanh²(x) and f''(x) = −2 tanh(x)(1 − tanh²(x)).
    /// The slope decays like 4e^(−2|x|), which is the vanishing-gradient example. No minimizer.
    public static let tanh = Objective1D(
        name: "tanh(x)", value: { x in Foundation.tanh(x) },
        derivative: { x in
            let t = Foundation.tanh(x)
            return 1 - t * t
        },
        secondDerivative: { x in
            let t = Foundation.tanh(x)
            return -2 * t * (1 - t * t)
        },
        minimizer: nil)

    /// f(x) = (x − 1)²(x + 1): a local minimum at x = 1 (f = 0) that is not global, since
    /// f → −∞ as x → −∞; a local maximum at x = −1/3. f' = (x − 1)(3x + 1), f'' = 6x − 2.
    public static let cubicWithLocalMinimum = Objective1D(
        name: "(x-1)^2 (x+1)", value: { x in (x - 1) * (x - 1) * (x + 1) },
        derivative: { x in (x - 1) * (3 * x + 1) },
        secondDerivative: { x in 6 * x - 2 }, minimizer: nil)
}

extension Objective2D {
    /// f(x) = x1² − x2²: the textbook saddle. The gradient (2x1, −2x2) vanishes only at the
    /// origin, where the Hessian diag(2, −2) has one eigenvalue of each sign: a minimum along x1,
    /// a maximum along x2. Unbounded below (no minimizer).
    public static let saddle = Objective2D(
        name: "x1^2 - x2^2",
        value: { p in p.x * p.x - p.y * p.y },
        gradient: { p in Point2D(2 * p.x, -2 * p.y) },
        hessian: { _ in [[2, 0], [0, -2]] },
        minimizer: nil)
}

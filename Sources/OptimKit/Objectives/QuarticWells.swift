/// A quartic with two wells, given by where its slope vanishes:
///
///     f'(x) = k (x − a)(x − b)(x − m),   a < b < m,
///     f(x)  = k (x⁴/4 − (a + b + m) x³/3 + (ab + am + bm) x²/2 − abm x).
///
/// With k > 0, a and m are minima and b is the maximum between them. Which well is deeper
/// follows from the numbers; the default (a, b, m) = (−2, −1, 3), k = 0.1, gives a shallow
/// well at −2 (its rim at −1 is only 0.075 higher) beside a deep one at 3:
/// f(−2) = 0.2, f(−1) = 0.275, f(3) = −2.925. Started at −4, gradient descent rolls into
/// the shallow well and stays; a heavy ball with enough momentum rolls over the rim.
///
/// Polynomial only, so runs are bit-identical on every platform.
///
/// - `a`, `b`, `m`: the stationary points, default −2, −1, 3. `scale` k: default 0.1.
///
/// ```swift
/// let f = Objective1D.quarticWells()
/// f.derivative(-2)   // 0 (shallow minimum)
/// f.value(3)         // -2.925 (deep minimum)
/// ```
extension Objective1D {
    public static func quarticWells(a: Double = -2, b: Double = -1, m: Double = 3, scale k: Double = 0.1) -> Objective1D {
        requireValid(a < b && b < m && k > 0, "quarticWells: need a < b < m and scale > 0")
        let s1 = a + b + m, s2 = a * b + a * m + b * m, s3 = a * b * m
        return Objective1D(
            name: "quartic wells",
            value: { x in k * (x * x * x * x / 4 - s1 * x * x * x / 3 + s2 * x * x / 2 - s3 * x) },
            derivative: { x in k * ((x - a) * (x - b) * (x - m)) },
            secondDerivative: { x in k * (3 * x * x - 2 * s1 * x + s2) },
            minimizer: nil)
    }
}

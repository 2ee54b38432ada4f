/// One-dimensional minimization on an interval, and gradient descent that picks every
/// step length by such a search.
///
/// - `bisection` halves `[a, b]` by the sign of the derivative at the midpoint: for a convex
///   function the minimizer lies on the side where the derivative changes sign. The bracket
///   shrinks by exactly 1/2 per step (linear convergence, one derivative per step).
/// - `goldenSection` needs values only: it keeps two interior points at the golden ratio and
///   drops the worse end, shrinking the bracket by 0.618 per step (one value per step).
///
/// ```swift
/// let f = Objective1D.logSumExp
/// let r = LineSearch.bisection(f.derivative, in: -5...5, tolerance: 1e-10)
/// r.minimizer   // ≈ (log 2 - 3) / 3
/// ```
public enum LineSearch {
    public struct Result: Sendable {
        /// The midpoint of the final bracket.
        public let minimizer: Double
        /// The bracket after every iteration, the initial one first.
        public let brackets: [ClosedRange<Double>]
        /// How many function or derivative evaluations were spent.
        public let evaluations: Int
        public var iterations: Int { brackets.count - 1 }
    }

    public static func bisection(_ derivative: (Double) -> Double, in interval: ClosedRange<Double>,
                                 tolerance: Double = 1e-8, maxIterations: Int = 200) -> Result {
        var a = interval.lowerBound, b = interval.upperBound
        var brackets = [a...b]
        var evaluations = 0
        while b - a > tolerance && brackets.count <= maxIterations {
            let m = 0.5 * (a + b)
            evaluations += 1
            if derivative(m) > 0 { b = m } else { a = m }
            brackets.append(a...b)
        }
        return Result(minimizer: 0.5 * (a + b), brackets: brackets, evaluations: evaluations)
    }

    public static func goldenSection(_ f: (Double) -> Double, in interval: ClosedRange<Double>,
                                     tolerance: Double = 1e-8, maxIterations: Int = 200) -> Result {
        let inverseGolden = (5.0.squareRoot() - 1) / 2   // 0.618…
        var a = interval.lowerBound, b = interval.upperBound
        var c = b - inverseGolden * (b - a), d = a + inverseGolden * (b - a)
        var fc = f(c), fd = f(d)
        var evaluations = 2
        var brackets = [a...b]
        while b - a > tolerance && brackets.count <= maxIterations {
            if fc < fd {
                b = d; d = c; fd = fc
                c = b - inverseGolden * (b - a); fc = f(c)
            } else {
                a = c; c = d; fc = fd
                d = a + inverseGolden * (b - a); fd = f(d)
            }
            evaluations += 1
            brackets.append(a...b)
        }
        return Result(minimizer: 0.5 * (a + b), brackets: brackets, evaluations: evaluations)
    }

    /// Gradient descent on a 2-D objective where each step length η minimizes
    /// φ(η) = f(x − η ∇f(x)) over `[0, maxStep]`, found by bisection on φ'(η) = −∇f(x − η∇f)·∇f.
    public static func steepestDescent(_ f: Objective2D, start: Point2D = Point2D(-5, -2), steps: Int = 20,
                                       maxStep: Double = 1, tolerance: Double = 1e-12) -> (trace: Trace2D, stepLengths: [Double]) {
        var x = start
        var points = [x]
        var lengths: [Double] = []
        for _ in 0..<steps {
            let g = f.gradient(x)
            if g.x == 0 && g.y == 0 { points.append(x); lengths.append(0); continue }
            let slope: (Double) -> Double = { eta in
                let h = f.gradient(x - eta * g)
                return -(h.x * g.x + h.y * g.y)
            }
            let eta = bisection(slope, in: 0...maxStep, tolerance: tolerance).minimizer
            x = x - eta * g
            points.append(x)
            lengths.append(eta)
        }
        return (Trace2D(points: points), lengths)
    }
}

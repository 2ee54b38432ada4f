import Foundation

/// Central-difference derivatives, used to check every hand-written gradient and Hessian.
///
/// The central difference `(f(x+h) - f(x-h)) / 2h` has error O(h^2); with the default
/// `h = 1e-5` a correct analytic gradient agrees to about 1e-9 relative on smooth functions.
public enum Numerical {
    public static func derivative(_ f: (Double) -> Double, at x: Double, h: Double = 1e-5) -> Double {
        (f(x + h) - f(x - h)) / (2 * h)
    }

    public static func gradient(_ f: ([Double]) -> Double, at x: [Double], h: Double = 1e-5) -> [Double] {
        var g = [Double](repeating: 0, count: x.count)
        var probe = x
        for i in x.indices {
            probe[i] = x[i] + h
            let up = f(probe)
            probe[i] = x[i] - h
            let down = f(probe)
            probe[i] = x[i]
            g[i] = (up - down) / (2 * h)
        }
        return g
    }

    public static func gradient(_ f: (Point2D) -> Double, at p: Point2D, h: Double = 1e-5) -> Point2D {
        let g = gradient({ v in f(Point2D(v[0], v[1])) }, at: [p.x, p.y], h: h)
        return Point2D(g[0], g[1])
    }

    /// The Hessian as central differences of the analytic gradient.
    public static func hessian(of gradient: ([Double]) -> [Double], at x: [Double], h: Double = 1e-5) -> [[Double]] {
        let n = x.count
        var rows = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        var probe = x
        for j in 0..<n {
            probe[j] = x[j] + h
            let up = gradient(probe)
            probe[j] = x[j] - h
            let down = gradient(probe)
            probe[j] = x[j]
            for i in 0..<n { rows[i][j] = (up[i] - down[i]) / (2 * h) }
        }
        return rows
    }
}

/// Compares an analytic gradient with the numerical one, the way the lecture notes
/// recommend before trusting any backward pass.
public struct GradientCheck: Sendable {
    /// Largest relative error `|a - n| / max(1e-8, |a| + |n|)` over the coordinates.
    public let maxRelativeError: Double
    public let analytic: [Double]
    public let numerical: [Double]

    public init(analytic: [Double], numerical: [Double]) {
        requireValid(analytic.count == numerical.count,
                     "GradientCheck: analytic and numerical gradients differ in size, got \(analytic.count) and \(numerical.count)")
        self.analytic = analytic
        self.numerical = numerical
        var worst = 0.0
        for (a, n) in zip(analytic, numerical) {
            worst = Swift.max(worst, abs(a - n) / Swift.max(1e-8, abs(a) + abs(n)))
        }
        maxRelativeError = worst
    }

    public static func check(_ f: ([Double]) -> Double, gradient: ([Double]) -> [Double],
                             at x: [Double], h: Double = 1e-5) -> GradientCheck {
        GradientCheck(analytic: gradient(x), numerical: Numerical.gradient(f, at: x, h: h))
    }

    /// Passes when the relative error is below `tolerance` (1e-6 suits smooth functions in double).
    public func passes(tolerance: Double = 1e-6) -> Bool { maxRelativeError < tolerance }
}

/// How the agreement between an analytic and a numerical gradient depends on the step h.
///
/// The one-sided difference (f(x + h) − f(x)) / h, as in the lecture notes, has truncation
/// error O(h); the central one, (f(x + h) − f(x − h)) / 2h, O(h²). Both also suffer
/// round-off of order ε·|f| / h (ε ≈ 1.1e-16), which grows as h shrinks. So the error first
/// falls with h and then rises again: the forward difference is best near h ≈ 1e-8, the
/// central one near h ≈ 1e-5, and neither is trustworthy at h = 1e-12.
///
/// ```swift
/// let rows = GradientCheckSweep.run(f, gradient: g, at: w, steps: [1e-1, 1e-3, 1e-5, 1e-7])
/// rows[2].centralError     // relative error of the central difference at h = 1e-5
/// ```
public enum GradientCheckSweep {
    public struct Row: Sendable, Equatable {
        public let h: Double
        /// `GradientCheck.maxRelativeError` with the forward difference.
        public let forwardError: Double
        /// The same with the central difference.
        public let centralError: Double
    }

    /// The steps 10⁻¹, 10⁻², ..., 10⁻¹².
    public static let defaultSteps: [Double] = (1...12).map { k in
        var h = 1.0
        for _ in 0..<k { h /= 10 }
        return h
    }

    public static func run(_ f: ([Double]) -> Double, gradient: ([Double]) -> [Double], at x: [Double],
                           steps: [Double] = defaultSteps) -> [Row] {
        let analytic = gradient(x)
        return steps.map { h in
            let forward = GradientCheck(analytic: analytic, numerical: Numerical.forwardGradient(f, at: x, h: h))
            let central = GradientCheck(analytic: analytic, numerical: Numerical.gradient(f, at: x, h: h))
            return Row(h: h, forwardError: forward.maxRelativeError, centralError: central.maxRelativeError)
        }
    }
}

extension Numerical {
    /// One-sided differences (f(x + h eᵢ) − f(x)) / h: the lecture notes' naive numerical
    /// gradient (error O(h), so less accurate than `gradient(_:at:h:)`).
    public static func forwardGradient(_ f: ([Double]) -> Double, at x: [Double], h: Double = 1e-5) -> [Double] {
        let fx = f(x)
        var probe = x
        var g = [Double](repeating: 0, count: x.count)
        for i in x.indices {
            probe[i] = x[i] + h
            g[i] = (f(probe) - fx) / h
            probe[i] = x[i]
        }
        return g
    }
}

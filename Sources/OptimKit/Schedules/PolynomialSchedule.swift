import Foundation

/// Polynomial decay: `η_t = η₀ (β t + 1)^(−α)`.
///
/// With `α = 0.5` the rate falls like `1/√t`, the choice the convex analysis of SGD
/// favours (section 11.4); `α = 1` gives inverse-time decay.
///
/// - `initialLR` η₀: no default. `beta` β: default 1 (≥ 0, how fast the clock runs).
///   `alpha` α: default 0.5 (≥ 0, the power of the decay).
///
/// For `α = 0.5` the power is taken as `1 / sqrt(β t + 1)` (square root and division are
/// correctly rounded everywhere), so runs do not depend on the platform's `pow`; other
/// exponents use `pow`.
///
/// ```swift
/// let s = PolynomialSchedule(initialLR: 1, beta: 0.1)   // (1 + 0.1 t)^(-1/2)
/// s(30)   // 0.5
/// ```
public struct PolynomialSchedule: LearningRateSchedule, Equatable {
    public var initialLR: Double
    public var beta: Double
    public var alpha: Double

    public init(initialLR: Double, beta: Double = 1, alpha: Double = 0.5) {
        self.initialLR = initialLR
        self.beta = beta
        self.alpha = alpha
    }

    public func callAsFunction(_ step: Int) -> Double {
        let base = beta * Double(step) + 1
        if alpha == 0.5 { return initialLR * (1 / base.squareRoot()) }
        return initialLR * Foundation.pow(base, -alpha)
    }
}

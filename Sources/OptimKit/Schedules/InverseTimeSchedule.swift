/// Inverse-time decay: `η_t = η₀ / (1 + k t)` (the lecture notes' "inverse decay").
///
/// Decays like `1/t`, the rate stochastic gradient descent needs on strongly convex
/// problems.
///
/// - `initialLR` η₀: no default. `decayRate` k: no default (≥ 0).
///
/// ```swift
/// let s = InverseTimeSchedule(initialLR: 1, decayRate: 0.5)
/// s(2)   // 0.5
/// ```
public struct InverseTimeSchedule: LearningRateSchedule, Equatable {
    public var initialLR: Double
    public var decayRate: Double

    public init(initialLR: Double, decayRate: Double) {
        self.initialLR = initialLR
        self.decayRate = decayRate
    }

    public func callAsFunction(_ step: Int) -> Double {
        initialLR / (1 + decayRate * Double(step))
    }
}

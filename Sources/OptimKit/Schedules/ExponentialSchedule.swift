import Foundation

/// Exponential decay: `η_t = η₀ · γᵗ`, equivalently `η₀ e^(−k t)` with `γ = e^(−k)`
/// (the lecture notes' form; PyTorch's `ExponentialLR`).
///
/// `γᵗ` is computed by binary powering (IEEE multiplications only), so values are the
/// same on every platform.
///
/// - `initialLR` η₀: no default. `gamma` γ: no default (0 < γ ≤ 1 to decay).
///
/// ```swift
/// let s = ExponentialSchedule(initialLR: 1, gamma: 0.5)
/// s(3)   // 0.125
/// let t = ExponentialSchedule(initialLR: 1, decayRate: 0.1)   // γ = e^(−0.1)
/// ```
public struct ExponentialSchedule: LearningRateSchedule, Equatable {
    public var initialLR: Double
    public var gamma: Double

    public init(initialLR: Double, gamma: Double) {
        self.initialLR = initialLR
        self.gamma = gamma
    }

    /// From the continuous decay rate `k` of `η₀ e^(−k t)`.
    public init(initialLR: Double, decayRate: Double) {
        self.init(initialLR: initialLR, gamma: Foundation.exp(-decayRate))
    }

    public func callAsFunction(_ step: Int) -> Double {
        initialLR * integerPower(gamma, max(step, 0))
    }
}

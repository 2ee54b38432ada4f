/// Piecewise-constant decay: multiply by α each time a milestone is passed.
///
/// `η_t = η₀ · α^k` where `k` counts the milestones `s` with `t > s` (MXNet's
/// `MultiFactorScheduler` semantics: the drop happens *after* step `s`).
/// With milestones `[15, 30]`, α = 0.5 and η₀ = 0.5: 0.5 for t ≤ 15, 0.25 for
/// 15 < t ≤ 30, 0.125 after.
///
/// - `steps`: the milestones, strictly increasing and ≥ 1.
/// - `factor` α: default 1.
/// - `baseLR` η₀: default 0.01.
///
/// ```swift
/// let s = MultiFactorSchedule(steps: [15, 30], factor: 0.5, baseLR: 0.5)
/// s(15)   // 0.5
/// s(16)   // 0.25
/// ```
public struct MultiFactorSchedule: LearningRateSchedule, Equatable {
    public var steps: [Int]
    public var factor: Double
    public var baseLR: Double

    public init(steps: [Int], factor: Double = 1, baseLR: Double = 0.01) {
        requireValid(zip(steps, steps.dropFirst()).allSatisfy { $0 < $1 } && (steps.first ?? 1) >= 1,
                     "MultiFactorSchedule: milestones must be increasing and >= 1, got \(steps)")
        self.steps = steps
        self.factor = factor
        self.baseLR = baseLR
    }

    public func callAsFunction(_ step: Int) -> Double {
        var rate = baseLR
        for milestone in steps where step > milestone { rate *= factor }
        return rate
    }
}

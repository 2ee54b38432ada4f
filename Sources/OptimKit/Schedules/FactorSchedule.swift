/// Multiplicative decay with a floor: `η_t = max(η_min, η₀ · α^(t+1))`.
///
/// The book's `FactorScheduler` multiplies its stored rate by α on every call and
/// returns it, so its *n*-th call (n = 1, 2, …) returns `max(η_min, η₀ αⁿ)`. Here step
/// `t` (0-based) returns what that call number `t + 1` returns; plotting steps `0..<50`
/// reproduces the book's 50 calls. The value is computed by `t + 1` successive
/// multiplications, each floored, exactly as the stateful version does, so the
/// numbers match it bit for bit (a single `pow` would not).
///
/// - `factor` α: default 1 (no decay).
/// - `stopFactorLR` η_min: default 1e-7.
/// - `baseLR` η₀: default 0.1.
///
/// ```swift
/// let s = FactorSchedule(factor: 0.9, stopFactorLR: 1e-2, baseLR: 2)
/// s(0)    // 1.8   (the first call)
/// s(1)    // 1.62
/// s(49)   // ≈ 0.0103
/// ```
public struct FactorSchedule: LearningRateSchedule, Equatable {
    public var factor: Double
    public var stopFactorLR: Double
    public var baseLR: Double

    public init(factor: Double = 1, stopFactorLR: Double = 1e-7, baseLR: Double = 0.1) {
        self.factor = factor
        self.stopFactorLR = stopFactorLR
        self.baseLR = baseLR
    }

    public func callAsFunction(_ step: Int) -> Double {
        var rate = baseLR
        var calls = 0
        while calls <= step {
            let next = max(stopFactorLR, rate * factor)
            if next == rate { break }   // fixed point (the floor, or α = 1): nothing changes any more
            rate = next
            calls += 1
        }
        return rate
    }
}

/// Inverse square-root decay counted from step 1, as in the Transformer recipe
/// (usually behind a `Warmup`): `η_t = η₀ / sqrt(max(t, 1))`.
///
/// Unlike `SquareRootSchedule` (`η₀ (t + 1)^(−1/2)`, the book's), step 0 and step 1
/// both give η₀ here, so after a warmup of `w` steps with `delaysSchedule: false` the
/// rate continues as `η₀ / sqrt(t)` from the warmup's end.
///
/// - `initialLR` η₀: no default.
///
/// ```swift
/// let s = InverseSquareRootSchedule(initialLR: 1)
/// s(4)   // 0.5
/// ```
public struct InverseSquareRootSchedule: LearningRateSchedule, Equatable {
    public var initialLR: Double

    public init(initialLR: Double) { self.initialLR = initialLR }

    public func callAsFunction(_ step: Int) -> Double {
        initialLR / Double(max(step, 1)).squareRoot()
    }
}

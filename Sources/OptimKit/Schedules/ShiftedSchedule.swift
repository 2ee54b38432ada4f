/// A schedule read `offset` steps later than it is asked for: `η_t = base(t + offset)`.
///
/// This is how the book's stateful counters map onto pure schedules. In section 11.4 a
/// counter starts at 1 and is incremented *before* each use, so the very first update
/// already sees the counter at 2: the update with 0-based index `t` uses `base(t + 2)`,
/// i.e. `ShiftedSchedule(base, offset: 2)`.
///
/// - `base`: no default. `offset`: no default (may be negative; steps are not clamped).
///
/// ```swift
/// let s = ShiftedSchedule(PolynomialSchedule(initialLR: 1, beta: 0.1), offset: 2)
/// s(0)   // (1 + 0.1 * 2)^(-1/2), the rate of the book's first polynomial step
/// ```
public struct ShiftedSchedule<Base: LearningRateSchedule>: LearningRateSchedule {
    public var base: Base
    public var offset: Int

    public init(_ base: Base, offset: Int) {
        self.base = base
        self.offset = offset
    }

    public func callAsFunction(_ step: Int) -> Double { base(step + offset) }
}

extension ShiftedSchedule: Equatable where Base: Equatable {}

extension LearningRateSchedule {
    /// `self` evaluated `offset` steps later: `shifted(by: 2)(t) == self(t + 2)`.
    public func shifted(by offset: Int) -> ShiftedSchedule<Self> { ShiftedSchedule(self, offset: offset) }
}

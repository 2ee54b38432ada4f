/// Cyclical learning rate with the triangular policy (Smith 2017): the rate climbs
/// linearly from a lower to an upper bound over `stepSize` steps and falls back over the
/// next `stepSize`, repeating.
///
/// ```
/// cycle = ⌊1 + t / (2 s)⌋
/// x     = |t / s − 2 cycle + 1|
/// η_t   = η_low + (η_high − η_low) · max(0, 1 − x)
/// ```
///
/// - `lowerLR` η_low, `upperLR` η_high: no defaults.
/// - `stepSize` s: half a cycle, in steps (≥ 1; Smith suggests 2–10 epochs' worth).
///
/// ```swift
/// let s = TriangularCyclicalSchedule(lowerLR: 0.1, upperLR: 1, stepSize: 10)
/// s(0)    // 0.1
/// s(10)   // 1
/// s(20)   // 0.1
/// ```
public struct TriangularCyclicalSchedule: LearningRateSchedule, Equatable {
    public var lowerLR: Double
    public var upperLR: Double
    public var stepSize: Int

    public init(lowerLR: Double, upperLR: Double, stepSize: Int) {
        requireValid(stepSize >= 1, "TriangularCyclicalSchedule: stepSize must be at least 1, got \(stepSize)")
        self.lowerLR = lowerLR
        self.upperLR = upperLR
        self.stepSize = stepSize
    }

    public func callAsFunction(_ step: Int) -> Double {
        let t = Double(max(step, 0)), s = Double(stepSize)
        let cycle = (1 + t / (2 * s)).rounded(.down)
        let x = abs(t / s - 2 * cycle + 1)
        return lowerLR + (upperLR - lowerLR) * max(0, 1 - x)
    }
}

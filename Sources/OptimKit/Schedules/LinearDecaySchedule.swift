/// Linear decay to a final rate over `totalSteps`, then constant (as used for BERT):
///
/// `η_t = η₀ + (η_T − η₀) · min(t, T) / T`
///
/// - `initialLR` η₀: no default. `finalLR` η_T: default 0. `totalSteps` T: no default (≥ 1).
///
/// ```swift
/// let s = LinearDecaySchedule(initialLR: 1, totalSteps: 4)
/// s(1)   // 0.75
/// s(9)   // 0
/// ```
public struct LinearDecaySchedule: LearningRateSchedule, Equatable {
    public var initialLR: Double
    public var finalLR: Double
    public var totalSteps: Int

    public init(initialLR: Double, finalLR: Double = 0, totalSteps: Int) {
        requireValid(totalSteps >= 1, "LinearDecaySchedule: totalSteps must be at least 1, got \(totalSteps)")
        self.initialLR = initialLR
        self.finalLR = finalLR
        self.totalSteps = totalSteps
    }

    public func callAsFunction(_ step: Int) -> Double {
        if step >= totalSteps { return finalLR }   // exactly η_T, not η₀ + (η_T − η₀) rounded
        let t = max(step, 0)
        return initialLR + (finalLR - initialLR) * Double(t) / Double(totalSteps)
    }
}

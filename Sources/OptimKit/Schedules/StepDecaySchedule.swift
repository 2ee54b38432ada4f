/// Step decay: multiply by γ every `stepSize` steps (PyTorch's `StepLR`; the lecture
/// notes' "multiply by 0.1 after epochs 30, 60 and 90" is `MultiFactorSchedule`).
///
/// `η_t = η₀ · γ^⌊t / stepSize⌋`
///
/// - `initialLR` η₀: no default. `gamma` γ: default 0.1. `stepSize`: no default (≥ 1).
///
/// ```swift
/// let s = StepDecaySchedule(initialLR: 1, gamma: 0.5, stepSize: 10)
/// s(9)    // 1
/// s(10)   // 0.5
/// ```
public struct StepDecaySchedule: LearningRateSchedule, Equatable {
    public var initialLR: Double
    public var gamma: Double
    public var stepSize: Int

    public init(initialLR: Double, gamma: Double = 0.1, stepSize: Int) {
        requireValid(stepSize >= 1, "StepDecaySchedule: stepSize must be at least 1, got \(stepSize)")
        self.initialLR = initialLR
        self.gamma = gamma
        self.stepSize = stepSize
    }

    public func callAsFunction(_ step: Int) -> Double {
        initialLR * integerPower(gamma, max(step, 0) / stepSize)
    }
}

import Foundation

/// Decay with the inverse square root of the step count, the rate that suits convex
/// problems: `η_t = η₀ (t + 1)^(−1/2)`.
///
/// - `learningRate` η₀: default 0.1 (the book plots it with 1.0).
///
/// Evaluated as `η₀ * pow(t + 1, -0.5)`, the book's expression, so the values agree with
/// it digit for digit (`1 / sqrt(t + 1)` differs in the last bit for many `t`).
///
/// ```swift
/// let s = SquareRootSchedule(learningRate: 1)
/// s(0)   // 1.0
/// s(3)   // 0.5
/// ```
public struct SquareRootSchedule: LearningRateSchedule, Equatable {
    public var learningRate: Double
    public init(learningRate: Double = 0.1) { self.learningRate = learningRate }
    public func callAsFunction(_ step: Int) -> Double {
        learningRate * Foundation.pow(Double(step) + 1.0, -0.5)
    }
}

import Foundation

/// Cosine annealing (Loshchilov and Hutter 2016) with an optional linear warmup, in
/// MXNet's `CosineScheduler` form.
///
/// With `w` warmup steps and `T = maxUpdate`:
/// ```
/// t < w:       η_t = η_begin + (η₀ − η_begin) · t / w
/// w ≤ t ≤ T:   η_t = η_T + (η₀ − η_T) (1 + cos(π (t − w) / (T − w))) / 2
/// t > T:       η_t = η_T
/// ```
/// The cosine therefore spans the `T − w` steps after the warmup, and the rate stays
/// at η_T once the schedule is over instead of rising again.
///
/// - `maxUpdate` T: the step at which η_T is reached (> `warmupSteps`).
/// - `baseLR` η₀: default 0.01. `finalLR` η_T: default 0.
/// - `warmupSteps` w: default 0. `warmupBeginLR` η_begin: default 0.
///
/// ```swift
/// let s = CosineSchedule(maxUpdate: 40, baseLR: 0.5, finalLR: 0.01, warmupSteps: 5)
/// s(0)    // 0
/// s(5)    // 0.5
/// s(40)   // 0.01
/// ```
public struct CosineSchedule: LearningRateSchedule, Equatable {
    public var maxUpdate: Int
    public var baseLR: Double
    public var finalLR: Double
    public var warmupSteps: Int
    public var warmupBeginLR: Double

    public init(maxUpdate: Int, baseLR: Double = 0.01, finalLR: Double = 0, warmupSteps: Int = 0,
                warmupBeginLR: Double = 0) {
        requireValid(warmupSteps >= 0 && maxUpdate > warmupSteps,
                     "CosineSchedule: warmupSteps must be >= 0 and maxUpdate must exceed it, got maxUpdate \(maxUpdate), "
                     + "warmupSteps \(warmupSteps)")
        self.maxUpdate = maxUpdate
        self.baseLR = baseLR
        self.finalLR = finalLR
        self.warmupSteps = warmupSteps
        self.warmupBeginLR = warmupBeginLR
    }

    public func callAsFunction(_ step: Int) -> Double {
        if step < warmupSteps {
            return linearWarmup(step: step, steps: warmupSteps, from: warmupBeginLR, to: baseLR)
        }
        if step > maxUpdate { return finalLR }
        let angle = Double.pi * Double(step - warmupSteps) / Double(maxUpdate - warmupSteps)
        return finalLR + (baseLR - finalLR) * (1 + cos(angle)) / 2
    }
}

/// `from + (to − from) · t / steps`, in the operation order MXNet uses.
@inline(__always)
func linearWarmup(step: Int, steps: Int, from: Double, to: Double) -> Double {
    from + (to - from) * Double(step) / Double(steps)
}

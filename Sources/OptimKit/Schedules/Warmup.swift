/// A linear warmup in front of any schedule.
///
/// ```
/// t < w:   η_t = η_begin + (S(0) − η_begin) · t / w
/// t ≥ w:   η_t = S(t − w)      (or S(t) when `delaysSchedule` is false)
/// ```
/// The rate climbs from η_begin to where the wrapped schedule `S` starts. By default the
/// wrapped schedule starts *after* the warmup, as MXNet's cosine scheduler does, so
/// `Warmup(steps: 5, CosineSchedule(maxUpdate: 35, ...))` equals
/// `CosineSchedule(maxUpdate: 40, ..., warmupSteps: 5)` exactly. With
/// `delaysSchedule: false` the wrapped schedule keeps its own clock (milestones of a
/// `MultiFactorSchedule` stay where they were), as MXNet's factor schedulers do, and the
/// warmup climbs to `S(w)`.
///
/// - `steps` w: warmup length (≥ 1).
/// - `beginLR` η_begin: default 0.
/// - `delaysSchedule`: default true.
///
/// ```swift
/// let s = Warmup(steps: 5, schedule: SquareRootSchedule(learningRate: 1))
/// s(0)   // 0
/// s(5)   // 1  (the wrapped schedule's step 0)
/// ```
public struct Warmup<Schedule: LearningRateSchedule>: LearningRateSchedule {
    public var steps: Int
    public var beginLR: Double
    public var delaysSchedule: Bool
    public var schedule: Schedule

    public init(steps: Int, beginLR: Double = 0, delaysSchedule: Bool = true, schedule: Schedule) {
        requireValid(steps >= 1, "Warmup: steps must be at least 1, got \(steps)")
        self.steps = steps
        self.beginLR = beginLR
        self.delaysSchedule = delaysSchedule
        self.schedule = schedule
    }

    public func callAsFunction(_ step: Int) -> Double {
        if step < steps {
            let target = schedule(delaysSchedule ? 0 : steps)
            return linearWarmup(step: step, steps: steps, from: beginLR, to: target)
        }
        return schedule(delaysSchedule ? step - steps : step)
    }
}

extension Warmup: Equatable where Schedule: Equatable {}

/// An optimizer whose learning rate comes from a schedule: before every update the wrapped
/// optimizer's rate is set to `schedule(k)`, where `k` counts updates (`unit: .update`) or
/// epochs (`unit: .epoch`, with `updatesPerEpoch` updates to an epoch).
///
/// This is the one way a schedule reaches an optimizer (optax's `inject_hyperparameters`,
/// torch's `LRScheduler`): the training loops know nothing of schedules. The update count is
/// part of the state, so saving the state saves the schedule's position, and every tensor of a
/// network (each with its own state) sees the same rate at the same update.
///
/// ```
/// η_k = schedule(u)                   unit .update, u = updates so far (0 for the first)
/// η_k = schedule(⌊u / updatesPerEpoch⌋) unit .epoch
/// ```
///
/// - `base`: the optimizer that takes the step (its own `learningRate` is overwritten).
/// - `unit`: default `.update`. `updatesPerEpoch`: default 1 (must be positive).
///
/// ```swift
/// let opt = Scheduled(SGD(learningRate: 0.5), schedule: FactorSchedule(factor: 0.9, baseLR: 0.5))
/// var w = [1.0]; var s = opt.initialState(count: 1)
/// opt.update(&w, gradient: [1], state: &s)   // step with η = 0.5, then 0.45, …
/// ```
public struct Scheduled<Base: Optimizer, Schedule: LearningRateSchedule>: Optimizer {
    public struct State: Codable, Sendable, Equatable {
        public var base: Base.State
        /// Updates applied so far.
        public var updates: Int
    }

    public var base: Base
    public var schedule: Schedule
    public var unit: ScheduleUnit
    public var updatesPerEpoch: Int

    public init(_ base: Base, schedule: Schedule, unit: ScheduleUnit = .update, updatesPerEpoch: Int = 1) {
        if updatesPerEpoch <= 0 { misuse("Scheduled: updatesPerEpoch must be positive, got \(updatesPerEpoch)") }
        self.base = base
        self.schedule = schedule
        self.unit = unit
        self.updatesPerEpoch = updatesPerEpoch
    }

    /// The base optimizer's rate; the schedule overwrites it before every update.
    public var learningRate: Double {
        get { base.learningRate }
        set { base.learningRate = newValue }
    }

    /// The rate of the update that follows `updates` earlier ones.
    public func rate(afterUpdates updates: Int) -> Double {
        switch unit {
        case .update: return schedule(updates)
        case .epoch: return schedule(updates / updatesPerEpoch)
        }
    }

    /// The rate of the latest update (of the first one before any).
    public func appliedLearningRate(_ state: State) -> Double {
        rate(afterUpdates: max(state.updates - 1, 0))
    }

    public func initialState(count: Int) -> State {
        State(base: base.initialState(count: count), updates: 0)
    }

    public func update<Scalar: OptimizerScalar>(_ params: inout [Scalar], gradient: [Scalar], state: inout State) {
        var stepper = base
        stepper.learningRate = rate(afterUpdates: state.updates)
        stepper.update(&params, gradient: gradient, state: &state.base)
        state.updates += 1
    }
}

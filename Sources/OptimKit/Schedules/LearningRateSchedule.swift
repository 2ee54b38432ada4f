/// A learning rate as a pure function of the step count.
///
/// The book's schedulers are objects that mutate themselves on every call; here a
/// schedule is a value and `schedule(t)` depends on nothing but `t`, so it can be
/// evaluated out of order, plotted, saved (`Codable`) and resumed without replaying
/// earlier calls. What "a step" is (a minibatch update or an epoch) is up to the
/// caller; the chapters say which they use.
///
/// ```swift
/// let schedule = CosineSchedule(maxUpdate: 40, baseLR: 0.5, finalLR: 0.01)
/// let rates = schedule.values(0..<40)
/// var optimizer = SGD(learningRate: schedule(0))
/// optimizer.learningRate = schedule(7)
/// ```
public protocol LearningRateSchedule: Sendable, Codable, Equatable {
    /// The learning rate at `step` (0-based).
    func callAsFunction(_ step: Int) -> Double
}

extension LearningRateSchedule {
    /// The rates at every step in `steps`, for tables and plots.
    public func values(_ steps: Range<Int>) -> [Double] { steps.map { self($0) } }
}

/// The same rate at every step: `η_t = η`.
///
/// ```swift
/// ConstantSchedule(learningRate: 0.5)(123)   // 0.5
/// ```
public struct ConstantSchedule: LearningRateSchedule, Equatable {
    public var learningRate: Double
    public init(learningRate: Double) { self.learningRate = learningRate }
    public func callAsFunction(_ step: Int) -> Double { learningRate }
}

import OptimKit
import OptimData
import Foundation

/// Everything a linear-regression run on the airfoil data needs to stop and later continue
/// exactly where it stopped: the parameters, the optimizer with its state, the learning-rate
/// schedule with the position in it, and the random generator that draws the minibatch order.
///
/// Checkpoints are taken between epochs. Each epoch starts with a fresh shuffle drawn from
/// the generator, so the generator's state is the whole data-order state. `Codable` end to
/// end, so a checkpoint survives a round trip through JSON (Swift writes each `Double` with
/// enough digits to read back the same bits), and training on from the decoded value gives
/// the same result, bit for bit, as never having stopped.
///
/// `train(…)` is the loop of `trainLinearRegression` (same initialisation, same shuffles,
/// same schedule handling), so `epochs` epochs from `start(…)` end at the parameters that
/// `trainLinearRegression(…, epochs:)` returns for the same generator.
///
/// ```swift
/// var rng = SeededGenerator(seed: 7)
/// var run = TrainingCheckpoint.start(optimizer: Adam(learningRate: 0.01),
///                                    schedule: CosineSchedule(maxUpdate: 600, baseLR: 0.01),
///                                    unit: .update, data: data, generator: rng)
/// run.train(data: data, batchSize: 10, epochs: 2)
/// let saved = try run.json()                               // write it anywhere
/// var resumed = try TrainingCheckpoint<Adam, CosineSchedule>(json: saved)
/// resumed.train(data: data, batchSize: 10, epochs: 2)      // as if never interrupted
/// ```
public struct TrainingCheckpoint<O: Optimizer, S: LearningRateSchedule & Equatable>: Codable, Equatable {
    /// `[w…, b]` after the last completed epoch.
    public var parameters: [Double]
    /// The optimizer's hyperparameters (its learning rate is set from the schedule).
    public var optimizer: O
    /// Moments, accumulators and step counts of the optimizer.
    public var state: O.State
    public var schedule: S
    /// Whether `schedule` advances per update or per epoch.
    public var unit: ScheduleUnit
    public var epochsCompleted: Int
    public var updates: Int
    /// Draws the next epoch's minibatch order.
    public var generator: SeededGenerator

    public init(parameters: [Double], optimizer: O, state: O.State, schedule: S, unit: ScheduleUnit,
                epochsCompleted: Int, updates: Int, generator: SeededGenerator) {
        self.parameters = parameters; self.optimizer = optimizer; self.state = state; self.schedule = schedule
        self.unit = unit; self.epochsCompleted = epochsCompleted; self.updates = updates; self.generator = generator
    }

    /// A run before its first epoch: `w ~ N(0, 0.01²)` drawn from `generator`, `b = 0`, fresh
    /// optimizer state, as `trainLinearRegression` starts.
    public static func start(optimizer: O, schedule: S, unit: ScheduleUnit, data: AirfoilData,
                             generator: SeededGenerator) -> TrainingCheckpoint {
        var rng = generator
        let params = LinearRegression.initialParameters(featureCount: data.featureCount, generator: &rng)
        return TrainingCheckpoint(parameters: params, optimizer: optimizer,
                                  state: optimizer.initialState(count: params.count), schedule: schedule,
                                  unit: unit, epochsCompleted: 0, updates: 0, generator: rng)
    }

    /// Trains `epochs` more epochs of minibatches of `batchSize` and returns the loss over all
    /// examples after each of them.
    @discardableResult
    public mutating func train(data: AirfoilData, batchSize: Int, epochs: Int) -> [Double] {
        requireValid(batchSize > 0 && epochs >= 0,
                     "TrainingCheckpoint.train: batchSize must be positive and epochs not negative, got \(batchSize) and \(epochs)")
        requireValid(parameters.count == data.featureCount + 1,
                     "TrainingCheckpoint.train: \(parameters.count) parameters do not fit data with \(data.featureCount) features "
                     + "(expected \(data.featureCount + 1))")
        var gradient = [Double](repeating: 0, count: parameters.count)
        var batches = MinibatchIterator(count: data.count, batchSize: batchSize)
        var losses: [Double] = []
        for _ in 0..<epochs {
            batches.shuffle(using: &generator)
            if unit == .epoch { optimizer.learningRate = schedule(epochsCompleted) }
            for k in 0..<batches.batchCount {
                _ = LinearRegression.gradient(parameters, data: data, batch: batches.batch(k), into: &gradient)
                if unit == .update { optimizer.learningRate = schedule(updates) }
                optimizer.update(&parameters, gradient: gradient, state: &state)
                updates += 1
            }
            epochsCompleted += 1
            losses.append(LinearRegression.loss(parameters, data: data))
        }
        return losses
    }

    /// The checkpoint as JSON (keys sorted, so equal checkpoints give equal bytes).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    /// Reads a checkpoint written by `json()`.
    public init(json: Data) throws {
        self = try JSONDecoder().decode(TrainingCheckpoint.self, from: json)
    }
}

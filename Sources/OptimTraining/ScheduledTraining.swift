import OptimKit
import OptimKernels
import OptimData
import Foundation

/// The figures of one epoch of classifier training, as d2l's animator plots them.
public struct EpochRecord: Sendable, Equatable {
    /// 1-based epoch number.
    public var epoch: Int
    /// The rate of the epoch's last update (for a per-epoch schedule, the epoch's rate).
    public var learningRate: Double
    /// Mean training loss over the epoch, measured on the fly while training.
    public var trainLoss: Double
    /// Fraction of training images classified correctly on the fly.
    public var trainAccuracy: Double
    /// Accuracy on the held-out (test) images after the epoch.
    public var testAccuracy: Double
    /// Wall-clock seconds of the epoch (training plus evaluation); volatile.
    public var seconds: Double

    public init(epoch: Int, learningRate: Double, trainLoss: Double, trainAccuracy: Double,
                testAccuracy: Double, seconds: Double) {
        self.epoch = epoch; self.learningRate = learningRate; self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy; self.testAccuracy = testAccuracy; self.seconds = seconds
    }

    /// Equality of the reproducible fields (the wall-clock time is ignored).
    public static func == (a: EpochRecord, b: EpochRecord) -> Bool {
        a.epoch == b.epoch && a.learningRate == b.learningRate && a.trainLoss == b.trainLoss
            && a.trainAccuracy == b.trainAccuracy && a.testAccuracy == b.testAccuracy
    }
}

extension LeNetTrainer {
    /// Trains for `epochs` epochs with any optimizer (one state per parameter tensor),
    /// evaluating on `test` after every epoch. A schedule, if any, is part of the optimizer
    /// (`Scheduled`; `updatesPerEpoch(for:)` gives its epoch length).
    ///
    /// - `progress`: called after every minibatch with (updates done, updates in total),
    ///   e.g. to drive a `ProgressBar`; it must not affect the results.
    ///
    /// The minibatch order of each epoch is drawn from `generator`, so a run is a pure
    /// function of the network's initial weights, the data, the optimizer and the generator's
    /// state.
    ///
    /// Training stops after the first epoch whose mean loss is NaN or infinite (weights
    /// that overflowed cannot recover): the last record then shows the non-finite loss and
    /// there are fewer than `epochs` records.
    ///
    /// ```swift
    /// var rng = SeededGenerator(seed: 3)
    /// let trainer = LeNetTrainer(network: LeNet.make(generator: &rng))
    /// let history = trainer.train(on: train, test: heldOut, epochs: 2,
    ///                             optimizer: Adam(learningRate: 0.001), generator: &rng)
    /// ```
    public func train<O: Optimizer>(
        on train: ImageDataset, test: ImageDataset, epochs: Int, optimizer: O,
        generator: inout SeededGenerator, progress: ((Int, Int) -> Void)? = nil
    ) -> [EpochRecord] {
        if epochs < 0 { misuse("LeNetTrainer.train: epochs must not be negative, got \(epochs)") }
        let totalUpdates = updatesPerEpoch(for: train) * epochs
        let network = self.network
        var stepper = NetworkOptimizer(optimizer, for: network)
        var updates = 0
        var records: [EpochRecord] = []
        for epoch in 0..<epochs {
            let start = Date()
            let stats = trainEpoch(on: train, generator: &generator) { _ in
                stepper.step(network)
                updates += 1
                progress?(updates, totalUpdates)
            }
            let accuracy = evaluate(test)
            records.append(EpochRecord(epoch: epoch + 1, learningRate: stepper.appliedLearningRate,
                                       trainLoss: stats.meanLoss, trainAccuracy: stats.accuracy,
                                       testAccuracy: accuracy, seconds: Date().timeIntervalSince(start)))
            if !stats.meanLoss.isFinite { break }
        }
        return records
    }

    /// Minibatches in one epoch over `data` (the last one may be smaller).
    public func updatesPerEpoch(for data: ImageDataset) -> Int {
        (data.count + batchSize - 1) / batchSize
    }

    /// Minibatch SGD with the learning rate taken from `schedule`: `train(optimizer:)` with
    /// `Scheduled(SGD, schedule:, unit:)`.
    ///
    /// - `unit`: `.epoch` (default) uses `schedule(e)` for every update of the 0-based
    ///   epoch `e`; `.update` uses `schedule(u)` for the update with 0-based index `u`
    ///   counted over the whole run, which is how the book's trainer advanced its
    ///   schedulers.
    ///
    /// ```swift
    /// let history = trainer.train(on: train, test: heldOut, epochs: 10,
    ///                             schedule: CosineSchedule(maxUpdate: 10, baseLR: 0.5, finalLR: 0.01),
    ///                             generator: &rng)
    /// ```
    public func train<Schedule: LearningRateSchedule>(
        on train: ImageDataset, test: ImageDataset, epochs: Int, schedule: Schedule,
        unit: ScheduleUnit = .epoch, generator: inout SeededGenerator,
        progress: ((Int, Int) -> Void)? = nil
    ) -> [EpochRecord] {
        let sgd = Scheduled(SGD(learningRate: schedule(0)), schedule: schedule, unit: unit,
                            updatesPerEpoch: max(updatesPerEpoch(for: train), 1))
        return self.train(on: train, test: test, epochs: epochs, optimizer: sgd, generator: &generator,
                          progress: progress)
    }
}

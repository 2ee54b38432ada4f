import OptimKit
import OptimKernels
import OptimData
import Dispatch

/// The chapter's common training loop (the book's `train_ch11`): linear regression on the
/// airfoil data with any optimizer.
///
/// 1. `w ~ N(0, 0.01²)` from `generator`, `b = 0`.
/// 2. Each epoch: a fresh shuffle from `generator`, then one update per minibatch with
///    the gradient of the mean squared loss `(ŷ − y)² / 2` over the batch.
/// 3. After an update, when the number of examples processed so far is a multiple of
///    `recordEvery` (200), the loss over all examples is recorded at
///    x = examples processed / examples per epoch. This is the book's `n % 200 == 0` test;
///    its x, `n / batch / batches`, equals ours whenever the batch size divides the data,
///    as in every run of the book.
/// 4. Time is measured around the updates only: like the book's timer, which is stopped
///    while the loss is evaluated, loss evaluations are excluded. `epochSeconds` is the
///    true training time of each epoch (the book prints its timer's mean per recording
///    interval, which it labels "sec/epoch"; that interval is 200 examples, 2/15 of an
///    epoch, except for full-batch descent where it is two epochs).
/// 5. A learning-rate schedule is part of the optimizer: pass `Scheduled(base, schedule:,
///    unit: .epoch, updatesPerEpoch: batches)`.
/// 6. If a batch residual or the recorded loss becomes NaN or infinite, training stops and
///    the run is flagged `diverged`.
///
/// The loop reuses its gradient buffer and minibatch order, and `Optimizer.update` works
/// in place, so steps allocate nothing.
///
/// ```swift
/// var rng = SeededGenerator(seed: 42)
/// let run = trainLinearRegression(optimizer: SGD(learningRate: 0.05), data: data,
///                                 batchSize: 10, epochs: 2, generator: &rng)
/// notebook.output(run.summary)   // loss: 0.24x, <volatile>/epoch
/// ```
public func trainLinearRegression<O: Optimizer>(optimizer: O, data: AirfoilData, batchSize: Int, epochs: Int,
                                                recordEvery: Int = 200,
                                                generator: inout SeededGenerator) -> TrainingRun {
    if batchSize <= 0 || epochs < 0 || recordEvery <= 0 {
        misuse("trainLinearRegression: batch size (\(batchSize)) and recordEvery (\(recordEvery)) must be positive, epochs (\(epochs)) not negative")
    }
    let start = LinearRegression.initialParameters(featureCount: data.featureCount, generator: &generator)
    var loop = DescentLoop(optimizer: optimizer, start: start)
    var batches = MinibatchIterator(count: data.count, batchSize: batchSize)

    var xs: [Double] = [], losses: [Double] = [], stamps: [Double] = [], epochSeconds: [Double] = []
    var processed = 0
    var trainingNanos: UInt64 = 0
    var diverged = false

    epochLoop: for _ in 0..<epochs {
        batches.shuffle(using: &generator)
        var epochNanos: UInt64 = 0
        var started = DispatchTime.now().uptimeNanoseconds
        for k in 0..<batches.batchCount {
            let batch = batches.batch(k)
            var squares = 0.0
            loop.step { params, gradient in
                squares = LinearRegression.gradient(params, data: data, batch: batch, into: &gradient)
            }
            processed += batch.count
            if !squares.isFinite {
                diverged = true
            }
            if diverged || processed % recordEvery == 0 {
                let now = DispatchTime.now().uptimeNanoseconds
                epochNanos += now - started
                if diverged { trainingNanos += epochNanos; break epochLoop }
                let loss = LinearRegression.loss(loop.params, data: data)
                if !loss.isFinite { diverged = true; trainingNanos += epochNanos; break epochLoop }
                xs.append(Double(processed) / Double(data.count))
                losses.append(loss)
                stamps.append(Double(trainingNanos + epochNanos) / 1e9)
                started = DispatchTime.now().uptimeNanoseconds
            }
        }
        epochNanos += DispatchTime.now().uptimeNanoseconds - started
        trainingNanos += epochNanos
        epochSeconds.append(Double(epochNanos) / 1e9)
    }
    let finalLoss = LinearRegression.loss(loop.params, data: data)
    return TrainingRun(epochs: xs, losses: losses, cumulativeSeconds: stamps, epochSeconds: epochSeconds,
                       finalLoss: finalLoss, diverged: diverged || !finalLoss.isFinite, parameters: loop.params,
                       updates: loop.completedSteps, examplesProcessed: processed)
}

/// The concise path: the same loop with an optimizer chosen by name (`OptimizerChoice`).
///
/// ```swift
/// let choice = try OptimizerChoice.named("sgd", ["learning_rate": 0.05])
/// let run = trainLinearRegression(choice: choice, data: data, batchSize: 10, epochs: 2, generator: &rng)
/// ```
public func trainLinearRegression(choice: OptimizerChoice, data: AirfoilData, batchSize: Int, epochs: Int,
                                  recordEvery: Int = 200, generator: inout SeededGenerator) -> TrainingRun {
    trainLinearRegression(optimizer: choice.optimizer, data: data, batchSize: batchSize, epochs: epochs,
                          recordEvery: recordEvery, generator: &generator)
}

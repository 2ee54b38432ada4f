import Foundation
import OptimKit

/// LeNet trained with any `Optimizer` (the book's exercise: "try Adagrad on a deep network").
///
/// `LeNetTrainer` computes each minibatch's gradients in `Float`; after every minibatch each
/// parameter tensor is copied to `Double`, updated by the optimizer with its own state, and
/// copied back. The data are the shipped MNIST digits, split as in Section 11.11.
struct LeNetOptimizerRun {
    struct Epoch { let loss: Double; let trainAccuracy: Double; let heldOutAccuracy: Double }
    let epochs: [Epoch]

    /// The digits: 8000 for training and 2000 held out (reduced, in the tests: 512 and 256).
    static func digits(_ ctx: ChapterContext) throws -> (train: ImageDataset, heldOut: ImageDataset) {
        let all = try MNISTDigits.loadShipped()
        var rng = ctx.generator(stream: "digits-split")
        let (train, heldOut) = all.split(trainCount: 8000, generator: &rng)
        return ctx.reduced ? (train.prefix(512), heldOut.prefix(256)) : (train, heldOut)
    }

    /// Trains a fresh LeNet (initial weights and minibatch order from `ctx`'s streams, the same
    /// for every optimizer) for `epochs` epochs with batches of 256. With a `schedule`, the
    /// learning rate is set from it at the start of every epoch (epoch 0, 1, …).
    static func train<O: Optimizer>(_ optimizer: O, data: (train: ImageDataset, heldOut: ImageDataset), epochs: Int,
                                    schedule: (any LearningRateSchedule)? = nil,
                                    ctx: ChapterContext) -> LeNetOptimizerRun {
        var optimizer = optimizer
        var initRNG = ctx.generator(stream: "lenet-init")
        var orderRNG = ctx.generator(stream: "lenet-minibatch-order")
        let trainer = LeNetTrainer(network: LeNet.make(generator: &initRNG), batchSize: 256)
        var params: [[Double]] = [], grads: [[Double]] = [], states: [O.State] = []
        trainer.network.updateParameters { _, values, _ in
            params.append(values.map(Double.init))
            grads.append([Double](repeating: 0, count: values.count))
            states.append(optimizer.initialState(count: values.count))
        }
        var history: [Epoch] = []
        for epoch in 0..<epochs {
            if let schedule { optimizer.learningRate = schedule(epoch) }
            let stats = trainer.trainEpoch(on: data.train, generator: &orderRNG) { _ in
                trainer.network.updateParameters { k, values, gradient in
                    for i in values.indices { params[k][i] = Double(values[i]); grads[k][i] = Double(gradient[i]) }
                    optimizer.update(&params[k], gradient: grads[k], state: &states[k])
                    for i in values.indices { values[i] = Float(params[k][i]) }
                }
            }
            history.append(Epoch(loss: stats.meanLoss, trainAccuracy: stats.accuracy,
                                 heldOutAccuracy: trainer.evaluate(data.heldOut)))
            if !stats.meanLoss.isFinite { break }
        }
        return LeNetOptimizerRun(epochs: history)
    }
}

import OptimKit
import OptimKernels
import OptimData
import OptimTraining

/// LeNet trained with any `Optimizer` on the shipped digits, for the exercises that ask to
/// "try it on a real network" (11.7, 11.8): `LeNetTrainer.train(optimizer:)` with the same
/// initial weights and minibatch order as Section 11.11's runs.
public struct LeNetOptimizerRun {
    public struct Epoch {
        public let loss: Double
        public let trainAccuracy: Double
        public let heldOutAccuracy: Double
    }
    public let epochs: [Epoch]

    /// The digits: 8000 for training and 2000 held out (reduced, in the tests: 512 and 256).
    public static func digits(_ ctx: ChapterContext) throws -> (train: ImageDataset, heldOut: ImageDataset) {
        let all = try MNISTDigits.loadShipped()
        var rng = ctx.generator(stream: "digits-split")
        let (train, heldOut) = all.split(trainCount: 8000, generator: &rng)
        return ctx.reduced ? (train.prefix(512), heldOut.prefix(256)) : (train, heldOut)
    }

    /// Trains a fresh LeNet (initial weights and minibatch order from `ctx`'s streams, the same
    /// for every optimizer) for `epochs` epochs with batches of 256.
    public static func train<O: Optimizer>(_ optimizer: O, data: (train: ImageDataset, heldOut: ImageDataset), epochs: Int,
                                           ctx: ChapterContext) -> LeNetOptimizerRun {
        var initRNG = ctx.generator(stream: "lenet-init")
        var orderRNG = ctx.generator(stream: "lenet-minibatch-order")
        let trainer = LeNetTrainer(network: LeNet.make(generator: &initRNG), batchSize: 256)
        let history = trainer.train(on: data.train, test: data.heldOut, epochs: epochs, optimizer: optimizer,
                                    generator: &orderRNG)
        return LeNetOptimizerRun(epochs: history.map {
            Epoch(loss: $0.trainLoss, trainAccuracy: $0.trainAccuracy, heldOutAccuracy: $0.testAccuracy)
        })
    }

    /// The same with the learning rate set from `schedule` at the start of every epoch.
    public static func train<O: Optimizer, S: LearningRateSchedule>(
        _ optimizer: O, data: (train: ImageDataset, heldOut: ImageDataset), epochs: Int, schedule: S,
        ctx: ChapterContext
    ) -> LeNetOptimizerRun {
        let perEpoch = max(1, (data.train.count + 255) / 256)
        return train(Scheduled(optimizer, schedule: schedule, unit: .epoch, updatesPerEpoch: perEpoch),
                     data: data, epochs: epochs, ctx: ctx)
    }
}

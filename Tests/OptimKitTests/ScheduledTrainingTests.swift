@testable import OptimIO
@testable import OptimKit
@testable import OptimKernels
@testable import OptimData
@testable import OptimTraining
@testable import OptimPlot
@testable import OptimNotebook
@testable import OptimBook
import Foundation
import Testing

@Suite struct ScheduledTrainingTests {
    /// 96 shipped digits for training and 32 for testing: 3 minibatches of 32 per epoch.
    static func tinyData() throws -> (ImageDataset, ImageDataset) {
        let digits = try MNISTDigits.loadShipped()
        return (digits.prefix(96), digits.subset(Array(96..<128)))
    }

    static func trainer(seed: UInt64 = 5) -> LeNetTrainer {
        var rng = SeededGenerator(seed: seed)
        return LeNetTrainer(network: LeNet.make(generator: &rng), batchSize: 32)
    }

    @Test func perEpochRatesFollowTheSchedule() throws {
        let (train, test) = try Self.tinyData()
        let schedule = MultiFactorSchedule(steps: [1], factor: 0.5, baseLR: 0.2)
        var rng = SeededGenerator(seed: 1)
        let history = Self.trainer().train(on: train, test: test, epochs: 3, schedule: schedule, generator: &rng)
        #expect(history.map(\.epoch) == [1, 2, 3])
        #expect(history.map(\.learningRate) == [0.2, 0.2, 0.1])
        for r in history {
            #expect(r.trainLoss.isFinite && r.trainLoss > 0)
            #expect((0...1).contains(r.trainAccuracy) && (0...1).contains(r.testAccuracy))
        }
    }

    @Test func perUpdateRatesCountEveryMinibatch() throws {
        let (train, test) = try Self.tinyData()
        // The rate of update u is 1 / (u + 1); epoch e ends with update 3e + 2.
        let schedule = InverseTimeSchedule(initialLR: 0.1, decayRate: 1)
        var rng = SeededGenerator(seed: 1)
        var calls: [(Int, Int)] = []
        let history = Self.trainer().train(on: train, test: test, epochs: 2, schedule: schedule, unit: .update,
                                           generator: &rng) { calls.append(($0, $1)) }
        #expect(history.map(\.learningRate) == [schedule(2), schedule(5)])
        #expect(calls.map(\.0) == Array(1...6))
        #expect(calls.allSatisfy { $0.1 == 6 })
    }

    @Test func zeroRateLeavesTheWeightsAlone() throws {
        let (train, test) = try Self.tinyData()
        let trainer = Self.trainer()
        let before = trainer.network.flatParameters
        var rng = SeededGenerator(seed: 1)
        let history = trainer.train(on: train, test: test, epochs: 2, schedule: ConstantSchedule(learningRate: 0),
                                    generator: &rng)
        #expect(trainer.network.flatParameters == before)
        // Same weights, same images: both epochs see the same mean loss (order does not matter
        // for the mean, up to rounding in the sums).
        #expect(abs(history[0].trainLoss - history[1].trainLoss) < 1e-5)
        #expect(history[0].testAccuracy == history[1].testAccuracy)
    }

    @Test func runsAreDeterministic() throws {
        let (train, test) = try Self.tinyData()
        func run() -> [EpochRecord] {
            var rng = SeededGenerator(seed: 9)
            return Self.trainer().train(on: train, test: test, epochs: 2,
                                        schedule: CosineSchedule(maxUpdate: 2, baseLR: 0.3, finalLR: 0.01),
                                        generator: &rng)
        }
        let a = run(), b = run()
        #expect(a == b)
        #expect(a.map(\.trainLoss) == b.map(\.trainLoss))
    }

    @Test func bookLineFormat() {
        let r = EpochRecord(epoch: 40, learningRate: 0.01, trainLoss: 0.2714, trainAccuracy: 0.90249,
                            testAccuracy: 0.8926, seconds: 1.5)
        #expect(r.summary.rendered(maskVolatile: true) == "train loss 0.271, train acc 0.902, test acc 0.893")
    }

    @Test func trainingCurvesHaveThreeLabelledSeries() {
        let records = (1...4).map {
            EpochRecord(epoch: $0, learningRate: 0.5, trainLoss: 2 / Double($0), trainAccuracy: 0.2 * Double($0),
                        testAccuracy: 0.19 * Double($0), seconds: 0)
        }
        let figure = BookFigures.trainingCurves(records, title: "demo")
        #expect(figure.panels.count == 1)
        #expect(figure.panels[0].xLimits == 0...4)
        let svg = figure.svg(maskVolatile: true)
        for label in ["train loss", "train acc", "test acc", "epoch", "demo"] {
            #expect(svg.contains(label), "missing \(label)")
        }
    }
}

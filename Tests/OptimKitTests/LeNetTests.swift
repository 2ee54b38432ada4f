import Foundation
import Testing
@testable import OptimKit

@Suite struct LeNetTests {
    @Test func architecture() {
        var rng = SeededGenerator(seed: 0)
        let net = LeNet.make(Float.self, generator: &rng)
        let shapes = net.layers.map(\.outputShape.description)
        #expect(shapes == ["6x28x28", "6x28x28", "6x14x14", "16x10x10", "16x10x10", "16x5x5",
                           "400x1x1", "120x1x1", "120x1x1", "84x1x1", "84x1x1", "10x1x1"])
        #expect(net.parameterCount == 61_706)
        #expect(net.parameterTensorCount == 10)
        #expect(net.layers[0].computesInputGradient == false)
    }

    /// The same seed gives the same network in both precisions, and they compute the same logits.
    @Test func floatAndDoubleAgree() throws {
        var a = SeededGenerator(seed: 12), b = SeededGenerator(seed: 12)
        let single = LeNet.make(Float.self, generator: &a)
        let double = LeNet.make(Double.self, generator: &b)
        #expect(single.flatParameters.map(Double.init) == double.flatParameters.map { Double(Float($0)) })
        let digits = try MNISTDigits.loadShipped().prefix(8)
        let x = digits.images
        let logitsF = single.forward(x, batch: 8)
        let logitsD = double.forward(x.map(Double.init), batch: 8)
        for i in 0..<80 { #expect(abs(Double(logitsF[i]) - logitsD[i]) < 1e-4) }
    }

    /// A tiny seeded training run: deterministic to the bit, and in the expected range.
    @Test func tinyTrainingRunIsDeterministic() throws {
        let digits = try MNISTDigits.loadShipped().prefix(256)
        func run() -> (LeNetTrainer.EpochStatistics, [Float], Double) {
            var rng = SeededGenerator(seed: 1)
            let trainer = LeNetTrainer(network: LeNet.make(generator: &rng), batchSize: 64)
            let stats = trainer.trainEpoch(on: digits, learningRate: 0.5, generator: &rng)
            return (stats, trainer.network.flatParameters, trainer.evaluate(digits))
        }
        let (first, parameters, accuracy) = run()
        let (second, parametersAgain, accuracyAgain) = run()
        #expect(first == second && parameters == parametersAgain && accuracy == accuracyAgain)
        #expect(first.examples == 256)
        // Four minibatches from a Xavier start: the loss is still near log(10) = 2.303.
        #expect(first.meanLoss > 2.0 && first.meanLoss < 2.4, "loss \(first.meanLoss)")
        // Pinned with a tolerance (a different GEMM changes the last bits).
        #expect(abs(first.meanLoss - Self.pinnedTinyLoss) < 1e-4, "loss \(first.meanLoss)")
    }
    static let pinnedTinyLoss = 2.303391

    /// After the first minibatch the buffers are reused, not reallocated.
    @Test func buffersAreReused() throws {
        let digits = try MNISTDigits.loadShipped().prefix(100)
        var rng = SeededGenerator(seed: 2)
        let trainer = LeNetTrainer(network: LeNet.make(generator: &rng), batchSize: 64)
        trainer.trainEpoch(on: digits, learningRate: 0.1, generator: &rng)
        func addresses() -> [UnsafeRawPointer?] {
            trainer.network.layers.flatMap { layer in
                [layer.output.withUnsafeBytes { $0.baseAddress }, layer.inputGradient.withUnsafeBytes { $0.baseAddress }]
            }
        }
        let before = addresses()
        trainer.trainEpoch(on: digits, learningRate: 0.1, generator: &rng)
        #expect(addresses() == before)
    }
}

/// Throughput and accuracy on the shipped digits. Off by default; run with
/// `OPTIMKIT_BENCHMARK=1 swift test -c release --filter LeNetBenchmark`.
@Suite struct LeNetBenchmark {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["OPTIMKIT_BENCHMARK"] != nil))
    func trainOnShippedDigits() throws {
        let environment = ProcessInfo.processInfo.environment
        let epochs = Int(environment["OPTIMKIT_EPOCHS"] ?? "") ?? 5
        let learningRate = Float(environment["OPTIMKIT_LR"] ?? "") ?? 0.5
        let digits = try MNISTDigits.loadShipped()
        var rng = SeededGenerator(seed: 1)
        let (train, heldOut) = digits.split(trainCount: 8000, generator: &rng)
        let trainer = LeNetTrainer(network: LeNet.make(generator: &rng), batchSize: 256)
        print("LeNet on \(train.count) / \(heldOut.count) shipped MNIST digits, batch 256, lr \(learningRate)")
        for epoch in 1...epochs {
            let start = Date()
            let stats = trainer.trainEpoch(on: train, learningRate: learningRate, generator: &rng)
            let trainSeconds = Date().timeIntervalSince(start)
            let evalStart = Date()
            let accuracy = trainer.evaluate(heldOut)
            let evalSeconds = Date().timeIntervalSince(evalStart)
            print(String(format: "epoch %d: loss %.4f, train acc %.4f, held-out acc %.4f | train %.0f img/s (%.2f s), inference %.0f img/s",
                         epoch, stats.meanLoss, stats.accuracy, accuracy,
                         Double(train.count) / trainSeconds, trainSeconds, Double(heldOut.count) / evalSeconds))
        }
    }
}

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

    /// Spot check of the full LeNet backward pass in double precision: 80 parameters spread
    /// over all ten tensors against central differences (random inputs and biases keep
    /// every ReLU and max-pool away from its kinks).
    @Test func fullLeNetGradientSpotCheck() {
        var rng = SeededGenerator(seed: 21)
        let net = LeNet.make(Double.self, generator: &rng)
        net.flatParameters = net.flatParameters.map { $0 + 0.01 * rng.uniform(-1, 1) }
        let batch = 2
        let x = (0..<(batch * 784)).map { _ in rng.uniform() }
        let labels = [3, 8]
        func loss() -> Double {
            net.forward(x, batch: batch)
            var ce = SoftmaxCrossEntropy<Double>(classes: 10)
            return ce.evaluate(logits: net.output, labels: labels, batch: batch).meanLoss
        }
        _ = loss()
        var ce = SoftmaxCrossEntropy<Double>(classes: 10)
        _ = ce.evaluate(logits: net.output, labels: labels, batch: batch)
        net.zeroGradients()
        net.backward(ce.gradient)
        let gradient = net.flatGradients
        var parameters = net.flatParameters
        var analytic = [Double](), numerical = [Double]()
        var tensorSizes = [Int]()
        net.updateParameters { _, values, _ in tensorSizes.append(values.count) }
        var tensorStart = 0
        for size in tensorSizes {
            for _ in 0..<8 {
                let index = tensorStart + rng.integer(below: size)
                analytic.append(gradient[index])
                let saved = parameters[index]
                parameters[index] = saved + 1e-5
                net.flatParameters = parameters
                let up = loss()
                parameters[index] = saved - 1e-5
                net.flatParameters = parameters
                let down = loss()
                parameters[index] = saved
                numerical.append((up - down) / 2e-5)
            }
            tensorStart += size
        }
        let check = GradientCheck(analytic: analytic, numerical: numerical)
        #expect(analytic.count == 80)
        #expect(check.passes(), "\(check)")
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

    /// The closure form sees every minibatch once, in order, and can run plain SGD itself.
    @Test func updateClosureMatchesBuiltInSGD() throws {
        let digits = try MNISTDigits.loadShipped().prefix(200)
        var a = SeededGenerator(seed: 4), b = SeededGenerator(seed: 4)
        let builtIn = LeNetTrainer(network: LeNet.make(generator: &a), batchSize: 64)
        let custom = LeNetTrainer(network: LeNet.make(generator: &b), batchSize: 64)
        let first = builtIn.trainEpoch(on: digits, learningRate: 0.2, generator: &a)
        var seen = [Int]()
        let second = custom.trainEpoch(on: digits, generator: &b) { index in
            seen.append(index)
            custom.network.updateParameters { _, values, gradient in
                for i in values.indices { values[i] -= 0.2 * gradient[i] }
            }
        }
        #expect(seen == [0, 1, 2, 3])
        #expect(first == second)
        #expect(builtIn.network.flatParameters == custom.network.flatParameters)
    }

    /// After the first minibatch the buffers are reused, not reallocated: the layers'
    /// outputs and gradients, the direct convolution kernels' scratch and the GEMM
    /// workspaces. (heaptrack confirms that nothing at all is allocated per minibatch; see
    /// docs/PERFORMANCE.md.)
    @Test func buffersAreReused() throws {
        let digits = try MNISTDigits.loadShipped().prefix(100)
        var rng = SeededGenerator(seed: 2)
        let trainer = LeNetTrainer(network: LeNet.make(generator: &rng), batchSize: 64)
        trainer.trainEpoch(on: digits, learningRate: 0.1, generator: &rng)
        func addresses() -> [UnsafeRawPointer?] {
            trainer.network.layers.flatMap { layer in
                var buffers = [layer.output.withUnsafeBytes { $0.baseAddress },
                               layer.inputGradient.withUnsafeBytes { $0.baseAddress },
                               UnsafeRawPointer(bitPattern: layer.gemmWorkspace.byteCount)]
                if let conv = layer as? Conv2D<Float>, let direct = conv.direct {
                    buffers += [direct.padded.withUnsafeBytes { $0.baseAddress },
                                direct.transposedWeights.withUnsafeBytes { $0.baseAddress },
                                direct.blockSums.withUnsafeBytes { $0.baseAddress },
                                direct.weightScratch.withUnsafeBytes { $0.baseAddress },
                                direct.weightOffsets.withUnsafeBytes { $0.baseAddress },
                                direct.inputScratch.withUnsafeBytes { $0.baseAddress }]
                }
                return buffers
            }
        }
        #expect(trainer.network.layers.compactMap { ($0 as? Conv2D<Float>)?.direct }.count == 2)
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
        let seed = UInt64(environment["OPTIMKIT_SEED"] ?? "") ?? 1
        let digits = try MNISTDigits.loadShipped()
        var rng = SeededGenerator(seed: seed)
        let (train, heldOut) = digits.split(trainCount: 8000, generator: &rng)
        let trainer = LeNetTrainer(network: LeNet.make(generator: &rng), batchSize: 256)
        print("LeNet on \(train.count) / \(heldOut.count) shipped MNIST digits, batch 256, lr \(learningRate), seed \(seed)")
        for epoch in 1...epochs {
            let start = Date()
            let cpuStart = clock()
            let stats = trainer.trainEpoch(on: train, learningRate: learningRate, generator: &rng)
            let trainSeconds = Date().timeIntervalSince(start)
            let cpuSeconds = Double(clock() - cpuStart) / Double(CLOCKS_PER_SEC)
            let evalStart = Date()
            let accuracy = trainer.evaluate(heldOut)
            let evalSeconds = Date().timeIntervalSince(evalStart)
            print(String(format: "epoch %d: loss %.4f, train acc %.4f, held-out acc %.4f | train %.0f img/s (%.2f s wall, %.2f s CPU), inference %.0f img/s",
                         epoch, stats.meanLoss, stats.accuracy, accuracy,
                         Double(train.count) / trainSeconds, trainSeconds, cpuSeconds, Double(heldOut.count) / evalSeconds))
        }
    }
}

/// Speed of the data path: SHA-256 and inflate of the shipped image file. Off by default;
/// run with `OPTIMKIT_BENCHMARK=1 swift test -c release --filter DataBenchmark`.
@Suite struct DataBenchmark {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["OPTIMKIT_BENCHMARK"] != nil))
    func hashAndInflate() throws {
        let path = try MNISTDigits.resourcePath(MNISTDigits.imagesFile)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var start = Date()
        let digest = SHA256.hexDigest(bytes)
        let megabytes = Double(bytes.count) / 1e6
        print(String(format: "SHA-256: %.0f MB/s", megabytes / Date().timeIntervalSince(start)))
        #expect(digest == MNISTDigits.imagesSHA256)
        guard let gzip = ["/usr/bin/gzip", "/bin/gzip"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return }
        let directory = NSTemporaryDirectory() + "optimkit-bench-\(ProcessInfo.processInfo.processIdentifier)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(bytes).write(to: URL(fileURLWithPath: directory + "/images"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gzip)
        process.arguments = ["-9", directory + "/images"]
        try process.run()
        process.waitUntilExit()
        start = Date()
        let images = try IDX.readImages(path: directory + "/images.gz")
        print(String(format: "gzip -9 IDX read: %.0f MB/s of output", megabytes / Date().timeIntervalSince(start)))
        #expect(images.pixels.count == 10_000 * 784)
    }
}

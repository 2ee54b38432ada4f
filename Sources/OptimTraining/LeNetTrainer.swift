import OptimKit
import OptimKernels
import OptimData
/// Minibatch training and evaluation of a `Float` classifier network on an `ImageDataset`.
///
/// One epoch: draw a permutation of the training images from the generator, cut it into
/// minibatches of `batchSize` (the last one may be smaller), and for each minibatch run
/// forward, softmax cross-entropy, backward, then the update (by default plain SGD,
/// `w -= lr * grad`, with the gradient of the *mean* loss over the minibatch). The
/// reported loss and accuracy average over all images of the epoch, measured on the fly
/// as the book's trainer does. All buffers are reused, so after the first minibatch the
/// loop allocates nothing, and results are bit-identical from run to run.
///
/// Defaults: `batchSize` 256.
///
/// ```swift
/// var rng = SeededGenerator(seed: 1)
/// let trainer = LeNetTrainer(network: LeNet.make(generator: &rng))
/// let stats = trainer.trainEpoch(on: train, learningRate: 0.5, generator: &rng)
/// let accuracy = trainer.evaluate(heldOut)
/// ```
public final class LeNetTrainer {
    public let network: Sequential<Float>
    public let batchSize: Int
    private var lossFunction: SoftmaxCrossEntropy<Float>
    private var batchImages: [Float] = []
    private var batchLabels: [Int] = []

    /// Averages over one epoch of training.
    public struct EpochStatistics: Sendable, Equatable {
        /// Mean cross-entropy over all training images of the epoch.
        public var meanLoss: Double
        /// Fraction of training images classified correctly while training.
        public var accuracy: Double
        public var examples: Int
    }

    public init(network: Sequential<Float>, batchSize: Int = 256) {
        requireValid(batchSize > 0, "LeNetTrainer: batchSize must be positive, got \(batchSize)")
        self.network = network
        self.batchSize = batchSize
        lossFunction = SoftmaxCrossEntropy(classes: network.outputShape.count)
    }

    /// One epoch of minibatch SGD with a fixed learning rate.
    @discardableResult
    public func trainEpoch(on data: ImageDataset, learningRate: Float,
                           generator: inout SeededGenerator) -> EpochStatistics {
        var sgd = NetworkOptimizer(SGD(learningRate: Double(learningRate)), for: network)
        return trainEpoch(on: data, optimizer: &sgd, generator: &generator)
    }

    /// One epoch in which `optimizer` (one state per tensor, kept across epochs by the caller)
    /// updates the network after every minibatch.
    @discardableResult
    public func trainEpoch<O: Optimizer>(on data: ImageDataset, optimizer: inout NetworkOptimizer<O>,
                                         generator: inout SeededGenerator) -> EpochStatistics {
        let network = self.network
        return trainEpoch(on: data, generator: &generator) { _ in optimizer.step(network) }
    }

    /// One epoch where `update(minibatchIndex)` is called after each minibatch's gradients
    /// are ready (read them with `network.updateParameters`), for updates that are not an
    /// `Optimizer`. `minibatchIndex` counts from 0 within the epoch.
    @discardableResult
    public func trainEpoch(on data: ImageDataset, generator: inout SeededGenerator,
                           update: (_ minibatchIndex: Int) -> Void) -> EpochStatistics {
        checkShape(data)
        let order = generator.permutation(data.count)
        var lossSum = 0.0
        var correct = 0
        var start = 0
        while start < data.count {
            let batch = min(batchSize, data.count - start)
            gather(data, order: order, from: start, count: batch)
            network.zeroGradients()
            batchImages.withUnsafeBufferPointer { network.forward($0.baseAddress!, batch: batch) }
            let (loss, hits) = lossFunction.evaluate(logits: network.output, labels: batchLabels, batch: batch)
            lossSum += loss * Double(batch)
            correct += hits
            network.backward(lossFunction.gradient)
            update(start / batchSize)
            start += batch
        }
        let n = Double(max(data.count, 1))
        return EpochStatistics(meanLoss: lossSum / n, accuracy: Double(correct) / n, examples: data.count)
    }

    /// Fraction of `data` the network classifies correctly (no training).
    public func evaluate(_ data: ImageDataset) -> Double {
        checkShape(data)
        if data.count == 0 { return 0 }
        var correct = 0
        var start = 0
        let classes = network.outputShape.count
        while start < data.count {
            let batch = min(batchSize, data.count - start)
            data.images.withUnsafeBufferPointer {
                network.forward($0.baseAddress! + start * data.pixelsPerImage, batch: batch)
            }
            for n in 0..<batch { batchLabelsForEvaluation(n, data.labels[start + n]) }
            correct += SoftmaxCrossEntropy<Float>.correctCount(logits: network.output, labels: batchLabels,
                                                               batch: batch, classes: classes)
            start += batch
        }
        return Double(correct) / Double(data.count)
    }

    private func batchLabelsForEvaluation(_ n: Int, _ label: Int) {
        if batchLabels.count < batchSize { batchLabels = [Int](repeating: 0, count: batchSize) }
        batchLabels[n] = label
    }

    private func checkShape(_ data: ImageDataset) {
        requireValid(data.pixelsPerImage == network.inputShape.count,
                     "LeNetTrainer: images of \(data.rows)x\(data.columns) do not fit the network input \(network.inputShape)")
    }

    /// Copies the images and labels `order[from ..< from+count]` into the batch buffers.
    private func gather(_ data: ImageDataset, order: [Int], from: Int, count: Int) {
        let size = data.pixelsPerImage
        if batchImages.count < batchSize * size { batchImages = [Float](repeating: 0, count: batchSize * size) }
        if batchLabels.count < batchSize { batchLabels = [Int](repeating: 0, count: batchSize) }
        data.images.withUnsafeBufferPointer { source in
            batchImages.withUnsafeMutableBufferPointer { target in
                for n in 0..<count {
                    let index = order[from + n]
                    (target.baseAddress! + n * size).update(from: source.baseAddress! + index * size, count: size)
                    batchLabels[n] = data.labels[index]
                }
            }
        }
    }
}

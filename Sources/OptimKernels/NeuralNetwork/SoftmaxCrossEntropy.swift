import OptimKit
/// Softmax followed by the cross-entropy loss, averaged over a minibatch.
///
/// For logits `z` (one row of `classes` numbers per sample) and label `y`:
/// `loss = log(sum_j exp(z_j - m)) + m - z_y` with `m = max_j z_j` (the log-sum-exp
/// shift keeps `exp` from overflowing), and the gradient of the *mean* loss is
/// `(softmax(z)_j - [j == y]) / batch`. Each row is evaluated in double precision with
/// the platform-independent `LayerMath.exp`/`log`; the gradient buffer is preallocated
/// and reused.
///
/// ```swift
/// var lossFunction = SoftmaxCrossEntropy<Float>(classes: 10)
/// let (loss, correct) = lossFunction.evaluate(logits: net.output, labels: labels, batch: 256)
/// net.backward(lossFunction.gradient)
/// ```
public struct SoftmaxCrossEntropy<Scalar: LayerScalar> {
    public let classes: Int
    /// Gradient of the mean loss with respect to the logits of the latest call.
    public private(set) var gradient: [Scalar] = []

    public init(classes: Int) {
        requireValid(classes > 0, "SoftmaxCrossEntropy: classes must be at least 1, got \(classes)")
        self.classes = classes
    }

    /// Mean loss over the first `batch` rows and the number of rows whose largest logit
    /// (first one on ties) is the label; fills `gradient`.
    public mutating func evaluate(logits: [Scalar], labels: [Int], batch: Int) -> (meanLoss: Double, correct: Int) {
        requireValid(logits.count >= batch * classes && labels.count >= batch,
                     "SoftmaxCrossEntropy.evaluate: batch \(batch) needs \(batch * classes) logits and \(batch) labels, "
                     + "got \(logits.count) and \(labels.count)")
        if gradient.count < batch * classes {
            gradient = [Scalar](repeating: 0, count: batch * classes)
        }
        let classes = self.classes
        var lossSum = 0.0
        var correct = 0
        let inverseBatch = 1.0 / Double(batch)
        logits.withUnsafeBufferPointer { z in
            gradient.withUnsafeMutableBufferPointer { g in
                for n in 0..<batch {
                    let row = z.baseAddress! + n * classes
                    let out = g.baseAddress! + n * classes
                    let label = labels[n]
                    // Written out rather than `requireValid`, so the passing path is the test alone.
                    if !(label >= 0 && label < classes) {
                        misuse("SoftmaxCrossEntropy.evaluate: label \(label) of row \(n) outside 0..<\(classes)")
                    }
                    var largest = row[0].doubleValue
                    var best = 0
                    for j in 1..<classes where row[j].doubleValue > largest {
                        largest = row[j].doubleValue
                        best = j
                    }
                    if best == label { correct += 1 }
                    // The row's exponentials, computed once and side by side (same values).
                    withUnsafeTemporaryAllocation(of: Double.self, capacity: classes) { buffer in
                        let e = buffer.baseAddress!
                        for j in 0..<classes { e[j] = row[j].doubleValue - largest }
                        LayerMath.exp(inPlace: e, count: classes)
                        var sum = 0.0
                        for j in 0..<classes { sum += e[j] }
                        let logSum = LayerMath.log(sum)
                        lossSum += (largest - row[label].doubleValue) + logSum
                        for j in 0..<classes {
                            let p = e[j] / sum
                            out[j] = Scalar(((j == label ? p - 1 : p)) * inverseBatch)
                        }
                    }
                }
            }
        }
        return (lossSum / Double(batch), correct)
    }

    /// How many of the first `batch` rows predict their label (largest logit, first on ties).
    public static func correctCount(logits: [Scalar], labels: [Int], batch: Int, classes: Int) -> Int {
        var correct = 0
        for n in 0..<batch {
            var best = 0
            for j in 1..<classes where logits[n * classes + j] > logits[n * classes + best] { best = j }
            if best == labels[n] { correct += 1 }
        }
        return correct
    }
}

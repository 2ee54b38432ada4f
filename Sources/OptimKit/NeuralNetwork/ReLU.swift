/// The rectified linear unit, `y = max(0, x)` elementwise.
///
/// Its derivative is 1 where `x > 0` and 0 elsewhere (at exactly 0 we take 0, as the
/// frameworks do), so the backward pass lets the gradient through only where the input
/// was positive.
///
/// ```swift
/// let relu = ReLU<Float>(inputShape: TensorShape(features: 120))
/// ```
public final class ReLU<Scalar: LayerScalar>: NetworkLayer<Scalar> {
    public init(inputShape: TensorShape) {
        super.init(inputShape: inputShape, outputShape: inputShape)
    }

    public override var name: String { "ReLU" }

    override func forward(_ input: UnsafePointer<Scalar>, batch: Int) {
        let count = inputShape.count
        let source = SendablePointer(input)
        output.withUnsafeMutableBufferPointer { out in
            let target = SendableMutablePointer(out.baseAddress!)
            parallelFor(batch, costPerIteration: count) { n in
                let x = source.base + n * count, y = target.base + n * count
                for q in 0..<count { y[q] = x[q] > 0 ? x[q] : 0 }
            }
        }
    }

    override func backward(_ input: UnsafePointer<Scalar>, outputGradient: UnsafePointer<Scalar>, batch: Int) {
        if !computesInputGradient { return }
        let count = inputShape.count
        let source = SendablePointer(input), gradient = SendablePointer(outputGradient)
        inputGradient.withUnsafeMutableBufferPointer { dx in
            let target = SendableMutablePointer(dx.baseAddress!)
            parallelFor(batch, costPerIteration: count) { n in
                let x = source.base + n * count, g = gradient.base + n * count, d = target.base + n * count
                for q in 0..<count { d[q] = x[q] > 0 ? g[q] : 0 }
            }
        }
    }
}

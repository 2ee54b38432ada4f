import OptimKit
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
        let count = batch * inputShape.count
        output.withUnsafeMutableBufferPointer { Scalar.reluForward(input, output: $0.baseAddress!, count: count) }
    }

    override func backward(_ input: UnsafePointer<Scalar>, outputGradient: UnsafePointer<Scalar>, batch: Int) {
        if !computesInputGradient { return }
        let count = batch * inputShape.count
        inputGradient.withUnsafeMutableBufferPointer {
            Scalar.reluBackward(input, gradient: outputGradient, inputGradient: $0.baseAddress!, count: count)
        }
    }
}

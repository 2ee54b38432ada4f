import OptimKit
/// Reshapes each sample from `channels x height x width` to a flat feature vector.
///
/// In NCHW storage this moves no data conceptually; the layer copies so that every
/// layer owns its output buffer.
///
/// ```swift
/// let flat = Flatten<Float>(inputShape: TensorShape(channels: 16, height: 5, width: 5))  // -> 400
/// ```
public final class Flatten<Scalar: LayerScalar>: NetworkLayer<Scalar> {
    public init(inputShape: TensorShape) {
        super.init(inputShape: inputShape, outputShape: TensorShape(features: inputShape.count))
    }

    public override var name: String { "Flatten" }

    override func forward(_ input: UnsafePointer<Scalar>, batch: Int) {
        let total = batch * inputShape.count
        output.withUnsafeMutableBufferPointer { out in
            Scalar.copy(input, to: out.baseAddress!, count: total)
        }
    }

    override func backward(_ input: UnsafePointer<Scalar>, outputGradient: UnsafePointer<Scalar>, batch: Int) {
        if !computesInputGradient { return }
        let total = batch * inputShape.count
        inputGradient.withUnsafeMutableBufferPointer { dx in
            Scalar.copy(outputGradient, to: dx.baseAddress!, count: total)
        }
    }
}

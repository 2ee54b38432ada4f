import OptimKit
/// LeNet-5 in its modern form: ReLU activations and max pooling.
///
/// For a `1 x 28 x 28` image:
/// conv 6@5x5 (padding 2) -> ReLU -> max-pool 2/2 -> conv 16@5x5 -> ReLU -> max-pool 2/2
/// -> flatten (400) -> dense 120 -> ReLU -> dense 84 -> ReLU -> dense 10 (logits).
/// Shapes: 6x28x28, 6x14x14, 16x10x10, 16x5x5, 400, 120, 84, 10; 61,706 parameters.
/// Weights are Xavier-uniform, drawn layer by layer from `generator`; biases are zero.
///
/// ```swift
/// var rng = SeededGenerator(seed: 0)
/// let net = LeNet.make(Float.self, generator: &rng)
/// ```
public enum LeNet {
    public static let inputShape = TensorShape(channels: 1, height: 28, width: 28)
    public static let classCount = 10

    /// The layer list, for display or for building the network in another precision.
    public static let specs: [LayerSpec] = [
        .conv2D(outputChannels: 6, kernelSize: 5, padding: 2), .relu, .maxPool2D(size: 2, stride: 2),
        .conv2D(outputChannels: 16, kernelSize: 5), .relu, .maxPool2D(size: 2, stride: 2),
        .flatten,
        .dense(outputs: 120), .relu,
        .dense(outputs: 84), .relu,
        .dense(outputs: 10),
    ]

    public static func make<Scalar: LayerScalar>(
        _ scalar: Scalar.Type = Float.self, inputShape: TensorShape = LeNet.inputShape,
        generator: inout SeededGenerator
    ) -> Sequential<Scalar> {
        let net = Sequential<Scalar>(inputShape: inputShape)
        for spec in specs { net.append(spec) }
        net.initializeParameters(generator: &generator)
        return net
    }
}

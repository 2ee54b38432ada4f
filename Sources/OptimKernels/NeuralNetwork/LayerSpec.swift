import OptimKit
/// A description of one layer, turned into a real layer by `Sequential.append` once the
/// input shape is known.
///
/// ```swift
/// net.append(.conv2D(outputChannels: 6, kernelSize: 5, padding: 2))
/// net.append(.relu)
/// net.append(.maxPool2D())
/// ```
public enum LayerSpec: Sendable, Equatable {
    case conv2D(outputChannels: Int, kernelSize: Int, padding: Int = 0, stride: Int = 1)
    case maxPool2D(size: Int = 2, stride: Int = 2)
    case relu
    case flatten
    case dense(outputs: Int)

    func makeLayer<Scalar: LayerScalar>(inputShape: TensorShape) -> NetworkLayer<Scalar> {
        switch self {
        case let .conv2D(outputChannels, kernelSize, padding, stride):
            return Conv2D(inputShape: inputShape, outputChannels: outputChannels,
                          kernelSize: kernelSize, padding: padding, stride: stride)
        case let .maxPool2D(size, stride):
            return MaxPool2D(inputShape: inputShape, size: size, stride: stride)
        case .relu:
            return ReLU(inputShape: inputShape)
        case .flatten:
            return Flatten(inputShape: inputShape)
        case let .dense(outputs):
            return Dense(inputShape: inputShape, outputs: outputs)
        }
    }
}

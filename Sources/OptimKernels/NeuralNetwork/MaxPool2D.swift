import OptimKit
/// Max pooling over `size x size` windows moved by `stride` (no padding).
///
/// `y[n, c, i, j] = max_{u, v < size} x[n, c, i*stride + u, j*stride + v]`, giving
/// `channels x ((H - size) / stride + 1) x ((W - size) / stride + 1)`. The backward
/// pass routes each output gradient to the input that won its window (the first one
/// in reading order on ties); overlapping windows add up. Defaults: size 2, stride 2.
///
/// ```swift
/// let pool = MaxPool2D<Float>(inputShape: TensorShape(channels: 6, height: 28, width: 28))  // -> 6x14x14
/// ```
public final class MaxPool2D<Scalar: LayerScalar>: NetworkLayer<Scalar> {
    public let size: Int
    public let stride: Int
    /// For every output element, the index (within its sample) of the input that won.
    private var winners: [Int32] = []

    public init(inputShape: TensorShape, size: Int = 2, stride: Int = 2) {
        requireValid(size > 0 && stride > 0, "MaxPool2D: size and stride must be positive, got size \(size), stride \(stride)")
        requireValid(inputShape.height >= size && inputShape.width >= size,
                     "MaxPool2D: window \(size) is larger than the input \(inputShape)")
        self.size = size
        self.stride = stride
        super.init(inputShape: inputShape, outputShape: TensorShape(
            channels: inputShape.channels,
            height: (inputShape.height - size) / stride + 1,
            width: (inputShape.width - size) / stride + 1))
    }

    public override var name: String { "MaxPool2D(\(size)x\(size), stride \(stride))" }

    override func reserveWork(batch: Int) {
        winners = [Int32](repeating: 0, count: batch * outputShape.count)
    }

    var geometry: PoolGeometry {
        PoolGeometry(channels: inputShape.channels, height: inputShape.height, width: inputShape.width,
                     size: size, stride: stride, outHeight: outputShape.height, outWidth: outputShape.width)
    }

    override func forward(_ input: UnsafePointer<Scalar>, batch: Int) {
        let geometry = self.geometry
        winners.withUnsafeMutableBufferPointer { win in
            output.withUnsafeMutableBufferPointer { out in
                Scalar.maxPoolForward(geometry, input: input, output: out.baseAddress!,
                                      winners: win.baseAddress!, batch: batch)
            }
        }
    }

    override func backward(_ input: UnsafePointer<Scalar>, outputGradient: UnsafePointer<Scalar>, batch: Int) {
        if !computesInputGradient { return }
        let geometry = self.geometry
        winners.withUnsafeBufferPointer { win in
            inputGradient.withUnsafeMutableBufferPointer { dx in
                Scalar.maxPoolBackward(geometry, gradient: outputGradient, winners: win.baseAddress!,
                                       inputGradient: dx.baseAddress!, batch: batch)
            }
        }
    }
}

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
        precondition(size > 0 && stride > 0, "MaxPool2D needs a positive size and stride")
        precondition(inputShape.height >= size && inputShape.width >= size,
                     "MaxPool2D window \(size) is larger than the input \(inputShape)")
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

    override func forward(_ input: UnsafePointer<Scalar>, batch: Int) {
        let inShape = inputShape, outShape = outputShape, size = self.size, stride = self.stride
        let source = SendablePointer(input)
        winners.withUnsafeMutableBufferPointer { win in
            output.withUnsafeMutableBufferPointer { out in
                let winP = SendableMutablePointer(win.baseAddress!)
                let outP = SendableMutablePointer(out.baseAddress!)
                parallelFor(batch, costPerIteration: outShape.count * size * size) { n in
                    let x = source.base + n * inShape.count
                    let y = outP.base + n * outShape.count
                    let w = winP.base + n * outShape.count
                    for c in 0..<outShape.channels {
                        let planeOffset = c * inShape.height * inShape.width
                        for i in 0..<outShape.height {
                            for j in 0..<outShape.width {
                                var bestIndex = planeOffset + (i * stride) * inShape.width + j * stride
                                var best = x[bestIndex]
                                for u in 0..<size {
                                    let rowOffset = planeOffset + (i * stride + u) * inShape.width + j * stride
                                    for v in 0..<size where x[rowOffset + v] > best {
                                        best = x[rowOffset + v]
                                        bestIndex = rowOffset + v
                                    }
                                }
                                let o = (c * outShape.height + i) * outShape.width + j
                                y[o] = best
                                w[o] = Int32(truncatingIfNeeded: bestIndex)
                            }
                        }
                    }
                }
            }
        }
    }

    override func backward(_ input: UnsafePointer<Scalar>, outputGradient: UnsafePointer<Scalar>, batch: Int) {
        if !computesInputGradient { return }
        let inCount = inputShape.count, outCount = outputShape.count
        let gradient = SendablePointer(outputGradient)
        winners.withUnsafeBufferPointer { win in
            inputGradient.withUnsafeMutableBufferPointer { dx in
                let winP = SendablePointer(win.baseAddress!)
                let dxP = SendableMutablePointer(dx.baseAddress!)
                parallelFor(batch, costPerIteration: inCount) { n in
                    let target = dxP.base + n * inCount
                    for q in 0..<inCount { target[q] = 0 }
                    let g = gradient.base + n * outCount
                    let w = winP.base + n * outCount
                    for o in 0..<outCount { target[Int(w[o])] += g[o] }
                }
            }
        }
    }
}

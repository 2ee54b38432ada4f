/// A 2-D convolution layer (strictly, cross-correlation, as in every framework).
///
/// `y[n, o, i, j] = b[o] + sum_{c, u, v} W[o, c, u, v] * x[n, c, i*s + u - p, j*s + v - p]`
/// with zero padding `p` and stride `s`; the output is
/// `outChannels x ((H + 2p - k) / s + 1) x ((W + 2p - k) / s + 1)`.
///
/// Forward and backward are matrix products over an "im2col" matrix whose column for
/// every output pixel of every sample holds the `inChannels * k * k` input values that
/// pixel sees:
/// - forward: `Y' = W * cols` (`W` is `outChannels x inChannels*k*k`),
/// - weight gradient: `dW += dY' * cols^T`, bias gradient: row sums of `dY'`,
/// - input gradient: `dcols = W^T * dY'`, folded back onto the image ("col2im").
/// `Y'` is the output with samples side by side (`outChannels x batch*pixels`).
///
/// Parameters: `outputChannels`, `kernelSize` (square), `padding` (default 0),
/// `stride` (default 1). Weights start Xavier-uniform, biases at zero.
///
/// ```swift
/// let conv = Conv2D<Float>(inputShape: TensorShape(channels: 1, height: 28, width: 28),
///                          outputChannels: 6, kernelSize: 5, padding: 2)  // -> 6x28x28
/// ```
public final class Conv2D<Scalar: LayerScalar>: NetworkLayer<Scalar> {
    public let kernelSize: Int
    public let padding: Int
    public let stride: Int
    /// `outChannels x (inChannels * k * k)`, row-major (same order as O x C x k x k).
    public internal(set) var weights: [Scalar]
    public internal(set) var weightGradient: [Scalar]
    public internal(set) var bias: [Scalar]
    public internal(set) var biasGradient: [Scalar]
    /// im2col matrix of the latest forward pass, `patch x (batch * pixels)`; reused for
    /// the column gradient in backward.
    private var columns: [Scalar] = []
    /// Output (or output gradient) with samples side by side: `outChannels x batch*pixels`.
    private var product: [Scalar] = []

    public init(inputShape: TensorShape, outputChannels: Int, kernelSize: Int, padding: Int = 0, stride: Int = 1) {
        precondition(outputChannels > 0 && kernelSize > 0 && padding >= 0 && stride > 0,
                     "Conv2D needs positive channels, kernel and stride and a non-negative padding")
        let outH = (inputShape.height + 2 * padding - kernelSize) / stride + 1
        let outW = (inputShape.width + 2 * padding - kernelSize) / stride + 1
        precondition(inputShape.height + 2 * padding >= kernelSize && inputShape.width + 2 * padding >= kernelSize,
                     "Conv2D kernel \(kernelSize) is larger than the padded input \(inputShape)")
        self.kernelSize = kernelSize
        self.padding = padding
        self.stride = stride
        let patch = inputShape.channels * kernelSize * kernelSize
        weights = [Scalar](repeating: 0, count: outputChannels * patch)
        weightGradient = weights
        bias = [Scalar](repeating: 0, count: outputChannels)
        biasGradient = bias
        super.init(inputShape: inputShape,
                   outputShape: TensorShape(channels: outputChannels, height: outH, width: outW))
    }

    public override var name: String {
        "Conv2D(\(inputShape.channels)->\(outputShape.channels), \(kernelSize)x\(kernelSize), pad \(padding), stride \(stride))"
    }

    var patchSize: Int { inputShape.channels * kernelSize * kernelSize }
    var pixels: Int { outputShape.height * outputShape.width }

    override func reserveWork(batch: Int) {
        columns = [Scalar](repeating: 0, count: patchSize * batch * pixels)
        product = [Scalar](repeating: 0, count: outputShape.channels * batch * pixels)
    }

    public override var parameterTensorCount: Int { 2 }

    public override func withParameter<R>(_ index: Int, _ body: (inout [Scalar], inout [Scalar]) -> R) -> R {
        switch index {
        case 0: return body(&weights, &weightGradient)
        case 1: return body(&bias, &biasGradient)
        default: preconditionFailure("\(name) has no parameter tensor \(index)")
        }
    }

    public override func initializeParameters(generator: inout SeededGenerator) {
        let area = kernelSize * kernelSize
        XavierUniform.fill(&weights, fanIn: inputShape.channels * area,
                           fanOut: outputShape.channels * area, generator: &generator)
        for i in bias.indices { bias[i] = 0 }
    }

    override func forward(_ input: UnsafePointer<Scalar>, batch: Int) {
        let patch = patchSize, pixels = self.pixels, outC = outputShape.channels
        let total = batch * pixels
        let geometry = ConvolutionGeometry(layer: self)
        let xIn = SendablePointer(input)
        columns.withUnsafeMutableBufferPointer { cols in
            let colsOut = SendableMutablePointer(cols.baseAddress!)
            parallelFor(batch, costPerIteration: patch * pixels) { n in
                geometry.im2col(sample: n, input: xIn.base, columns: colsOut.base, columnStride: total)
            }
            product.withUnsafeMutableBufferPointer { prod in
                weights.withUnsafeBufferPointer { w in
                    Scalar.gemm(transA: false, transB: false, m: outC, n: total, k: patch,
                                alpha: 1, a: w.baseAddress!, lda: patch,
                                b: UnsafePointer(cols.baseAddress!), ldb: total,
                                beta: 0, c: prod.baseAddress!, ldc: total)
                }
            }
        }
        // Scatter back to NCHW and add the bias.
        product.withUnsafeBufferPointer { prod in
            bias.withUnsafeBufferPointer { b in
                output.withUnsafeMutableBufferPointer { out in
                    let source = SendablePointer(prod.baseAddress!), biasP = SendablePointer(b.baseAddress!)
                    let destination = SendableMutablePointer(out.baseAddress!)
                    parallelFor(batch, costPerIteration: outC * pixels) { n in
                        for o in 0..<outC {
                            let from = source.base + o * total + n * pixels
                            let to = destination.base + (n * outC + o) * pixels
                            let bo = biasP.base[o]
                            for q in 0..<pixels { to[q] = from[q] + bo }
                        }
                    }
                }
            }
        }
    }

    override func backward(_ input: UnsafePointer<Scalar>, outputGradient: UnsafePointer<Scalar>, batch: Int) {
        let patch = patchSize, pixels = self.pixels, outC = outputShape.channels
        let total = batch * pixels
        // dY' (channels x batch*pixels) from the NCHW gradient.
        product.withUnsafeMutableBufferPointer { prod in
            let destination = SendableMutablePointer(prod.baseAddress!)
            let source = SendablePointer(outputGradient)
            parallelFor(batch, costPerIteration: outC * pixels) { n in
                for o in 0..<outC {
                    let from = source.base + (n * outC + o) * pixels
                    let to = destination.base + o * total + n * pixels
                    for q in 0..<pixels { to[q] = from[q] }
                }
            }
        }
        // Bias gradient: sum over samples and pixels, in a fixed order.
        product.withUnsafeBufferPointer { prod in
            biasGradient.withUnsafeMutableBufferPointer { db in
                for o in 0..<outC {
                    // Summed in double precision: a Float running sum over 200k terms drifts.
                    var sum = 0.0
                    let row = prod.baseAddress! + o * total
                    for q in 0..<total { sum += row[q].doubleValue }
                    db[o] += Scalar(sum)
                }
            }
        }
        product.withUnsafeBufferPointer { prod in
            columns.withUnsafeMutableBufferPointer { cols in
                weightGradient.withUnsafeMutableBufferPointer { dw in
                    Scalar.gemm(transA: false, transB: true, m: outC, n: patch, k: total,
                                alpha: 1, a: prod.baseAddress!, lda: total,
                                b: UnsafePointer(cols.baseAddress!), ldb: total,
                                beta: 1, c: dw.baseAddress!, ldc: patch)
                }
                if !computesInputGradient { return }
                // The columns are no longer needed: they now receive dcols = W^T dY'.
                weights.withUnsafeBufferPointer { w in
                    Scalar.gemm(transA: true, transB: false, m: patch, n: total, k: outC,
                                alpha: 1, a: w.baseAddress!, lda: patch,
                                b: prod.baseAddress!, ldb: total,
                                beta: 0, c: cols.baseAddress!, ldc: total)
                }
                let geometry = ConvolutionGeometry(layer: self)
                let colsIn = SendablePointer(UnsafePointer(cols.baseAddress!))
                inputGradient.withUnsafeMutableBufferPointer { dx in
                    let dxOut = SendableMutablePointer(dx.baseAddress!)
                    parallelFor(batch, costPerIteration: patch * pixels) { n in
                        geometry.col2im(sample: n, columns: colsIn.base, columnStride: total, inputGradient: dxOut.base)
                    }
                }
            }
        }
    }
}

/// The index arithmetic of im2col / col2im for one convolution, as a small Sendable value.
struct ConvolutionGeometry: Sendable {
    let channels: Int, height: Int, width: Int
    let kernel: Int, padding: Int, stride: Int
    let outHeight: Int, outWidth: Int

    init<Scalar>(layer: Conv2D<Scalar>) {
        channels = layer.inputShape.channels
        height = layer.inputShape.height
        width = layer.inputShape.width
        kernel = layer.kernelSize
        padding = layer.padding
        stride = layer.stride
        outHeight = layer.outputShape.height
        outWidth = layer.outputShape.width
    }

    /// Writes sample `n`'s patches into columns `n*pixels ..< (n+1)*pixels` of the
    /// `patch x columnStride` matrix.
    @inline(__always)
    func im2col<Scalar: LayerScalar>(sample n: Int, input: UnsafePointer<Scalar>,
                                     columns: UnsafeMutablePointer<Scalar>, columnStride: Int) {
        let pixels = outHeight * outWidth
        let image = input + n * channels * height * width
        for c in 0..<channels {
            let plane = image + c * height * width
            for u in 0..<kernel {
                for v in 0..<kernel {
                    let row = (c * kernel + u) * kernel + v
                    let destination = columns + row * columnStride + n * pixels
                    for i in 0..<outHeight {
                        let y = i * stride + u - padding
                        let line = destination + i * outWidth
                        if y < 0 || y >= height {
                            for j in 0..<outWidth { line[j] = 0 }
                            continue
                        }
                        let source = plane + y * width
                        for j in 0..<outWidth {
                            let x = j * stride + v - padding
                            line[j] = (x >= 0 && x < width) ? source[x] : 0
                        }
                    }
                }
            }
        }
    }

    /// Adds sample `n`'s column gradients back onto its input positions (after zeroing them).
    @inline(__always)
    func col2im<Scalar: LayerScalar>(sample n: Int, columns: UnsafePointer<Scalar>, columnStride: Int,
                                     inputGradient: UnsafeMutablePointer<Scalar>) {
        let pixels = outHeight * outWidth
        let image = inputGradient + n * channels * height * width
        for q in 0..<(channels * height * width) { image[q] = 0 }
        for c in 0..<channels {
            let plane = image + c * height * width
            for u in 0..<kernel {
                for v in 0..<kernel {
                    let row = (c * kernel + u) * kernel + v
                    let source = columns + row * columnStride + n * pixels
                    for i in 0..<outHeight {
                        let y = i * stride + u - padding
                        if y < 0 || y >= height { continue }
                        let line = source + i * outWidth
                        let target = plane + y * width
                        for j in 0..<outWidth {
                            let x = j * stride + v - padding
                            if x >= 0 && x < width { target[x] += line[j] }
                        }
                    }
                }
            }
        }
    }
}

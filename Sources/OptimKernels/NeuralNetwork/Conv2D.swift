import OptimKit
/// A 2-D convolution layer (strictly, cross-correlation, as in every framework).
///
/// `y[n, o, i, j] = b[o] + sum_{c, u, v} W[o, c, u, v] * x[n, c, i*s + u - p, j*s + v - p]`
/// with zero padding `p` and stride `s`; the output is
/// `outChannels x ((H + 2p - k) / s + 1) x ((W + 2p - k) / s + 1)`.
///
/// Forward and backward are defined as matrix products over an "im2col" matrix whose column
/// for every output pixel of every sample holds the `inChannels * k * k` input values that
/// pixel sees (stride-1 layers compute exactly the same numbers without building that
/// matrix, see `DirectConvolution`):
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
    /// Scratch of the direct kernels, which stride-1 layers use (nil otherwise).
    let direct: DirectConvolutionWorkspace<Scalar>?
    /// Tests set this to false to run the im2col path, the reference the direct kernels
    /// must match bit for bit.
    var usesDirectKernels = true

    public init(inputShape: TensorShape, outputChannels: Int, kernelSize: Int, padding: Int = 0, stride: Int = 1) {
        requireValid(inputShape.channels > 0 && outputChannels > 0 && kernelSize > 0 && padding >= 0 && stride > 0,
                     "Conv2D: needs positive channels, kernel size and stride and a non-negative padding, got "
                     + "\(inputShape.channels)->\(outputChannels) channels, kernel \(kernelSize), padding \(padding), stride \(stride)")
        let outH = (inputShape.height + 2 * padding - kernelSize) / stride + 1
        let outW = (inputShape.width + 2 * padding - kernelSize) / stride + 1
        requireValid(inputShape.height + 2 * padding >= kernelSize && inputShape.width + 2 * padding >= kernelSize,
                     "Conv2D: kernel \(kernelSize) is larger than the input \(inputShape) padded by \(padding)")
        self.kernelSize = kernelSize
        self.padding = padding
        self.stride = stride
        let patch = inputShape.channels * kernelSize * kernelSize
        weights = [Scalar](repeating: 0, count: outputChannels * patch)
        weightGradient = weights
        bias = [Scalar](repeating: 0, count: outputChannels)
        biasGradient = bias
        let outputShape = TensorShape(channels: outputChannels, height: outH, width: outW)
        direct = stride == 1 ? DirectConvolutionWorkspace(shape: DirectConvolutionShape(
            input: inputShape, kernel: kernelSize, padding: padding, output: outputShape)) : nil
        super.init(inputShape: inputShape, outputShape: outputShape)
    }

    public override var name: String {
        "Conv2D(\(inputShape.channels)->\(outputShape.channels), \(kernelSize)x\(kernelSize), pad \(padding), stride \(stride))"
    }

    var patchSize: Int { inputShape.channels * kernelSize * kernelSize }
    var pixels: Int { outputShape.height * outputShape.width }

    override func reserveWork(batch: Int) {
        if direct == nil || !usesDirectKernels { reserveColumns(batch: batch) }
    }

    /// The im2col path's buffers (the direct kernels size their own).
    private func reserveColumns(batch: Int) {
        if columns.count >= patchSize * batch * pixels { return }
        columns = [Scalar](repeating: 0, count: patchSize * batch * pixels)
        product = [Scalar](repeating: 0, count: outputShape.channels * batch * pixels)
    }

    public override var parameterTensorCount: Int { 2 }

    public override func withParameter<R>(_ index: Int, _ body: (inout [Scalar], inout [Scalar]) -> R) -> R {
        switch index {
        case 0: return body(&weights, &weightGradient)
        case 1: return body(&bias, &biasGradient)
        default: misuse("\(name): no parameter tensor \(index); it has \(parameterTensorCount) (0 weights, 1 bias)")
        }
    }

    public override func initializeParameters(generator: inout SeededGenerator) {
        let area = kernelSize * kernelSize
        XavierUniform.fill(&weights, fanIn: inputShape.channels * area,
                           fanOut: outputShape.channels * area, generator: &generator)
        for i in bias.indices { bias[i] = 0 }
    }

    override func forward(_ input: UnsafePointer<Scalar>, batch: Int) {
        if let direct, usesDirectKernels {
            weights.withUnsafeBufferPointer { w in
                bias.withUnsafeBufferPointer { b in
                    output.withUnsafeMutableBufferPointer { out in
                        Scalar.directConvolutionForward(direct, input: input, weights: w.baseAddress!,
                                                        bias: b.baseAddress!, output: out.baseAddress!, batch: batch)
                    }
                }
            }
            return
        }
        reserveColumns(batch: batch)
        let patch = patchSize, pixels = self.pixels, outC = outputShape.channels
        let total = batch * pixels
        let geometry = ConvolutionGeometry(layer: self)
        columns.withUnsafeMutableBufferPointer { cols in
            Scalar.im2col(geometry, input: input, columns: cols.baseAddress!, batch: batch)
            product.withUnsafeMutableBufferPointer { prod in
                weights.withUnsafeBufferPointer { w in
                    Scalar.gemm(transA: false, transB: false, m: outC, n: total, k: patch,
                                alpha: 1, a: w.baseAddress!, lda: patch,
                                b: UnsafePointer(cols.baseAddress!), ldb: total,
                                beta: 0, c: prod.baseAddress!, ldc: total, workspace: gemmWorkspace)
                }
            }
        }
        // Back to NCHW, adding the bias on the way.
        product.withUnsafeBufferPointer { prod in
            bias.withUnsafeBufferPointer { b in
                output.withUnsafeMutableBufferPointer { out in
                    Scalar.unfoldChannels(product: prod.baseAddress!, bias: b.baseAddress!, output: out.baseAddress!,
                                          batch: batch, channels: outC, pixels: pixels)
                }
            }
        }
    }

    override func backward(_ input: UnsafePointer<Scalar>, outputGradient: UnsafePointer<Scalar>, batch: Int) {
        if let direct, usesDirectKernels {
            let wantsInputGradient = computesInputGradient
            weights.withUnsafeBufferPointer { w in
                weightGradient.withUnsafeMutableBufferPointer { dw in
                    biasGradient.withUnsafeMutableBufferPointer { db in
                        inputGradient.withUnsafeMutableBufferPointer { dx in
                            Scalar.directConvolutionBackward(
                                direct, input: input, outputGradient: outputGradient, weights: w.baseAddress!,
                                weightGradient: dw.baseAddress!, biasGradient: db.baseAddress!,
                                inputGradient: wantsInputGradient ? dx.baseAddress! : nil, batch: batch)
                        }
                    }
                }
            }
            return
        }
        reserveColumns(batch: batch)
        let patch = patchSize, pixels = self.pixels, outC = outputShape.channels
        let total = batch * pixels
        product.withUnsafeMutableBufferPointer { prod in
            // dY' (channels x batch*pixels) from the NCHW gradient.
            Scalar.foldChannels(gradient: outputGradient, product: prod.baseAddress!,
                                batch: batch, channels: outC, pixels: pixels)
            let dY = UnsafePointer(prod.baseAddress!)
            biasGradient.withUnsafeMutableBufferPointer { db in
                Scalar.accumulateRowSums(dY, rows: outC, columns: total, into: db.baseAddress!)
            }
            columns.withUnsafeMutableBufferPointer { cols in
                weightGradient.withUnsafeMutableBufferPointer { dw in
                    Scalar.gemm(transA: false, transB: true, m: outC, n: patch, k: total,
                                alpha: 1, a: dY, lda: total,
                                b: UnsafePointer(cols.baseAddress!), ldb: total,
                                beta: 1, c: dw.baseAddress!, ldc: patch, workspace: gemmWorkspace)
                }
                if !computesInputGradient { return }
                // The columns are no longer needed: they now receive dcols = W^T dY'.
                weights.withUnsafeBufferPointer { w in
                    Scalar.gemm(transA: true, transB: false, m: patch, n: total, k: outC,
                                alpha: 1, a: w.baseAddress!, lda: patch,
                                b: dY, ldb: total,
                                beta: 0, c: cols.baseAddress!, ldc: total, workspace: gemmWorkspace)
                }
                let geometry = ConvolutionGeometry(layer: self)
                inputGradient.withUnsafeMutableBufferPointer { dx in
                    Scalar.col2im(geometry, columns: UnsafePointer(cols.baseAddress!),
                                  inputGradient: dx.baseAddress!, batch: batch)
                }
            }
        }
    }
}

/// The index arithmetic of im2col / col2im for one convolution, as a small Sendable value.
public struct ConvolutionGeometry: Sendable {
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
}

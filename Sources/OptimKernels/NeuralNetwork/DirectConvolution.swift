import OptimKit
/// Stride-1 convolution computed straight from the images, without the im2col matrix.
///
/// `Conv2D` describes its arithmetic as matrix products over an im2col matrix (see there);
/// these kernels perform exactly the same floating-point operations in the same order, so
/// their results are bitwise those of the im2col path, but they never build that matrix
/// (20 MB per minibatch for LeNet's first layer), so everything they touch stays in cache:
///
/// - forward, for every output element:
///   `y = (P_0 + P_1 + ...) + b[o]`, where `P_s` is the fused multiply-add chain from zero over
///   the taps `k = (c, u, v)` of the s-th block of 256 taps (the GEMM's depth blocks), taken
///   in increasing k, of `W[o, k] * x_pad[c, i + u, j + v]`. Vector lanes run over output
///   channels, and a block of eight output pixels is accumulated in registers.
/// - weight gradient: `dW[o, k] += Q_0; dW[o, k] += Q_1; ...` where `Q_s` is the chain from
///   zero over the s-th block of 256 positions `t = n * pixels + p` of the whole minibatch of
///   `dY[n, o, p] * x_pad[n, c, i + u, j + v]`. Blocks are independent, so they are shared out
///   to the threads and added in order afterwards. Lanes run over output channels, or, for
///   5x5 kernels with at most eight output channels, over the kernel's columns.
/// - bias gradient: `db[o] += Float(sum over t, in order, of Double(dY[n, o, p]))`.
/// - input gradient: `D[k, p]` is the chain over output channels (in blocks of 256) of
///   `W[o, k] * dY[n, o, p]`; then, starting from zero, every `dx[c, y, x]` adds the `D` of
///   the taps that reach it in increasing k (col2im's order). Lanes run over output pixels
///   for `D` and over input columns for the sums, which are gathered in registers; a tap
///   that does not reach a lane adds an exact zero there.
///
/// Padding is an explicit zero border (a padded copy of the minibatch, kept for the backward
/// pass), so products with padding values are computed just as im2col computes them: even
/// infinite or NaN weights give the same bits. No vectorisation choice changes a result,
/// since a lane only ever holds one output element: the AVX2 and AVX-512 builds agree.
///
/// The work is split over samples (forward, input gradient) and over 256-position blocks
/// (weight gradient), all in one parallel loop per pass; scratch memory belongs to the
/// workspace and is sized on the first minibatch, so a warmed-up pass allocates nothing.
///
/// ```swift
/// let conv = Conv2D<Float>(inputShape: TensorShape(channels: 1, height: 28, width: 28),
///                          outputChannels: 6, kernelSize: 5, padding: 2)
/// conv.forward(images, batch: 256)        // runs the direct kernels (stride 1)
/// ```
struct DirectConvolutionShape: Sendable {
    let inChannels: Int, height: Int, width: Int
    let kernel: Int, padding: Int
    let outChannels: Int, outHeight: Int, outWidth: Int

    var paddedHeight: Int { height + 2 * padding }
    var paddedWidth: Int { width + 2 * padding }
    var paddedImage: Int { inChannels * paddedHeight * paddedWidth }
    var image: Int { inChannels * height * width }
    var patch: Int { inChannels * kernel * kernel }
    var pixels: Int { outHeight * outWidth }

    init(input: TensorShape, kernel: Int, padding: Int, output: TensorShape) {
        inChannels = input.channels
        height = input.height
        width = input.width
        self.kernel = kernel
        self.padding = padding
        outChannels = output.channels
        outHeight = output.height
        outWidth = output.width
    }

    /// Offset of tap `k = (c, u, v)` in a padded image: `c * Hp * Wp + u * Wp + v`.
    func tapOffset(_ k: Int) -> Int {
        let c = k / (kernel * kernel), u = (k / kernel) % kernel, v = k % kernel
        return (c * paddedHeight + u) * paddedWidth + v
    }
}

/// Depth of one block of a chain (taps, positions or output channels): the GEMM's `kc`, so
/// the direct kernels split their sums where the im2col products do.
let directConvolutionBlock = GEMM.blockDepth

/// The scratch memory of the direct kernels for one layer, grown to the largest minibatch.
/// Opaque outside OptimKit: a `Conv2D` owns one.
public final class DirectConvolutionWorkspace<Scalar: BinaryFloatingPoint> {
    let shape: DirectConvolutionShape
    /// `tapOffset(k)` for every tap.
    let taps: [Int]
    /// The zero-bordered copy of the latest forward input (empty without padding).
    var padded: [Scalar] = []
    /// Weights transposed to `patch x outChannelsPadded` (lanes over output channels).
    var transposedWeights: [Scalar] = []
    /// Block sums of the weight gradient, `blocks x patchPadded x lanes` per channel group.
    var blockSums: [Scalar] = []
    /// Per-task scratch of the weight-gradient tasks and of the input-gradient tasks.
    var weightScratch: [Scalar] = []
    var weightOffsets: [Int] = []
    var inputScratch: [Scalar] = []
    private(set) var batchCapacity = 0

    init(shape: DirectConvolutionShape) {
        self.shape = shape
        taps = (0..<shape.patch).map(shape.tapOffset)
    }

    /// Tasks a pass is cut into: enough for every core to take several, so one thread slowed
    /// by another job does not hold up the pass. (The split never changes a result.)
    static var taskLimit: Int { 4 * GEMM.coreCount }

    func reserve(batch: Int, layout: DirectConvolutionLayout) {
        if batch <= batchCapacity { return }
        let s = shape
        // Slack after the last image: the five-wide weight-gradient kernel reads whole
        // vectors that may run a few values past a row.
        if s.padding > 0 { padded = [Scalar](repeating: 0, count: batch * s.paddedImage + 16) }
        transposedWeights = [Scalar](repeating: 0, count: s.patch * layout.channelsPadded)
        let blocks = layout.positionBlocks(batch: batch)
        blockSums = [Scalar](repeating: 0, count: blocks * layout.groups * layout.patchPadded * layout.channelLanes)
        let tasks = Self.taskLimit
        weightScratch = [Scalar](repeating: 0, count: tasks * directConvolutionBlock * layout.channelLanes)
        weightOffsets = [Int](repeating: 0, count: tasks * directConvolutionBlock)
        inputScratch = [Scalar](repeating: 0, count: tasks * layout.inputTaskScratch)
        batchCapacity = batch
    }
}

/// Sizes derived from the shape and the two vector widths (lanes over output channels for
/// forward and weight gradient, lanes over pixels for the input gradient).
struct DirectConvolutionLayout: Sendable {
    let shape: DirectConvolutionShape
    let channelLanes: Int
    let pixelLanes: Int

    /// Output channels in groups of `channelLanes`.
    var groups: Int { (shape.outChannels + channelLanes - 1) / channelLanes }
    var channelsPadded: Int { groups * channelLanes }
    /// Taps are handled five at a time by the weight-gradient kernel.
    var patchPadded: Int { (shape.patch + 4) / 5 * 5 }
    func positionBlocks(batch: Int) -> Int {
        (batch * shape.pixels + directConvolutionBlock - 1) / directConvolutionBlock
    }
    /// Pixels of one output channel rounded up to whole vectors.
    var pixelsPadded: Int { (shape.pixels + pixelLanes - 1) / pixelLanes * pixelLanes }
    /// Vectors covering one row of the input gradient.
    var inputRowVectors: Int { (shape.width + pixelLanes - 1) / pixelLanes }
    /// Rows of `D` held at once: one input channel's taps, rounded up to the five the
    /// input-gradient kernel computes together.
    var tapRows: Int { (shape.kernel * shape.kernel + 4) / 5 * 5 }
    /// Room before and after `D` for the whole-vector reads of its first and last rows,
    /// which reach up to `kernel - 1` values before a row and a vector past it (those
    /// lanes are masked out).
    var inputSlack: Int { 2 * pixelLanes + shape.kernel + shape.padding }
    /// dY of one sample (rows padded to whole vectors), one channel's rows of D, two rows of
    /// the result, with slack around D.
    var inputTaskScratch: Int {
        shape.outChannels * pixelsPadded + inputSlack + tapRows * pixelsPadded + inputSlack
            + 2 * inputRowVectors * pixelLanes
    }
}

/// The scalar types that have direct convolution kernels (`Float`, `Double`): the entry
/// points `Conv2D` calls, each compiled for its own precision and vector widths.
public protocol DirectConvolutionKernels: BinaryFloatingPoint {
    /// Forward pass of a stride-1 convolution (see `DirectConvolution`).
    static func directConvolutionForward(
        _ workspace: DirectConvolutionWorkspace<Self>, input: UnsafePointer<Self>,
        weights: UnsafePointer<Self>, bias: UnsafePointer<Self>,
        output: UnsafeMutablePointer<Self>, batch: Int)
    /// Backward pass: adds the weight and bias gradients and, unless `inputGradient` is nil,
    /// writes the input gradient. `input` is the forward pass's input.
    static func directConvolutionBackward(
        _ workspace: DirectConvolutionWorkspace<Self>, input: UnsafePointer<Self>,
        outputGradient: UnsafePointer<Self>, weights: UnsafePointer<Self>,
        weightGradient: UnsafeMutablePointer<Self>, biasGradient: UnsafeMutablePointer<Self>,
        inputGradient: UnsafeMutablePointer<Self>?, batch: Int)
}

// Lane widths: output channels in vectors of 16 (Float) or 8 (Double) when a layer has
// more than half that many, else half-width vectors; output pixels in full-width vectors.
// Without AVX-512 the widths are halved (the same arithmetic in 256-bit registers).
#if OPTIMKIT_AVX512
typealias FloatWide = SIMD16<Float>
typealias FloatNarrow = SIMD8<Float>
typealias DoubleWide = SIMD8<Double>
typealias DoubleNarrow = SIMD4<Double>
#else
typealias FloatWide = SIMD8<Float>
typealias FloatNarrow = SIMD8<Float>
typealias DoubleWide = SIMD4<Double>
typealias DoubleNarrow = SIMD4<Double>
#endif

extension Float: DirectConvolutionKernels {
    public static func directConvolutionForward(
        _ workspace: DirectConvolutionWorkspace<Float>, input: UnsafePointer<Float>,
        weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, batch: Int
    ) {
        if workspace.shape.outChannels > FloatNarrow.scalarCount {
            DirectConvolution<Float, FloatWide, FloatWide>.forward(
                workspace, input: input, weights: weights, bias: bias, output: output, batch: batch)
        } else {
            DirectConvolution<Float, FloatNarrow, FloatWide>.forward(
                workspace, input: input, weights: weights, bias: bias, output: output, batch: batch)
        }
    }
    public static func directConvolutionBackward(
        _ workspace: DirectConvolutionWorkspace<Float>, input: UnsafePointer<Float>,
        outputGradient: UnsafePointer<Float>, weights: UnsafePointer<Float>,
        weightGradient: UnsafeMutablePointer<Float>, biasGradient: UnsafeMutablePointer<Float>,
        inputGradient: UnsafeMutablePointer<Float>?, batch: Int
    ) {
        if workspace.shape.outChannels > FloatNarrow.scalarCount {
            DirectConvolution<Float, FloatWide, FloatWide>.backward(
                workspace, input: input, outputGradient: outputGradient, weights: weights,
                weightGradient: weightGradient, biasGradient: biasGradient, inputGradient: inputGradient, batch: batch)
        } else {
            DirectConvolution<Float, FloatNarrow, FloatWide>.backward(
                workspace, input: input, outputGradient: outputGradient, weights: weights,
                weightGradient: weightGradient, biasGradient: biasGradient, inputGradient: inputGradient, batch: batch)
        }
    }
}

extension Double: DirectConvolutionKernels {
    public static func directConvolutionForward(
        _ workspace: DirectConvolutionWorkspace<Double>, input: UnsafePointer<Double>,
        weights: UnsafePointer<Double>, bias: UnsafePointer<Double>,
        output: UnsafeMutablePointer<Double>, batch: Int
    ) {
        if workspace.shape.outChannels > DoubleNarrow.scalarCount {
            DirectConvolution<Double, DoubleWide, DoubleWide>.forward(
                workspace, input: input, weights: weights, bias: bias, output: output, batch: batch)
        } else {
            DirectConvolution<Double, DoubleNarrow, DoubleWide>.forward(
                workspace, input: input, weights: weights, bias: bias, output: output, batch: batch)
        }
    }
    public static func directConvolutionBackward(
        _ workspace: DirectConvolutionWorkspace<Double>, input: UnsafePointer<Double>,
        outputGradient: UnsafePointer<Double>, weights: UnsafePointer<Double>,
        weightGradient: UnsafeMutablePointer<Double>, biasGradient: UnsafeMutablePointer<Double>,
        inputGradient: UnsafeMutablePointer<Double>?, batch: Int
    ) {
        if workspace.shape.outChannels > DoubleNarrow.scalarCount {
            DirectConvolution<Double, DoubleWide, DoubleWide>.backward(
                workspace, input: input, outputGradient: outputGradient, weights: weights,
                weightGradient: weightGradient, biasGradient: biasGradient, inputGradient: inputGradient, batch: batch)
        } else {
            DirectConvolution<Double, DoubleNarrow, DoubleWide>.backward(
                workspace, input: input, outputGradient: outputGradient, weights: weights,
                weightGradient: weightGradient, biasGradient: biasGradient, inputGradient: inputGradient, batch: batch)
        }
    }
}

/// The kernels for one scalar type `T`, with `VC` vectors over output channels and `VP`
/// vectors over output pixels. Everything lives in this one file so the optimiser
/// specialises it for every caller (see `LayerKernels.swift`).
enum DirectConvolution<T: LayerScalar & SIMDScalar, VC: SIMD & Sendable, VP: SIMD & Sendable> where VC.Scalar == T, VP.Scalar == T {
    static var channelLanes: Int { VC.scalarCount }
    static var pixelLanes: Int { VP.scalarCount }

    static func layout(_ shape: DirectConvolutionShape) -> DirectConvolutionLayout {
        DirectConvolutionLayout(shape: shape, channelLanes: VC.scalarCount, pixelLanes: VP.scalarCount)
    }

    // MARK: Forward

    struct ForwardArguments: @unchecked Sendable {
        let shape: DirectConvolutionShape
        let layout: DirectConvolutionLayout
        let batch: Int
        let tasks: Int
        let input: UnsafePointer<T>
        /// The padded copy to fill (nil without padding: the input is read directly).
        let padded: UnsafeMutablePointer<T>?
        let transposedWeights: UnsafePointer<T>
        /// The weights as the layer keeps them, `outChannels x patch` (for `forwardRows`).
        let weights: UnsafePointer<T>
        let bias: UnsafePointer<T>
        let taps: UnsafePointer<Int>
        let output: UnsafeMutablePointer<T>
    }

    static func forward(_ workspace: DirectConvolutionWorkspace<T>, input: UnsafePointer<T>,
                        weights: UnsafePointer<T>, bias: UnsafePointer<T>,
                        output: UnsafeMutablePointer<T>, batch: Int) {
        let shape = workspace.shape
        let layout = layout(shape)
        workspace.reserve(batch: batch, layout: layout)
        let patch = shape.patch, outC = shape.outChannels, stride = layout.channelsPadded
        workspace.transposedWeights.withUnsafeMutableBufferPointer { wt in
            let target = wt.baseAddress!
            for k in 0..<patch {
                for o in 0..<outC { target[k * stride + o] = weights[o * patch + k] }
            }
        }
        let tasks = min(batch, DirectConvolutionWorkspace<T>.taskLimit)
        workspace.transposedWeights.withUnsafeBufferPointer { wt in
            workspace.taps.withUnsafeBufferPointer { taps in
                workspace.padded.withUnsafeMutableBufferPointer { padded in
                    let arguments = ForwardArguments(
                        shape: shape, layout: layout, batch: batch, tasks: tasks, input: input,
                        padded: shape.padding > 0 ? padded.baseAddress! : nil,
                        transposedWeights: wt.baseAddress!, weights: weights, bias: bias, taps: taps.baseAddress!,
                        output: output)
                    concurrentFor(tasks, context: arguments) { arguments, task in
                        let first = arguments.batch * task / arguments.tasks
                        let end = arguments.batch * (task + 1) / arguments.tasks
                        for n in first..<end { forwardSample(arguments, n) }
                    }
                }
            }
        }
    }

    /// Pads sample `n` (if needed) and computes its `outChannels x pixels` outputs.
    @inline(__always)
    static func forwardSample(_ a: ForwardArguments, _ n: Int) {
        let s = a.shape
        let x: UnsafePointer<T>
        if let padded = a.padded {
            let target = padded + n * s.paddedImage
            pad(s, a.input + n * s.image, into: target)
            x = UnsafePointer(target)
        } else {
            x = a.input + n * s.image
        }
        if usesPixelLanes(s) {
            forwardRows(a, x, n)
            return
        }
        let pixels = s.pixels, outC = s.outChannels, wp = s.paddedWidth, patch = s.patch
        let stride = a.layout.channelsPadded
        let y = a.output + n * outC * pixels
        let taps = a.taps
        var g = 0
        while g < outC {
            let lanes = min(VC.scalarCount, outC - g)
            var biasVector = VC()
            for l in 0..<lanes { biasVector[l] = a.bias[g + l] }
            let w = a.transposedWeights + g
            var p0 = 0
            while p0 < pixels {
                // Eight output pixels; past the last pixel the last one is repeated (not stored).
                func window(_ r: Int) -> UnsafePointer<T> {
                    let p = min(p0 + r, pixels - 1)
                    return x + (p / s.outWidth) * wp + p % s.outWidth
                }
                let x0 = window(0), x1 = window(1), x2 = window(2), x3 = window(3)
                let x4 = window(4), x5 = window(5), x6 = window(6), x7 = window(7)
                var s0 = VC(), s1 = VC(), s2 = VC(), s3 = VC(), s4 = VC(), s5 = VC(), s6 = VC(), s7 = VC()
                var k0 = 0
                while k0 < patch {
                    let k1 = min(patch, k0 + directConvolutionBlock)
                    var c0 = VC(), c1 = VC(), c2 = VC(), c3 = VC(), c4 = VC(), c5 = VC(), c6 = VC(), c7 = VC()
                    for k in k0..<k1 {
                        let wv = UnsafeRawPointer(w + k * stride).loadUnaligned(as: VC.self)
                        let t = taps[k]
                        c0 = c0.addingProduct(wv, VC(repeating: x0[t]))
                        c1 = c1.addingProduct(wv, VC(repeating: x1[t]))
                        c2 = c2.addingProduct(wv, VC(repeating: x2[t]))
                        c3 = c3.addingProduct(wv, VC(repeating: x3[t]))
                        c4 = c4.addingProduct(wv, VC(repeating: x4[t]))
                        c5 = c5.addingProduct(wv, VC(repeating: x5[t]))
                        c6 = c6.addingProduct(wv, VC(repeating: x6[t]))
                        c7 = c7.addingProduct(wv, VC(repeating: x7[t]))
                    }
                    if k0 == 0 {
                        s0 = c0; s1 = c1; s2 = c2; s3 = c3; s4 = c4; s5 = c5; s6 = c6; s7 = c7
                    } else {
                        s0 = c0 + s0; s1 = c1 + s1; s2 = c2 + s2; s3 = c3 + s3
                        s4 = c4 + s4; s5 = c5 + s5; s6 = c6 + s6; s7 = c7 + s7
                    }
                    k0 = k1
                }
                let count = min(8, pixels - p0)
                let target = y + g * pixels + p0
                store(s0 + biasVector, lanes, target, pixels)
                if count > 1 { store(s1 + biasVector, lanes, target + 1, pixels) }
                if count > 2 { store(s2 + biasVector, lanes, target + 2, pixels) }
                if count > 3 { store(s3 + biasVector, lanes, target + 3, pixels) }
                if count > 4 { store(s4 + biasVector, lanes, target + 4, pixels) }
                if count > 5 { store(s5 + biasVector, lanes, target + 5, pixels) }
                if count > 6 { store(s6 + biasVector, lanes, target + 6, pixels) }
                if count > 7 { store(s7 + biasVector, lanes, target + 7, pixels) }
                p0 += 8
            }
            g += VC.scalarCount
        }
    }

    /// Whether `forwardRows` computes this layer: one block of taps, few output channels
    /// (lanes over channels would stay partly empty) and output rows that two pixel vectors
    /// cover (LeNet's first layer: 6 channels, 25 taps, rows of 28 in AVX-512 builds).
    @inline(__always)
    static func usesPixelLanes(_ s: DirectConvolutionShape) -> Bool {
        s.patch <= directConvolutionBlock && s.outChannels <= 8
            && s.outWidth >= VP.scalarCount && s.outWidth <= 2 * VP.scalarCount
    }

    /// Forward pass of one (padded) sample with lanes over output columns: for six output
    /// channels at a time and each output row, two vectors cover the row (the second one
    /// ends at the row's end and may overlap the first, recomputing some outputs with the
    /// same operations), and every tap's two input vectors serve all six channels. Each
    /// output is the same chain as in `forwardSample`, from zero over the taps in increasing
    /// k of `W[o, k] * x` (a fused multiply-add, whose product does not depend on the order
    /// of its factors), plus the bias: bitwise the same result.
    ///
    /// Measured: LeNet's first layer with 6 of 16 channel lanes in use took 2.0 CPU ms per
    /// minibatch of 256; with the lanes over its 28-wide rows, 14 of 16 lanes do useful work.
    @inline(__always)
    static func forwardRows(_ a: ForwardArguments, _ x: UnsafePointer<T>, _ n: Int) {
        let s = a.shape
        let width = s.outWidth, wp = s.paddedWidth, patch = s.patch, outC = s.outChannels
        let pixels = s.pixels
        let second = width - VP.scalarCount
        let y = a.output + n * outC * pixels
        let taps = a.taps
        var o0 = 0
        while o0 < outC {
            // Past the last channel the last one is repeated (computed, not stored).
            func weights(_ i: Int) -> UnsafePointer<T> { a.weights + min(o0 + i, outC - 1) * patch }
            let w0 = weights(0), w1 = weights(1), w2 = weights(2), w3 = weights(3), w4 = weights(4), w5 = weights(5)
            let count = min(6, outC - o0)
            for row in 0..<s.outHeight {
                let base = x + row * wp
                var a00 = VP(), a01 = VP(), a10 = VP(), a11 = VP(), a20 = VP(), a21 = VP()
                var a30 = VP(), a31 = VP(), a40 = VP(), a41 = VP(), a50 = VP(), a51 = VP()
                for k in 0..<patch {
                    let t = base + taps[k]
                    let v0 = UnsafeRawPointer(t).loadUnaligned(as: VP.self)
                    let v1 = UnsafeRawPointer(t + second).loadUnaligned(as: VP.self)
                    var b = VP(repeating: w0[k])
                    a00 = a00.addingProduct(b, v0); a01 = a01.addingProduct(b, v1)
                    b = VP(repeating: w1[k])
                    a10 = a10.addingProduct(b, v0); a11 = a11.addingProduct(b, v1)
                    b = VP(repeating: w2[k])
                    a20 = a20.addingProduct(b, v0); a21 = a21.addingProduct(b, v1)
                    b = VP(repeating: w3[k])
                    a30 = a30.addingProduct(b, v0); a31 = a31.addingProduct(b, v1)
                    b = VP(repeating: w4[k])
                    a40 = a40.addingProduct(b, v0); a41 = a41.addingProduct(b, v1)
                    b = VP(repeating: w5[k])
                    a50 = a50.addingProduct(b, v0); a51 = a51.addingProduct(b, v1)
                }
                let target = y + o0 * pixels + row * width
                @inline(__always) func put(_ i: Int, _ first: VP, _ last: VP) {
                    let bias = VP(repeating: a.bias[o0 + i])
                    let out = UnsafeMutableRawPointer(target + i * pixels)
                    // The overlapping part is written twice with equal values.
                    (out + second * MemoryLayout<T>.stride).storeBytes(of: last + bias, as: VP.self)
                    out.storeBytes(of: first + bias, as: VP.self)
                }
                put(0, a00, a01)
                if count > 1 { put(1, a10, a11) }
                if count > 2 { put(2, a20, a21) }
                if count > 3 { put(3, a30, a31) }
                if count > 4 { put(4, a40, a41) }
                if count > 5 { put(5, a50, a51) }
            }
            o0 += 6
        }
    }

    /// Writes lane `l` of `v` to `target[l * stride]` for the first `lanes` lanes.
    @inline(__always)
    static func store(_ v: VC, _ lanes: Int, _ target: UnsafeMutablePointer<T>, _ stride: Int) {
        for l in 0..<lanes { target[l * stride] = v[l] }
    }

    /// Copies one image into the interior of a zero-bordered one.
    @inline(__always)
    static func pad(_ s: DirectConvolutionShape, _ source: UnsafePointer<T>, into target: UnsafeMutablePointer<T>) {
        let wp = s.paddedWidth, p = s.padding
        target.update(repeating: 0, count: s.paddedImage)
        for c in 0..<s.inChannels {
            for row in 0..<s.height {
                (target + (c * s.paddedHeight + row + p) * wp + p)
                    .update(from: source + (c * s.height + row) * s.width, count: s.width)
            }
        }
    }

    // MARK: Backward

    struct BackwardArguments: @unchecked Sendable {
        let shape: DirectConvolutionShape
        let layout: DirectConvolutionLayout
        let batch: Int
        let biasTasks: Int, weightTasks: Int, inputTasks: Int
        let blocks: Int
        /// The forward input as the kernels read it (the padded copy, or the input itself).
        let x: UnsafePointer<T>
        let gradient: UnsafePointer<T>
        let weights: UnsafePointer<T>
        let taps: UnsafePointer<Int>
        let biasGradient: UnsafeMutablePointer<T>
        let blockSums: UnsafeMutablePointer<T>
        let weightScratch: UnsafeMutablePointer<T>
        let weightOffsets: UnsafeMutablePointer<Int>
        let inputScratch: UnsafeMutablePointer<T>
        /// nil when the input gradient is not wanted.
        let inputGradient: UnsafeMutablePointer<T>?
    }

    /// Channels whose bias sums one task computes: four scalar chains side by side. (Eight
    /// lanes of one vector needed a gather per position, slower than the chains' latency; four
    /// scalar chains keep the floating-point units busy and leave work for the other core.)
    static var biasChannelsPerTask: Int { 4 }

    static func backward(_ workspace: DirectConvolutionWorkspace<T>, input: UnsafePointer<T>,
                         outputGradient: UnsafePointer<T>, weights: UnsafePointer<T>,
                         weightGradient: UnsafeMutablePointer<T>, biasGradient: UnsafeMutablePointer<T>,
                         inputGradient: UnsafeMutablePointer<T>?, batch: Int) {
        let shape = workspace.shape
        let layout = layout(shape)
        workspace.reserve(batch: batch, layout: layout)
        let blocks = layout.positionBlocks(batch: batch)
        let limit = DirectConvolutionWorkspace<T>.taskLimit
        let biasTasks = (shape.outChannels + biasChannelsPerTask - 1) / biasChannelsPerTask
        let weightTasks = min(blocks, limit)
        let inputTasks = inputGradient == nil ? 0 : min(batch, limit)
        workspace.padded.withUnsafeBufferPointer { padded in
            workspace.taps.withUnsafeBufferPointer { taps in
                workspace.blockSums.withUnsafeMutableBufferPointer { sums in
                    workspace.weightScratch.withUnsafeMutableBufferPointer { scratch in
                        workspace.weightOffsets.withUnsafeMutableBufferPointer { offsets in
                            workspace.inputScratch.withUnsafeMutableBufferPointer { inputScratch in
                                let arguments = BackwardArguments(
                                    shape: shape, layout: layout, batch: batch, biasTasks: biasTasks,
                                    weightTasks: weightTasks, inputTasks: inputTasks, blocks: blocks,
                                    x: shape.padding > 0 ? padded.baseAddress! : input,
                                    gradient: outputGradient, weights: weights, taps: taps.baseAddress!,
                                    biasGradient: biasGradient, blockSums: sums.baseAddress!,
                                    weightScratch: scratch.baseAddress!, weightOffsets: offsets.baseAddress!,
                                    inputScratch: inputScratch.baseAddress!, inputGradient: inputGradient)
                                // Bias chains first (each is one long dependency chain), then the
                                // weight-gradient blocks, then the input gradient sample by sample.
                                concurrentFor(biasTasks + weightTasks + inputTasks, context: arguments) { a, task in
                                    if task < a.biasTasks {
                                        biasSums(a, task)
                                    } else if task < a.biasTasks + a.weightTasks {
                                        let w = task - a.biasTasks
                                        for block in (a.blocks * w / a.weightTasks)..<(a.blocks * (w + 1) / a.weightTasks) {
                                            if usesFiveWideWeightKernel(a.shape) {
                                                weightBlockFiveWide(a, block)
                                            } else {
                                                weightBlock(a, block, scratchSlot: w)
                                            }
                                        }
                                    } else {
                                        let i = task - a.biasTasks - a.weightTasks
                                        for n in (a.batch * i / a.inputTasks)..<(a.batch * (i + 1) / a.inputTasks) {
                                            inputGradientSample(a, n, scratchSlot: i)
                                        }
                                    }
                                }
                                addBlockSums(arguments, into: weightGradient)
                            }
                        }
                    }
                }
            }
        }
    }

    /// `db[o] += T(sum over the minibatch, in order, of Double(dY[n, o, p]))` for up to four
    /// channels, whose chains are interleaved so that they run side by side.
    @inline(__always)
    static func biasSums(_ a: BackwardArguments, _ task: Int) {
        let s = a.shape
        let first = task * biasChannelsPerTask
        let count = min(biasChannelsPerTask, s.outChannels - first)
        let pixels = s.pixels, outC = s.outChannels
        // Missing channels repeat the last one; their sums are not stored.
        func channel(_ r: Int) -> Int { first + min(r, count - 1) }
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        for n in 0..<a.batch {
            let sample = a.gradient + n * outC * pixels
            let y0 = sample + channel(0) * pixels, y1 = sample + channel(1) * pixels
            let y2 = sample + channel(2) * pixels, y3 = sample + channel(3) * pixels
            for p in 0..<pixels {
                s0 += y0[p].doubleValue
                s1 += y1[p].doubleValue
                s2 += y2[p].doubleValue
                s3 += y3[p].doubleValue
            }
        }
        let sums = SIMD4(s0, s1, s2, s3)
        for r in 0..<count { a.biasGradient[first + r] += T(sums[r]) }
    }

    /// The block sums `Q_block[o, k]` of the weight gradient for one block of 256 positions,
    /// for every channel group, stored in `blockSums`.
    @inline(__always)
    static func weightBlock(_ a: BackwardArguments, _ block: Int, scratchSlot: Int) {
        let s = a.shape, layout = a.layout
        let lanesPerGroup = VC.scalarCount
        let total = a.batch * s.pixels
        let t0 = block * directConvolutionBlock, t1 = min(total, t0 + directConvolutionBlock)
        let count = t1 - t0
        let dy = a.weightScratch + scratchSlot * directConvolutionBlock * lanesPerGroup
        let offsets = a.weightOffsets + scratchSlot * directConvolutionBlock
        let pixels = s.pixels, outC = s.outChannels, patch = s.patch
        let imageStride = s.padding > 0 ? s.paddedImage : s.image
        // Where position t's window starts in the (padded) input.
        var n = t0 / pixels, i = (t0 % pixels) / s.outWidth, j = t0 % s.outWidth
        for q in 0..<count {
            offsets[q] = n * imageStride + i * s.paddedWidth + j
            j += 1
            if j == s.outWidth {
                j = 0
                i += 1
                if i == s.outHeight { i = 0; n += 1 }
            }
        }
        for group in 0..<layout.groups {
            let g = group * lanesPerGroup
            let lanes = min(lanesPerGroup, outC - g)
            // dY of the block, one vector of channels per position, gathered run by run (a
            // block spans several samples when a sample has fewer than 256 pixels). Lanes past
            // the last channel are never written, so they keep the zeros they were made with.
            var t = t0
            while t < t1 {
                let sample = t / pixels, p = t % pixels
                let run = min(t1 - t, pixels - p)
                let row = dy + (t - t0) * lanesPerGroup
                for l in 0..<lanes {
                    // Pointer steps and four copies per turn: indexed copies with checked
                    // index arithmetic took a sixth of the block's time.
                    var source = a.gradient + (sample * outC + g + l) * pixels + p
                    var target = row + l
                    var left = run
                    while left >= 4 {
                        target[0] = source[0]
                        target[lanesPerGroup] = source[1]
                        target[2 &* lanesPerGroup] = source[2]
                        target[3 &* lanesPerGroup] = source[3]
                        source += 4
                        target += 4 &* lanesPerGroup
                        left &-= 4
                    }
                    while left > 0 {
                        target.pointee = source.pointee
                        source += 1
                        target += lanesPerGroup
                        left &-= 1
                    }
                }
                t += run
            }
            let out = a.blockSums + ((block * layout.groups + group) * layout.patchPadded) * lanesPerGroup
            var k0 = 0
            while k0 < patch {
                // Five taps at a time; missing taps repeat the last one (not stored).
                let o0 = a.taps[k0], o1 = a.taps[min(k0 + 1, patch - 1)], o2 = a.taps[min(k0 + 2, patch - 1)]
                let o3 = a.taps[min(k0 + 3, patch - 1)], o4 = a.taps[min(k0 + 4, patch - 1)]
                var c0 = VC(), c1 = VC(), c2 = VC(), c3 = VC(), c4 = VC()
                for q in 0..<count {
                    let d = UnsafeRawPointer(dy + q * lanesPerGroup).loadUnaligned(as: VC.self)
                    let x = a.x + offsets[q]
                    c0 = c0.addingProduct(d, VC(repeating: x[o0]))
                    c1 = c1.addingProduct(d, VC(repeating: x[o1]))
                    c2 = c2.addingProduct(d, VC(repeating: x[o2]))
                    c3 = c3.addingProduct(d, VC(repeating: x[o3]))
                    c4 = c4.addingProduct(d, VC(repeating: x[o4]))
                }
                let target = UnsafeMutableRawPointer(out + k0 * lanesPerGroup)
                let vb = MemoryLayout<VC>.stride
                target.storeBytes(of: c0, as: VC.self)
                target.storeBytes(of: c1, toByteOffset: vb, as: VC.self)
                target.storeBytes(of: c2, toByteOffset: 2 * vb, as: VC.self)
                target.storeBytes(of: c3, toByteOffset: 3 * vb, as: VC.self)
                target.storeBytes(of: c4, toByteOffset: 4 * vb, as: VC.self)
                k0 += 5
            }
        }
    }

    /// Whether a layer's weight gradient goes through `weightBlockFiveWide`: 5x5 kernels with
    /// few output channels (LeNet's first layer), where lanes over output channels would be
    /// mostly empty and gathering dY across channels would cost as much as the arithmetic.
    /// It needs the padded copy (which has slack after the last image).
    @inline(__always)
    static func usesFiveWideWeightKernel(_ s: DirectConvolutionShape) -> Bool {
        s.kernel == 5 && s.outChannels <= 8 && s.padding > 0
    }

    /// The block sums of one 256-position block for a 5x5 kernel with lanes over the kernel
    /// columns `v` (eight-wide vectors, five used): for three output channels at a time and
    /// each input channel, fifteen accumulators (channel x kernel row) take one fused
    /// multiply-add per position, `dY[n, o, p]` broadcast and a row of five input values
    /// loaded as a vector. dY is read in place, so nothing is gathered. Each accumulator lane
    /// is one `Q_block[o, (c, u, v)]` summed over the block's positions in order, exactly as
    /// `weightBlock` (and the im2col product) sums it.
    @inline(__always)
    static func weightBlockFiveWide(_ a: BackwardArguments, _ block: Int) {
        typealias V8 = SIMD8<T>
        let s = a.shape, layout = a.layout
        let lanesPerGroup = VC.scalarCount
        let total = a.batch * s.pixels
        let t0 = block * directConvolutionBlock, t1 = min(total, t0 + directConvolutionBlock)
        let pixels = s.pixels, outC = s.outChannels, wp = s.paddedWidth
        let plane = s.paddedHeight * wp
        for c in 0..<s.inChannels {
            var o0 = 0
            while o0 < outC {
                let o1 = min(o0 + 1, outC - 1), o2 = min(o0 + 2, outC - 1)
                var a00 = V8(), a01 = V8(), a02 = V8(), a03 = V8(), a04 = V8()
                var a10 = V8(), a11 = V8(), a12 = V8(), a13 = V8(), a14 = V8()
                var a20 = V8(), a21 = V8(), a22 = V8(), a23 = V8(), a24 = V8()
                var t = t0
                while t < t1 {
                    // One run of positions within an output row of one sample.
                    let n = t / pixels, p = t % pixels
                    let i = p / s.outWidth, j0 = p % s.outWidth
                    let run = min(t1 - t, s.outWidth - j0)
                    let x = a.x + n * s.paddedImage + c * plane + i * wp + j0
                    let sample = a.gradient + n * outC * pixels + p
                    let d0 = sample + o0 * pixels, d1 = sample + o1 * pixels, d2 = sample + o2 * pixels
                    for q in 0..<run {
                        let row = UnsafeRawPointer(x + q)
                        let x0 = row.loadUnaligned(as: V8.self)
                        let x1 = row.loadUnaligned(fromByteOffset: wp * MemoryLayout<T>.stride, as: V8.self)
                        let x2 = row.loadUnaligned(fromByteOffset: 2 * wp * MemoryLayout<T>.stride, as: V8.self)
                        let x3 = row.loadUnaligned(fromByteOffset: 3 * wp * MemoryLayout<T>.stride, as: V8.self)
                        let x4 = row.loadUnaligned(fromByteOffset: 4 * wp * MemoryLayout<T>.stride, as: V8.self)
                        let g0 = V8(repeating: d0[q]), g1 = V8(repeating: d1[q]), g2 = V8(repeating: d2[q])
                        a00 = a00.addingProduct(g0, x0); a01 = a01.addingProduct(g0, x1); a02 = a02.addingProduct(g0, x2)
                        a03 = a03.addingProduct(g0, x3); a04 = a04.addingProduct(g0, x4)
                        a10 = a10.addingProduct(g1, x0); a11 = a11.addingProduct(g1, x1); a12 = a12.addingProduct(g1, x2)
                        a13 = a13.addingProduct(g1, x3); a14 = a14.addingProduct(g1, x4)
                        a20 = a20.addingProduct(g2, x0); a21 = a21.addingProduct(g2, x1); a22 = a22.addingProduct(g2, x2)
                        a23 = a23.addingProduct(g2, x3); a24 = a24.addingProduct(g2, x4)
                    }
                    t += run
                }
                // Lane v of accumulator (o, u) is Q[o, (c, u, v)].
                func put(_ o: Int, _ rows: (V8, V8, V8, V8, V8)) {
                    let group = o / lanesPerGroup, lane = o % lanesPerGroup
                    let out = a.blockSums + ((block * layout.groups + group) * layout.patchPadded + c * 25) * lanesPerGroup + lane
                    for v in 0..<5 {
                        out[v * lanesPerGroup] = rows.0[v]
                        out[(5 + v) * lanesPerGroup] = rows.1[v]
                        out[(10 + v) * lanesPerGroup] = rows.2[v]
                        out[(15 + v) * lanesPerGroup] = rows.3[v]
                        out[(20 + v) * lanesPerGroup] = rows.4[v]
                    }
                }
                put(o0, (a00, a01, a02, a03, a04))
                if o0 + 1 < outC { put(o0 + 1, (a10, a11, a12, a13, a14)) }
                if o0 + 2 < outC { put(o0 + 2, (a20, a21, a22, a23, a24)) }
                o0 += 3
            }
        }
    }

    /// `dW[o, k] = Q_0 + dW[o, k]`, then `Q_1 + dW[o, k]`, ... in block order.
    @inline(__always)
    static func addBlockSums(_ a: BackwardArguments, into weightGradient: UnsafeMutablePointer<T>) {
        let s = a.shape, layout = a.layout
        let lanesPerGroup = VC.scalarCount, patch = s.patch
        for group in 0..<layout.groups {
            let g = group * lanesPerGroup
            let lanes = min(lanesPerGroup, s.outChannels - g)
            for k in 0..<patch {
                var sum = VC()
                for l in 0..<lanes { sum[l] = weightGradient[(g + l) * patch + k] }
                var source = a.blockSums + (group * layout.patchPadded + k) * lanesPerGroup
                let step = layout.groups * layout.patchPadded * lanesPerGroup
                for _ in 0..<a.blocks {
                    sum = UnsafeRawPointer(source).loadUnaligned(as: VC.self) + sum
                    source += step
                }
                for l in 0..<lanes { weightGradient[(g + l) * patch + k] = sum[l] }
            }
        }
    }

    /// Five rows of `D` (taps `w0 ... w4`, each `W[o, k]` at `w + o * patch`) over `pv`
    /// pixels when the output channels form one block: `D[k, p]` is the chain from zero over
    /// o in increasing order of `W[o, k] * dY[o, p]`. Four or three pixel vectors are
    /// computed at a time (twenty or fifteen chains in registers, so each `dY` vector and
    /// weight broadcast serves several of them), chosen so that few vectors are computed
    /// twice: seven vectors are four and three, thirteen are four and three times three.
    /// Past the last vector the last one is repeated and stored again with the same values.
    @inline(__always)
    static func fiveTapRows(_ d: UnsafeMutablePointer<T>, _ dy: UnsafePointer<T>,
                            _ w: (UnsafePointer<T>, UnsafePointer<T>, UnsafePointer<T>, UnsafePointer<T>, UnsafePointer<T>),
                            patch: Int, outC: Int, pv: Int) {
        let vectors = pv / VP.scalarCount
        var v0 = 0
        while v0 < vectors {
            // As few passes as possible, and then as few repeated vectors: four-vector passes
            // only while three-vector ones could not cover the rest in the same number.
            let left = vectors - v0, passes = (left + 3) / 4
            if left - 3 * passes > 0 {
                fiveTapVectors(d, dy, w, patch: patch, outC: outC, pv: pv, first: v0, last: vectors - 1, four: true)
                v0 += 4
            } else {
                fiveTapVectors(d, dy, w, patch: patch, outC: outC, pv: pv, first: v0, last: vectors - 1, four: false)
                v0 += 3
            }
        }
    }

    /// Pixel vectors `first ..< first + 4` (or `+ 3` unless `four`) of five rows of `D`,
    /// vectors past `last` replaced by `last`.
    @inline(__always)
    static func fiveTapVectors(_ d: UnsafeMutablePointer<T>, _ dy: UnsafePointer<T>,
                               _ w: (UnsafePointer<T>, UnsafePointer<T>, UnsafePointer<T>, UnsafePointer<T>, UnsafePointer<T>),
                               patch: Int, outC: Int, pv: Int, first: Int, last: Int, four: Bool) {
        let lanes = VP.scalarCount
        let rb = pv * MemoryLayout<T>.stride
        let (w0, w1, w2, w3, w4) = w
        let q0 = first * lanes, q1 = min(first + 1, last) * lanes
        let q2 = min(first + 2, last) * lanes, q3 = min(first + 3, last) * lanes
        var c00 = VP(), c01 = VP(), c02 = VP(), c03 = VP()
        var c10 = VP(), c11 = VP(), c12 = VP(), c13 = VP()
        var c20 = VP(), c21 = VP(), c22 = VP(), c23 = VP()
        var c30 = VP(), c31 = VP(), c32 = VP(), c33 = VP()
        var c40 = VP(), c41 = VP(), c42 = VP(), c43 = VP()
        if four {
            for o in 0..<outC {
                let y = UnsafeRawPointer(dy + o * pv)
                let y0 = (y + q0 * MemoryLayout<T>.stride).loadUnaligned(as: VP.self)
                let y1 = (y + q1 * MemoryLayout<T>.stride).loadUnaligned(as: VP.self)
                let y2 = (y + q2 * MemoryLayout<T>.stride).loadUnaligned(as: VP.self)
                let y3 = (y + q3 * MemoryLayout<T>.stride).loadUnaligned(as: VP.self)
                let k = o * patch
                var b = VP(repeating: w0[k])
                c00 = c00.addingProduct(b, y0); c01 = c01.addingProduct(b, y1)
                c02 = c02.addingProduct(b, y2); c03 = c03.addingProduct(b, y3)
                b = VP(repeating: w1[k])
                c10 = c10.addingProduct(b, y0); c11 = c11.addingProduct(b, y1)
                c12 = c12.addingProduct(b, y2); c13 = c13.addingProduct(b, y3)
                b = VP(repeating: w2[k])
                c20 = c20.addingProduct(b, y0); c21 = c21.addingProduct(b, y1)
                c22 = c22.addingProduct(b, y2); c23 = c23.addingProduct(b, y3)
                b = VP(repeating: w3[k])
                c30 = c30.addingProduct(b, y0); c31 = c31.addingProduct(b, y1)
                c32 = c32.addingProduct(b, y2); c33 = c33.addingProduct(b, y3)
                b = VP(repeating: w4[k])
                c40 = c40.addingProduct(b, y0); c41 = c41.addingProduct(b, y1)
                c42 = c42.addingProduct(b, y2); c43 = c43.addingProduct(b, y3)
            }
        } else {
            for o in 0..<outC {
                let y = UnsafeRawPointer(dy + o * pv)
                let y0 = (y + q0 * MemoryLayout<T>.stride).loadUnaligned(as: VP.self)
                let y1 = (y + q1 * MemoryLayout<T>.stride).loadUnaligned(as: VP.self)
                let y2 = (y + q2 * MemoryLayout<T>.stride).loadUnaligned(as: VP.self)
                let k = o * patch
                var b = VP(repeating: w0[k])
                c00 = c00.addingProduct(b, y0); c01 = c01.addingProduct(b, y1); c02 = c02.addingProduct(b, y2)
                b = VP(repeating: w1[k])
                c10 = c10.addingProduct(b, y0); c11 = c11.addingProduct(b, y1); c12 = c12.addingProduct(b, y2)
                b = VP(repeating: w2[k])
                c20 = c20.addingProduct(b, y0); c21 = c21.addingProduct(b, y1); c22 = c22.addingProduct(b, y2)
                b = VP(repeating: w3[k])
                c30 = c30.addingProduct(b, y0); c31 = c31.addingProduct(b, y1); c32 = c32.addingProduct(b, y2)
                b = VP(repeating: w4[k])
                c40 = c40.addingProduct(b, y0); c41 = c41.addingProduct(b, y1); c42 = c42.addingProduct(b, y2)
            }
        }
        @inline(__always) func put(_ q: Int, _ r0: VP, _ r1: VP, _ r2: VP, _ r3: VP, _ r4: VP) {
            let target = UnsafeMutableRawPointer(d + q)
            target.storeBytes(of: r0, as: VP.self)
            target.storeBytes(of: r1, toByteOffset: rb, as: VP.self)
            target.storeBytes(of: r2, toByteOffset: 2 * rb, as: VP.self)
            target.storeBytes(of: r3, toByteOffset: 3 * rb, as: VP.self)
            target.storeBytes(of: r4, toByteOffset: 4 * rb, as: VP.self)
        }
        put(q0, c00, c10, c20, c30, c40)
        put(q1, c01, c11, c21, c31, c41)
        put(q2, c02, c12, c22, c32, c42)
        if four { put(q3, c03, c13, c23, c33, c43) }
    }

    /// One input channel's gradient from its rows of `D`: from zero, every element adds the
    /// `D` of the taps that reach it in increasing k (u, then v), masked lanes adding an exact
    /// zero. Two rows are summed side by side (their chains are independent, so the adds of
    /// one hide the latency of the other's); each row's chain keeps its own order. Rows are
    /// stored as whole vectors straight into the gradient when the vectors end inside the
    /// channel's plane (the part past a row's end is overwritten by the next row, stored
    /// later), else through `row` and copied.
    @inline(__always)
    static func gatherChannel(_ s: DirectConvolutionShape, d: UnsafePointer<T>, pv: Int,
                              masks: UnsafePointer<SIMDMask<VP.MaskStorage>>, chunks: Int,
                              gradient: UnsafeMutablePointer<T>, row: UnsafeMutablePointer<T>) {
        let lanes = VP.scalarCount
        let kernel = s.kernel, outW = s.outWidth, outH = s.outHeight, pad = s.padding
        let height = s.height, width = s.width, plane = height * width
        let tapRow = kernel * pv
        var yA = 0
        while yA < height {
            let yB = min(yA + 1, height - 1)
            // Kernel rows u reaching a row: output row i = y + pad - u in 0 ..< outH.
            let firstA = max(0, yA + pad - (outH - 1)), endA = min(kernel, yA + pad + 1)
            let firstB = max(0, yB + pad - (outH - 1)), endB = min(kernel, yB + pad + 1)
            for chunk in 0..<chunks {
                var sumA = VP(), sumB = VP()
                let column = chunk * lanes + pad
                var u = min(firstA, firstB)
                let uEnd = max(endA, endB)
                while u < uEnd {
                    let inA = u >= firstA && u < endA, inB = u >= firstB && u < endB
                    let lineA = d + u * tapRow + (yA + pad - u) * outW + column
                    let lineB = d + u * tapRow + (yB + pad - u) * outW + column
                    if inA && inB {
                        for v in 0..<kernel {
                            let mask = masks[v * chunks + chunk]
                            var valueA = UnsafeRawPointer(lineA + v * pv - v).loadUnaligned(as: VP.self)
                            var valueB = UnsafeRawPointer(lineB + v * pv - v).loadUnaligned(as: VP.self)
                            valueA.replace(with: 0, where: mask)
                            valueB.replace(with: 0, where: mask)
                            sumA = sumA + valueA
                            sumB = sumB + valueB
                        }
                    } else if inA {
                        for v in 0..<kernel {
                            var valueA = UnsafeRawPointer(lineA + v * pv - v).loadUnaligned(as: VP.self)
                            valueA.replace(with: 0, where: masks[v * chunks + chunk])
                            sumA = sumA + valueA
                        }
                    } else if inB {
                        for v in 0..<kernel {
                            var valueB = UnsafeRawPointer(lineB + v * pv - v).loadUnaligned(as: VP.self)
                            valueB.replace(with: 0, where: masks[v * chunks + chunk])
                            sumB = sumB + valueB
                        }
                    }
                    u += 1
                }
                UnsafeMutableRawPointer(row + chunk * lanes).storeBytes(of: sumA, as: VP.self)
                UnsafeMutableRawPointer(row + (chunks + chunk) * lanes).storeBytes(of: sumB, as: VP.self)
            }
            // Row B (equal to A at the last odd row) is stored second, so that whole-vector
            // stores of A never overwrite it.
            storeRow(row, into: gradient + yA * width, width: width, room: plane - yA * width, vectors: chunks)
            if yB != yA {
                storeRow(row + chunks * lanes, into: gradient + yB * width, width: width,
                         room: plane - yB * width, vectors: chunks)
            }
            yA += 2
        }
    }

    /// Copies `vectors` whole vectors from `source` to `target` when they fit in `room`
    /// values, else the first `width` values.
    @inline(__always)
    static func storeRow(_ source: UnsafePointer<T>, into target: UnsafeMutablePointer<T>,
                         width: Int, room: Int, vectors: Int) {
        let lanes = VP.scalarCount
        if vectors * lanes <= room {
            for chunk in 0..<vectors {
                let value = UnsafeRawPointer(source + chunk * lanes).loadUnaligned(as: VP.self)
                UnsafeMutableRawPointer(target + chunk * lanes).storeBytes(of: value, as: VP.self)
            }
        } else {
            for x in 0..<width { target[x] = source[x] }
        }
    }

    /// The input gradient of sample `n`, one input channel at a time: first `D` for the
    /// channel's taps (five at a time, each the chain over output channels), then every
    /// element of the channel's gradient gathered in registers: from zero, it adds the `D` of
    /// the taps that reach it in increasing k, which is col2im's order. A tap that does not
    /// reach a lane adds an exact zero there (a sum that starts at +0 never becomes -0, so
    /// adding +0 changes nothing), so the result is bitwise the scatter of col2im, without
    /// its stores and reloads of overlapping vectors.
    @inline(__always)
    static func inputGradientSample(_ a: BackwardArguments, _ n: Int, scratchSlot: Int) {
        let s = a.shape, layout = a.layout
        let lanes = VP.scalarCount
        let pixels = s.pixels, pv = layout.pixelsPadded, outC = s.outChannels
        let kernel = s.kernel, area = kernel * kernel, outW = s.outWidth, pad = s.padding
        let slack = layout.inputSlack
        let scratch = a.inputScratch + scratchSlot * layout.inputTaskScratch
        let dy = scratch                                  // outC x pv
        let d = dy + outC * pv + slack                    // tapRows x pv, one input channel's taps
        let row = d + layout.tapRows * pv + slack         // one gradient row, whole vectors
        let source = a.gradient + n * outC * pixels
        for o in 0..<outC {
            (dy + o * pv).update(from: source + o * pixels, count: pixels)
            (dy + o * pv + pixels).update(repeating: 0, count: pv - pixels)
        }
        let chunks = layout.inputRowVectors
        withUnsafeTemporaryAllocation(of: SIMDMask<VP.MaskStorage>.self, capacity: kernel * chunks) { masks in
            // Lane l of chunk x0 and kernel column v reads output column j = x0 + l + pad - v:
            // outside 0 ..< outW the tap does not reach that element (built once: generic mask
            // arithmetic inside the loop would not be vectorised).
            var laneIndex = VP()
            for l in 0..<lanes { laneIndex[l] = T(l) }
            for v in 0..<kernel {
                for chunk in 0..<chunks {
                    let j = laneIndex + VP(repeating: T(chunk * lanes + pad - v))
                    masks[v * chunks + chunk] = (j .< VP(repeating: 0)) .| (j .>= VP(repeating: T(outW)))
                }
            }
            let rb = pv * MemoryLayout<T>.stride
            for c in 0..<s.inChannels {
                let first = c * area, last = first + area - 1
                var t0 = 0
                while t0 < area {
                    let k0 = first + t0
                    let w0 = a.weights + k0, w1 = a.weights + min(k0 + 1, last)
                    let w2 = a.weights + min(k0 + 2, last), w3 = a.weights + min(k0 + 3, last)
                    let w4 = a.weights + min(k0 + 4, last)
                    if outC <= directConvolutionBlock {
                        fiveTapRows(d + t0 * pv, dy, (w0, w1, w2, w3, w4), patch: s.patch, outC: outC, pv: pv)
                        t0 += 5
                        continue
                    }
                    var p0 = 0
                    while p0 < pv {
                        var s0 = VP(), s1 = VP(), s2 = VP(), s3 = VP(), s4 = VP()
                        var o0 = 0
                        while o0 < outC {
                            let o1 = min(outC, o0 + directConvolutionBlock)
                            var c0 = VP(), c1 = VP(), c2 = VP(), c3 = VP(), c4 = VP()
                            for o in o0..<o1 {
                                let y = UnsafeRawPointer(dy + o * pv + p0).loadUnaligned(as: VP.self)
                                let w = o * s.patch
                                c0 = c0.addingProduct(VP(repeating: w0[w]), y)
                                c1 = c1.addingProduct(VP(repeating: w1[w]), y)
                                c2 = c2.addingProduct(VP(repeating: w2[w]), y)
                                c3 = c3.addingProduct(VP(repeating: w3[w]), y)
                                c4 = c4.addingProduct(VP(repeating: w4[w]), y)
                            }
                            if o0 == 0 {
                                s0 = c0; s1 = c1; s2 = c2; s3 = c3; s4 = c4
                            } else {
                                s0 = c0 + s0; s1 = c1 + s1; s2 = c2 + s2; s3 = c3 + s3; s4 = c4 + s4
                            }
                            o0 = o1
                        }
                        let target = UnsafeMutableRawPointer(d + t0 * pv + p0)
                        target.storeBytes(of: s0, as: VP.self)
                        target.storeBytes(of: s1, toByteOffset: rb, as: VP.self)
                        target.storeBytes(of: s2, toByteOffset: 2 * rb, as: VP.self)
                        target.storeBytes(of: s3, toByteOffset: 3 * rb, as: VP.self)
                        target.storeBytes(of: s4, toByteOffset: 4 * rb, as: VP.self)
                        p0 += lanes
                    }
                    t0 += 5
                }
                let gradient = a.inputGradient! + n * s.image + c * s.height * s.width
                gatherChannel(s, d: d, pv: pv, masks: UnsafePointer(masks.baseAddress!), chunks: chunks,
                              gradient: gradient, row: row)
            }
        }
    }
}

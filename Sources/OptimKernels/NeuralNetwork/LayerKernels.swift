import OptimKit
/// The element loops of the layers, compiled separately for `Float` and `Double`.
///
/// Layer classes are generic and called through their class vtable, so code inside
/// their methods runs unspecialised (every `+` and every copy of a number goes through
/// generic witness tables, several times slower). The loops therefore live here as
/// `@inline(__always)` generic functions that `Float` and `Double` instantiate in this
/// file; a layer calls `Scalar.reluForward(...)` and lands in machine code for its own
/// precision. Each kernel processes a whole minibatch and parallelises over samples or
/// over fixed chunks, never changing the order of any sum.
public protocol LayerKernels {
    associatedtype Element
    static func im2col(_ geometry: ConvolutionGeometry, input: UnsafePointer<Element>,
                       columns: UnsafeMutablePointer<Element>, batch: Int)
    static func col2im(_ geometry: ConvolutionGeometry, columns: UnsafePointer<Element>,
                       inputGradient: UnsafeMutablePointer<Element>, batch: Int)
    /// `output[n, c, q] = product[c, n * pixels + q] + bias[c]`.
    static func unfoldChannels(product: UnsafePointer<Element>, bias: UnsafePointer<Element>,
                               output: UnsafeMutablePointer<Element>, batch: Int, channels: Int, pixels: Int)
    /// `product[c, n * pixels + q] = gradient[n, c, q]`.
    static func foldChannels(gradient: UnsafePointer<Element>, product: UnsafeMutablePointer<Element>,
                             batch: Int, channels: Int, pixels: Int)
    /// `sums[r] += sum_c matrix[r, c]`, each row summed in order in double precision.
    static func accumulateRowSums(_ matrix: UnsafePointer<Element>, rows: Int, columns: Int,
                                  into sums: UnsafeMutablePointer<Element>)
    /// `sums[c] += sum_r matrix[r, c]`, rows added in order.
    static func accumulateColumnSums(_ matrix: UnsafePointer<Element>, rows: Int, columns: Int,
                                     into sums: UnsafeMutablePointer<Element>)
    /// Every row of `matrix` (`rows x columns`) becomes a copy of `vector`.
    static func broadcastRows(_ vector: UnsafePointer<Element>, rows: Int, columns: Int,
                              into matrix: UnsafeMutablePointer<Element>)
    static func maxPoolForward(_ geometry: PoolGeometry, input: UnsafePointer<Element>,
                               output: UnsafeMutablePointer<Element>, winners: UnsafeMutablePointer<Int32>, batch: Int)
    static func maxPoolBackward(_ geometry: PoolGeometry, gradient: UnsafePointer<Element>,
                                winners: UnsafePointer<Int32>, inputGradient: UnsafeMutablePointer<Element>, batch: Int)
    static func reluForward(_ input: UnsafePointer<Element>, output: UnsafeMutablePointer<Element>, count: Int)
    static func reluBackward(_ input: UnsafePointer<Element>, gradient: UnsafePointer<Element>,
                             inputGradient: UnsafeMutablePointer<Element>, count: Int)
    static func copy(_ source: UnsafePointer<Element>, to target: UnsafeMutablePointer<Element>, count: Int)
    static func fillZero(_ target: UnsafeMutablePointer<Element>, count: Int)
    /// `y += alpha * x`.
    static func axpy(_ alpha: Element, _ x: UnsafePointer<Element>, _ y: UnsafeMutablePointer<Element>, count: Int)
}

/// Window geometry of a max-pooling layer.
public struct PoolGeometry: Sendable {
    let channels: Int, height: Int, width: Int
    let size: Int, stride: Int
    let outHeight: Int, outWidth: Int
    var inputCount: Int { channels * height * width }
    var outputCount: Int { channels * outHeight * outWidth }
}

/// Elementwise kernels are split into chunks of this many elements for the threads.
private let elementChunk = 32_768

extension Float: LayerKernels {
    public static func im2col(_ g: ConvolutionGeometry, input: UnsafePointer<Float>, columns: UnsafeMutablePointer<Float>, batch: Int) {
        im2colKernel(g, input, columns, batch)
    }
    public static func col2im(_ g: ConvolutionGeometry, columns: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>, batch: Int) {
        col2imKernel(g, columns, inputGradient, batch)
    }
    public static func unfoldChannels(product: UnsafePointer<Float>, bias: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, batch: Int, channels: Int, pixels: Int) {
        unfoldKernel(product, bias, output, batch, channels, pixels)
    }
    public static func foldChannels(gradient: UnsafePointer<Float>, product: UnsafeMutablePointer<Float>, batch: Int, channels: Int, pixels: Int) {
        foldKernel(gradient, product, batch, channels, pixels)
    }
    public static func accumulateRowSums(_ m: UnsafePointer<Float>, rows: Int, columns: Int, into s: UnsafeMutablePointer<Float>) {
        rowSumsKernel(m, rows, columns, s)
    }
    public static func accumulateColumnSums(_ m: UnsafePointer<Float>, rows: Int, columns: Int, into s: UnsafeMutablePointer<Float>) {
        columnSumsKernel(m, rows, columns, s)
    }
    public static func broadcastRows(_ v: UnsafePointer<Float>, rows: Int, columns: Int, into m: UnsafeMutablePointer<Float>) {
        broadcastKernel(v, rows, columns, m)
    }
    public static func maxPoolForward(_ g: PoolGeometry, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, winners: UnsafeMutablePointer<Int32>, batch: Int) {
        maxPoolForwardKernel(g, input, output, winners, batch)
    }
    public static func maxPoolBackward(_ g: PoolGeometry, gradient: UnsafePointer<Float>, winners: UnsafePointer<Int32>, inputGradient: UnsafeMutablePointer<Float>, batch: Int) {
        maxPoolBackwardKernel(g, gradient, winners, inputGradient, batch)
    }
    public static func reluForward(_ x: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, count: Int) {
        reluForwardKernel(x, output, count)
    }
    public static func reluBackward(_ x: UnsafePointer<Float>, gradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>, count: Int) {
        reluBackwardKernel(x, gradient, inputGradient, count)
    }
    public static func copy(_ s: UnsafePointer<Float>, to t: UnsafeMutablePointer<Float>, count: Int) { copyKernel(s, t, count) }
    public static func fillZero(_ t: UnsafeMutablePointer<Float>, count: Int) { fillZeroKernel(t, count) }
    public static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) { axpyKernel(a, x, y, count) }
}

extension Double: LayerKernels {
    public static func im2col(_ g: ConvolutionGeometry, input: UnsafePointer<Double>, columns: UnsafeMutablePointer<Double>, batch: Int) {
        im2colKernel(g, input, columns, batch)
    }
    public static func col2im(_ g: ConvolutionGeometry, columns: UnsafePointer<Double>, inputGradient: UnsafeMutablePointer<Double>, batch: Int) {
        col2imKernel(g, columns, inputGradient, batch)
    }
    public static func unfoldChannels(product: UnsafePointer<Double>, bias: UnsafePointer<Double>, output: UnsafeMutablePointer<Double>, batch: Int, channels: Int, pixels: Int) {
        unfoldKernel(product, bias, output, batch, channels, pixels)
    }
    public static func foldChannels(gradient: UnsafePointer<Double>, product: UnsafeMutablePointer<Double>, batch: Int, channels: Int, pixels: Int) {
        foldKernel(gradient, product, batch, channels, pixels)
    }
    public static func accumulateRowSums(_ m: UnsafePointer<Double>, rows: Int, columns: Int, into s: UnsafeMutablePointer<Double>) {
        rowSumsKernel(m, rows, columns, s)
    }
    public static func accumulateColumnSums(_ m: UnsafePointer<Double>, rows: Int, columns: Int, into s: UnsafeMutablePointer<Double>) {
        columnSumsKernel(m, rows, columns, s)
    }
    public static func broadcastRows(_ v: UnsafePointer<Double>, rows: Int, columns: Int, into m: UnsafeMutablePointer<Double>) {
        broadcastKernel(v, rows, columns, m)
    }
    public static func maxPoolForward(_ g: PoolGeometry, input: UnsafePointer<Double>, output: UnsafeMutablePointer<Double>, winners: UnsafeMutablePointer<Int32>, batch: Int) {
        maxPoolForwardKernel(g, input, output, winners, batch)
    }
    public static func maxPoolBackward(_ g: PoolGeometry, gradient: UnsafePointer<Double>, winners: UnsafePointer<Int32>, inputGradient: UnsafeMutablePointer<Double>, batch: Int) {
        maxPoolBackwardKernel(g, gradient, winners, inputGradient, batch)
    }
    public static func reluForward(_ x: UnsafePointer<Double>, output: UnsafeMutablePointer<Double>, count: Int) {
        reluForwardKernel(x, output, count)
    }
    public static func reluBackward(_ x: UnsafePointer<Double>, gradient: UnsafePointer<Double>, inputGradient: UnsafeMutablePointer<Double>, count: Int) {
        reluBackwardKernel(x, gradient, inputGradient, count)
    }
    public static func copy(_ s: UnsafePointer<Double>, to t: UnsafeMutablePointer<Double>, count: Int) { copyKernel(s, t, count) }
    public static func fillZero(_ t: UnsafeMutablePointer<Double>, count: Int) { fillZeroKernel(t, count) }
    public static func axpy(_ a: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int) { axpyKernel(a, x, y, count) }
}

// MARK: Generic bodies (instantiated above)

@inline(__always)
private func im2colKernel<T: LayerScalar>(_ g: ConvolutionGeometry, _ input: UnsafePointer<T>,
                                          _ columns: UnsafeMutablePointer<T>, _ batch: Int) {
    let pixels = g.outHeight * g.outWidth
    let stride = batch * pixels
    let x = SendablePointer(input), cols = SendableMutablePointer(columns)
    parallelFor(batch, costPerIteration: g.channels * g.kernel * g.kernel * pixels,
                context: (g, pixels, stride, x, cols)) { context, n in
        let (g, pixels, stride, x, cols) = context
        let image = x.base + n * g.channels * g.height * g.width
        for c in 0..<g.channels {
            let plane = image + c * g.height * g.width
            for u in 0..<g.kernel {
                for v in 0..<g.kernel {
                    let row = (c * g.kernel + u) * g.kernel + v
                    let destination = cols.base + row * stride + n * pixels
                    for i in 0..<g.outHeight {
                        let y = i * g.stride + u - g.padding
                        let line = destination + i * g.outWidth
                        if y < 0 || y >= g.height {
                            for j in 0..<g.outWidth { line[j] = 0 }
                            continue
                        }
                        let source = plane + y * g.width
                        if g.stride == 1 {
                            // Contiguous run: columns j with 0 <= j + v - padding < width.
                            let shift = v - g.padding
                            let low = min(max(0, -shift), g.outWidth)
                            let high = max(low, min(g.outWidth, g.width - shift))
                            line.update(repeating: 0, count: low)
                            (line + low).update(from: source + low + shift, count: high - low)
                            (line + high).update(repeating: 0, count: g.outWidth - high)
                        } else {
                            for j in 0..<g.outWidth {
                                let xIndex = j * g.stride + v - g.padding
                                line[j] = (xIndex >= 0 && xIndex < g.width) ? source[xIndex] : 0
                            }
                        }
                    }
                }
            }
        }
    }
}

@inline(__always)
private func col2imKernel<T: LayerScalar>(_ g: ConvolutionGeometry, _ columns: UnsafePointer<T>,
                                          _ inputGradient: UnsafeMutablePointer<T>, _ batch: Int) {
    let pixels = g.outHeight * g.outWidth
    let stride = batch * pixels
    let cols = SendablePointer(columns), dx = SendableMutablePointer(inputGradient)
    parallelFor(batch, costPerIteration: g.channels * g.kernel * g.kernel * pixels,
                context: (g, pixels, stride, cols, dx)) { context, n in
        let (g, pixels, stride, cols, dx) = context
        let image = dx.base + n * g.channels * g.height * g.width
        for q in 0..<(g.channels * g.height * g.width) { image[q] = 0 }
        for c in 0..<g.channels {
            let plane = image + c * g.height * g.width
            for u in 0..<g.kernel {
                for v in 0..<g.kernel {
                    let row = (c * g.kernel + u) * g.kernel + v
                    let source = cols.base + row * stride + n * pixels
                    for i in 0..<g.outHeight {
                        let y = i * g.stride + u - g.padding
                        if y < 0 || y >= g.height { continue }
                        let line = source + i * g.outWidth
                        let target = plane + y * g.width
                        if g.stride == 1 {
                            let shift = v - g.padding
                            let first = max(0, -shift), last = min(g.outWidth, g.width - shift)
                            if first < last { for j in first..<last { target[j + shift] += line[j] } }
                        } else {
                            for j in 0..<g.outWidth {
                                let xIndex = j * g.stride + v - g.padding
                                if xIndex >= 0 && xIndex < g.width { target[xIndex] += line[j] }
                            }
                        }
                    }
                }
            }
        }
    }
}

@inline(__always)
private func unfoldKernel<T: LayerScalar>(_ product: UnsafePointer<T>, _ bias: UnsafePointer<T>,
                                          _ output: UnsafeMutablePointer<T>, _ batch: Int, _ channels: Int, _ pixels: Int) {
    let total = batch * pixels
    let source = SendablePointer(product), b = SendablePointer(bias), target = SendableMutablePointer(output)
    parallelFor(batch, costPerIteration: channels * pixels,
                context: (channels, pixels, total, source, b, target)) { context, n in
        let (channels, pixels, total, source, b, target) = context
        for o in 0..<channels {
            let from = source.base + o * total + n * pixels
            let to = target.base + (n * channels + o) * pixels
            let bo = b.base[o]
            for q in 0..<pixels { to[q] = from[q] + bo }
        }
    }
}

@inline(__always)
private func foldKernel<T: LayerScalar>(_ gradient: UnsafePointer<T>, _ product: UnsafeMutablePointer<T>,
                                        _ batch: Int, _ channels: Int, _ pixels: Int) {
    let total = batch * pixels
    let source = SendablePointer(gradient), target = SendableMutablePointer(product)
    parallelFor(batch, costPerIteration: channels * pixels,
                context: (channels, pixels, total, source, target)) { context, n in
        let (channels, pixels, total, source, target) = context
        for o in 0..<channels {
            let from = source.base + (n * channels + o) * pixels
            let to = target.base + o * total + n * pixels
            for q in 0..<pixels { to[q] = from[q] }
        }
    }
}

@inline(__always)
private func rowSumsKernel<T: LayerScalar>(_ m: UnsafePointer<T>, _ rows: Int, _ columns: Int, _ sums: UnsafeMutablePointer<T>) {
    let matrix = SendablePointer(m), target = SendableMutablePointer(sums)
    parallelFor(rows, costPerIteration: columns, context: (columns, matrix, target)) { context, r in
        let (columns, matrix, target) = context
        var sum = 0.0
        let row = matrix.base + r * columns
        for c in 0..<columns { sum += Double(row[c]) }
        target.base[r] += T(sum)
    }
}

@inline(__always)
private func columnSumsKernel<T: LayerScalar>(_ m: UnsafePointer<T>, _ rows: Int, _ columns: Int, _ sums: UnsafeMutablePointer<T>) {
    for r in 0..<rows {
        let row = m + r * columns
        for c in 0..<columns { sums[c] += row[c] }
    }
}

@inline(__always)
private func broadcastKernel<T: LayerScalar>(_ v: UnsafePointer<T>, _ rows: Int, _ columns: Int, _ m: UnsafeMutablePointer<T>) {
    for r in 0..<rows {
        let row = m + r * columns
        for c in 0..<columns { row[c] = v[c] }
    }
}

@inline(__always)
private func maxPoolForwardKernel<T: LayerScalar>(_ g: PoolGeometry, _ input: UnsafePointer<T>, _ output: UnsafeMutablePointer<T>,
                                                  _ winners: UnsafeMutablePointer<Int32>, _ batch: Int) {
    if g.size == 2 && g.stride == 2 { return MaxPoolWindows2x2.forward(g, input, output, winners, batch) }
    let source = SendablePointer(input), outP = SendableMutablePointer(output), winP = SendableMutablePointer(winners)
    parallelFor(batch, costPerIteration: g.outputCount * g.size * g.size,
                context: (g, source, outP, winP)) { context, n in
        let (g, source, outP, winP) = context
        let x = source.base + n * g.inputCount
        let y = outP.base + n * g.outputCount
        let w = winP.base + n * g.outputCount
        for c in 0..<g.channels {
            let planeOffset = c * g.height * g.width
            for i in 0..<g.outHeight {
                for j in 0..<g.outWidth {
                    var bestIndex = planeOffset + (i * g.stride) * g.width + j * g.stride
                    var best = x[bestIndex]
                    for u in 0..<g.size {
                        let rowOffset = planeOffset + (i * g.stride + u) * g.width + j * g.stride
                        for v in 0..<g.size where x[rowOffset + v] > best {
                            best = x[rowOffset + v]
                            bestIndex = rowOffset + v
                        }
                    }
                    let o = (c * g.outHeight + i) * g.outWidth + j
                    y[o] = best
                    w[o] = Int32(truncatingIfNeeded: bestIndex)
                }
            }
        }
    }
}

@inline(__always)
private func maxPoolBackwardKernel<T: LayerScalar>(_ g: PoolGeometry, _ gradient: UnsafePointer<T>, _ winners: UnsafePointer<Int32>,
                                                   _ inputGradient: UnsafeMutablePointer<T>, _ batch: Int) {
    let gradP = SendablePointer(gradient), winP = SendablePointer(winners), dxP = SendableMutablePointer(inputGradient)
    parallelFor(batch, costPerIteration: g.inputCount, context: (g, gradP, winP, dxP)) { context, n in
        let (g, gradP, winP, dxP) = context
        let target = dxP.base + n * g.inputCount
        for q in 0..<g.inputCount { target[q] = 0 }
        let grad = gradP.base + n * g.outputCount
        let w = winP.base + n * g.outputCount
        for o in 0..<g.outputCount { target[Int(w[o])] += grad[o] }
    }
}

@inline(__always)
private func reluForwardKernel<T: LayerScalar>(_ input: UnsafePointer<T>, _ output: UnsafeMutablePointer<T>, _ count: Int) {
    let x = SendablePointer(input), y = SendableMutablePointer(output)
    let chunks = (count + elementChunk - 1) / elementChunk
    parallelFor(chunks, costPerIteration: elementChunk, context: (count, x, y)) { context, chunk in
        let (count, x, y) = context
        let start = chunk * elementChunk, end = min(count, start + elementChunk)
        for q in start..<end { y.base[q] = x.base[q] > 0 ? x.base[q] : 0 }
    }
}

@inline(__always)
private func reluBackwardKernel<T: LayerScalar>(_ input: UnsafePointer<T>, _ gradient: UnsafePointer<T>,
                                                _ inputGradient: UnsafeMutablePointer<T>, _ count: Int) {
    let x = SendablePointer(input), g = SendablePointer(gradient), d = SendableMutablePointer(inputGradient)
    let chunks = (count + elementChunk - 1) / elementChunk
    parallelFor(chunks, costPerIteration: elementChunk, context: (count, x, g, d)) { context, chunk in
        let (count, x, g, d) = context
        let start = chunk * elementChunk, end = min(count, start + elementChunk)
        for q in start..<end { d.base[q] = x.base[q] > 0 ? g.base[q] : 0 }
    }
}

@inline(__always)
private func copyKernel<T: LayerScalar>(_ source: UnsafePointer<T>, _ target: UnsafeMutablePointer<T>, _ count: Int) {
    for q in 0..<count { target[q] = source[q] }
}

@inline(__always)
private func fillZeroKernel<T: LayerScalar>(_ target: UnsafeMutablePointer<T>, _ count: Int) {
    for q in 0..<count { target[q] = 0 }
}

@inline(__always)
private func axpyKernel<T: LayerScalar>(_ alpha: T, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ count: Int) {
    for q in 0..<count { y[q] += alpha * x[q] }
}

import OptimKit
/// The forward pass of max pooling over 2x2 windows with stride 2 (LeNet's pooling), without
/// branches: vectors of 16 windows for `Float`, selects otherwise.
///
/// Same results as the general kernel of `LayerKernels.swift`, bit for bit and winner for
/// winner: each window is read in the order (0,0), (0,1), (1,0), (1,1) and a value replaces the
/// current best only if it is strictly greater (so the first maximum wins, and a NaN wins
/// only in the first position).
///
/// The vector path handles one output row at a time, 16 windows per vector: the two input
/// rows are loaded 32 values at a time and split into even and odd columns. Lanes past the
/// end of a short row compute windows of the next rows, whose results are stored and later
/// overwritten by those rows' own pass (rows go in increasing order within a sample); rows
/// near the end of a sample, where a vector would read or write past the sample, take the
/// scalar path.
///
/// ```swift
/// let pool = MaxPool2D<Float>(inputShape: TensorShape(channels: 6, height: 28, width: 28))
/// pool.forward(x, batch: 256)        // takes this path: size 2, stride 2
/// ```
enum MaxPoolWindows2x2 {
    @inline(__always)
    static func forward<T: LayerScalar>(_ g: PoolGeometry, _ input: UnsafePointer<T>, _ output: UnsafeMutablePointer<T>,
                                        _ winners: UnsafeMutablePointer<Int32>, _ batch: Int) {
        let source = SendablePointer(input), outP = SendableMutablePointer(output), winP = SendableMutablePointer(winners)
        parallelFor(batch, costPerIteration: g.outputCount * 4, context: (g, source, outP, winP)) { context, n in
            let (g, source, outP, winP) = context
            let x = source.base + n * g.inputCount
            let y = outP.base + n * g.outputCount
            let w = winP.base + n * g.outputCount
            for c in 0..<g.channels {
                for i in 0..<g.outHeight {
                    let top = (c * g.height + 2 * i) * g.width
                    let o = (c * g.outHeight + i) * g.outWidth
                    var j = 0
                    if T.self == Float.self {
                        // Whole vectors while they stay inside the sample.
                        while j < g.outWidth && o + j + 16 <= g.outputCount && top + g.width + 2 * j + 32 <= g.inputCount {
                            windows16(UnsafeRawPointer(x + top + 2 * j).assumingMemoryBound(to: Float.self),
                                      g.width, Int32(truncatingIfNeeded: top + 2 * j),
                                      UnsafeMutableRawPointer(y + o + j).assumingMemoryBound(to: Float.self), w + o + j)
                            j += 16
                        }
                    }
                    while j < g.outWidth {
                        let row0 = x + top + 2 * j, row1 = row0 + g.width
                        let first = Int32(truncatingIfNeeded: top + 2 * j)
                        var best = row0[0], index = first
                        let b = row0[1], d = row1[0], e = row1[1]
                        index = b > best ? first + 1 : index
                        best = b > best ? b : best
                        index = d > best ? first + Int32(truncatingIfNeeded: g.width) : index
                        best = d > best ? d : best
                        index = e > best ? first + Int32(truncatingIfNeeded: g.width + 1) : index
                        best = e > best ? e : best
                        y[o + j] = best
                        w[o + j] = index
                        j += 1
                    }
                }
            }
        }
    }

    /// Sixteen windows whose top-left corners are `row0[0], row0[2], ..., row0[30]`; the
    /// winner indices count from `first` (the index of `row0[0]` within the sample).
    @inline(__always)
    static func windows16(_ row0: UnsafePointer<Float>, _ width: Int, _ first: Int32,
                          _ y: UnsafeMutablePointer<Float>, _ w: UnsafeMutablePointer<Int32>) {
        // Two 16-value halves per row, split into even and odd columns by lane picks (one
        // shuffle each; `SIMD32.evenHalf` was an out-of-line call through the stack).
        let raw0 = UnsafeRawPointer(row0), raw1 = UnsafeRawPointer(row0 + width)
        let top0 = raw0.loadUnaligned(as: SIMD16<Float>.self)
        let top1 = raw0.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
        let bottom0 = raw1.loadUnaligned(as: SIMD16<Float>.self)
        let bottom1 = raw1.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
        let base = SIMD16<Int32>(repeating: first) &+ SIMD16<Int32>(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30)
        var best = evens(top0, top1), index = base
        var candidate = odds(top0, top1)
        var better = candidate .> best
        best.replace(with: candidate, where: better)
        index.replace(with: base &+ 1, where: better)
        candidate = evens(bottom0, bottom1)
        better = candidate .> best
        best.replace(with: candidate, where: better)
        index.replace(with: base &+ Int32(truncatingIfNeeded: width), where: better)
        candidate = odds(bottom0, bottom1)
        better = candidate .> best
        best.replace(with: candidate, where: better)
        index.replace(with: base &+ Int32(truncatingIfNeeded: width + 1), where: better)
        UnsafeMutableRawPointer(y).storeBytes(of: best, as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(w).storeBytes(of: index, as: SIMD16<Int32>.self)
    }

    /// Lanes 0, 2, ..., 14 of `a` followed by lanes 0, 2, ..., 14 of `b`.
    @inline(__always)
    static func evens(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        SIMD16(a[0], a[2], a[4], a[6], a[8], a[10], a[12], a[14],
               b[0], b[2], b[4], b[6], b[8], b[10], b[12], b[14])
    }

    /// Lanes 1, 3, ..., 15 of `a` followed by lanes 1, 3, ..., 15 of `b`.
    @inline(__always)
    static func odds(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        SIMD16(a[1], a[3], a[5], a[7], a[9], a[11], a[13], a[15],
               b[1], b[3], b[5], b[7], b[9], b[11], b[13], b[15])
    }
}

/// The one matrix-multiply entry point of the neural-network layers.
///
/// `C = alpha * op(A) * op(B) + beta * C` for row-major matrices, where `op(A)` is
/// `m x k`, `op(B)` is `k x n` and `C` is `m x n`. With `transA` the array `a` holds
/// `A` as `k x m` (leading dimension `lda`), otherwise as `m x k`; likewise `b` is
/// `n x k` with `transB`, otherwise `k x n`. `beta == 0` overwrites `C` (NaNs in the
/// old contents do not survive).
///
/// This version is a modest blocked kernel (see `blockedGEMM`): tiles of `C` run in
/// parallel, but each element is always summed in the same order, so the result does
/// not depend on the number of threads. Every layer calls only this function, so a
/// faster kernel can be swapped in here.
///
/// ```swift
/// // 2x2 = (2x3)(3x2)
/// layerGEMM(transA: false, transB: false, m: 2, n: 2, k: 3, alpha: 1, a: a, lda: 3,
///           b: b, ldb: 2, beta: 0, c: c, ldc: 2)
/// ```
func layerGEMM(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
    alpha: Float, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    blockedGEMM(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
}

/// The `Double` twin of `layerGEMM`, used when the layers run in double precision
/// (gradient checks).
func layerGEMM(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
    alpha: Double, a: UnsafePointer<Double>, lda: Int,
    b: UnsafePointer<Double>, ldb: Int,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
) {
    blockedGEMM(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
}

private let gemmRowBlock = 32
private let gemmColumnBlock = 128
private let gemmDepthBlock = 256
/// Width of the register tile: 16 numbers of C per row are kept in vector registers.
private let microWidth = 16
/// Depth chunk of the split dot-product path.
private let gemmDotDepthChunk = 2048

/// Shared body of both precisions; always inlined so each caller gets a specialised copy.
///
/// `C` is cut into tiles of 32 rows x 128 columns processed in parallel; within a tile,
/// for each block of 256 depth indices, 4 x 16 (or 1 x 16) pieces of `C` are accumulated
/// in registers and then added to `C`. So every element is `beta*C + block sums` in a
/// fixed order. When only `B` is transposed, rows of `A` and of the stored `B` are both
/// contiguous, and each element is a dot product with eight partial sums instead; dot
/// products of 8192 terms or more are cut into chunks of 2048 whose sums are added in
/// chunk order. All chunk sizes are constants, so the thread count never matters.
@inline(__always)
private func blockedGEMM<T: BinaryFloatingPoint & SIMDScalar & Sendable>(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
    alpha: T, a: UnsafePointer<T>, lda: Int,
    b: UnsafePointer<T>, ldb: Int,
    beta: T, c: UnsafeMutablePointer<T>, ldc: Int
) {
    if m <= 0 || n <= 0 { return }
    let aShared = SendablePointer(a), bShared = SendablePointer(b), cShared = SendableMutablePointer(c)
    let call = LayerGEMMArguments(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, lda: lda,
                                  ldb: ldb, beta: beta, ldc: ldc)
    if transB && !transA && k >= 4 * gemmDotDepthChunk {
        // Long dot products (weight gradients, summed over every pixel of the batch): cut
        // the depth into fixed chunks, compute all m x n partial dots of a chunk in one
        // task (each row piece is read once, from cache), then add the chunks in order.
        let chunks = (k + gemmDotDepthChunk - 1) / gemmDotDepthChunk
        withUnsafeTemporaryAllocation(of: T.self, capacity: chunks * m * n) { scratch in
            let partial = SendableMutablePointer(scratch.baseAddress!)
            parallelFor(chunks, costPerIteration: m * n * gemmDotDepthChunk,
                        context: (call, aShared, bShared, partial)) { context, chunk in
                let (call, aShared, bShared, partial) = context
                let m = call.m, n = call.n, k = call.k, lda = call.lda, ldb = call.ldb
                let p0 = chunk * gemmDotDepthChunk
                let depth = min(k, p0 + gemmDotDepthChunk) - p0
                let out = partial.base + chunk * m * n
                for i in 0..<m {
                    let rowA = aShared.base + i * lda + p0
                    for j in 0..<n {
                        out[i * n + j] = dotProduct(rowA, bShared.base + j * ldb + p0, depth)
                    }
                }
            }
            for i in 0..<m {
                for j in 0..<n {
                    var dot = partial.base[i * n + j]
                    for chunk in 1..<max(chunks, 1) { dot += partial.base[(chunk * m + i) * n + j] }
                    c[i * ldc + j] = beta == 0 ? alpha * dot : alpha * dot + beta * c[i * ldc + j]
                }
            }
        }
        return
    }
    if transB && !transA {
        // Dot-product form, parallel over rows (or column chunks when there are few rows).
        let columnChunk = m >= 8 ? n : max(1, (n + 7) / 8)
        let chunks = (n + columnChunk - 1) / columnChunk
        parallelFor(m * chunks, costPerIteration: columnChunk * max(k, 1),
                    context: (call, chunks, columnChunk, aShared, bShared, cShared)) { context, task in
            let (call, chunks, columnChunk, aShared, bShared, cShared) = context
            let n = call.n, k = call.k, lda = call.lda, ldb = call.ldb, ldc = call.ldc
            let alpha = call.alpha, beta = call.beta
            let i = task / chunks
            let j0 = (task % chunks) * columnChunk, j1 = min(n, j0 + columnChunk)
            let rowA = aShared.base + i * lda
            for j in j0..<j1 {
                let dot = k > 0 ? dotProduct(rowA, bShared.base + j * ldb, k) : 0
                let target = cShared.base + i * ldc + j
                target.pointee = beta == 0 ? alpha * dot : alpha * dot + beta * target.pointee
            }
        }
        return
    }
    let rowTiles = (m + gemmRowBlock - 1) / gemmRowBlock
    let columnTiles = (n + gemmColumnBlock - 1) / gemmColumnBlock
    parallelFor(rowTiles * columnTiles, costPerIteration: gemmRowBlock * gemmColumnBlock * max(k, 1),
                context: (call, columnTiles, aShared, bShared, cShared)) { context, tile in
        let (call, columnTiles, aShared, bShared, cShared) = context
        let transA = call.transA, transB = call.transB, m = call.m, n = call.n, k = call.k
        let alpha = call.alpha, beta = call.beta, lda = call.lda, ldb = call.ldb, ldc = call.ldc
        let a = aShared.base, b = bShared.base, c = cShared.base
        let i0 = (tile / columnTiles) * gemmRowBlock
        let i1 = min(m, i0 + gemmRowBlock)
        let j0 = (tile % columnTiles) * gemmColumnBlock
        let j1 = min(n, j0 + gemmColumnBlock)
        let width = j1 - j0
        // Scale the tile of C by beta first.
        for i in i0..<i1 {
            let row = c + i * ldc
            if beta == 0 {
                for j in j0..<j1 { row[j] = 0 }
            } else if beta != 1 {
                for j in j0..<j1 { row[j] *= beta }
            }
        }
        if k <= 0 || alpha == 0 { return }
        // A(i, p) with either storage.
        let rowStride = transA ? 1 : lda, depthStride = transA ? lda : 1
        withUnsafeTemporaryAllocation(of: T.self, capacity: gemmDepthBlock * gemmColumnBlock) { packed in
            let bp = packed.baseAddress!
            var p0 = 0
            while p0 < k {
                let p1 = min(k, p0 + gemmDepthBlock)
                let depth = p1 - p0
                // The block of op(B) (rows p0..<p1, columns j0..<j1).
                let block: UnsafePointer<T>
                let blockStride: Int
                if transB {
                    for p in p0..<p1 {
                        let dst = bp + (p - p0) * width
                        for j in 0..<width { dst[j] = b[(j0 + j) * ldb + p] }
                    }
                    block = UnsafePointer(bp)
                    blockStride = width
                } else {
                    block = b + p0 * ldb + j0
                    blockStride = ldb
                }
                let aBlock = a + p0 * depthStride
                var i = i0
                while i < i1 {
                    let rows = i + 4 <= i1 ? 4 : 1
                    var j = 0
                    while j + microWidth <= width {
                        if rows == 4 {
                            microKernel4(aBlock + i * rowStride, rowStride, depthStride, block + j, blockStride,
                                         depth, alpha, c + i * ldc + j0 + j, ldc)
                        } else {
                            microKernel1(aBlock + i * rowStride, depthStride, block + j, blockStride,
                                         depth, alpha, c + i * ldc + j0 + j)
                        }
                        j += microWidth
                    }
                    if j < width {
                        // Leftover columns: plain loops, still in increasing p.
                        for r in i..<(i + rows) {
                            let row = c + r * ldc + j0
                            for p in 0..<depth {
                                let scaled = alpha * aBlock[r * rowStride + p * depthStride]
                                let source = block + p * blockStride
                                for jj in j..<width { row[jj] += scaled * source[jj] }
                            }
                        }
                    }
                    i += rows
                }
                p0 = p1
            }
        }
    }
}

/// The scalar arguments of one `blockedGEMM` call, handed to the loop bodies as context.
private struct LayerGEMMArguments<T: Sendable>: Sendable {
    var transA: Bool, transB: Bool
    var m: Int, n: Int, k: Int
    var alpha: T
    var lda: Int, ldb: Int
    var beta: T
    var ldc: Int
}

/// `C[0..<4, 0..<16] += alpha * A[0..<4, 0..<depth] * B[0..<depth, 0..<16]` with the 4x16
/// piece of C held in registers.
@inline(__always)
private func microKernel4<T: BinaryFloatingPoint & SIMDScalar>(
    _ a: UnsafePointer<T>, _ rowStride: Int, _ depthStride: Int,
    _ b: UnsafePointer<T>, _ ldb: Int, _ depth: Int, _ alpha: T,
    _ c: UnsafeMutablePointer<T>, _ ldc: Int
) {
    var acc0 = SIMD16<T>(), acc1 = SIMD16<T>(), acc2 = SIMD16<T>(), acc3 = SIMD16<T>()
    for p in 0..<depth {
        let bv = UnsafeRawPointer(b + p * ldb).loadUnaligned(as: SIMD16<T>.self)
        let column = a + p * depthStride
        acc0 += SIMD16(repeating: column[0]) * bv
        acc1 += SIMD16(repeating: column[rowStride]) * bv
        acc2 += SIMD16(repeating: column[2 * rowStride]) * bv
        acc3 += SIMD16(repeating: column[3 * rowStride]) * bv
    }
    addScaled(acc0, alpha, c)
    addScaled(acc1, alpha, c + ldc)
    addScaled(acc2, alpha, c + 2 * ldc)
    addScaled(acc3, alpha, c + 3 * ldc)
}

/// One-row version of `microKernel4`.
@inline(__always)
private func microKernel1<T: BinaryFloatingPoint & SIMDScalar>(
    _ a: UnsafePointer<T>, _ depthStride: Int,
    _ b: UnsafePointer<T>, _ ldb: Int, _ depth: Int, _ alpha: T,
    _ c: UnsafeMutablePointer<T>
) {
    var acc = SIMD16<T>()
    for p in 0..<depth {
        let bv = UnsafeRawPointer(b + p * ldb).loadUnaligned(as: SIMD16<T>.self)
        acc += SIMD16(repeating: a[p * depthStride]) * bv
    }
    addScaled(acc, alpha, c)
}

@inline(__always)
private func addScaled<T: BinaryFloatingPoint & SIMDScalar>(_ acc: SIMD16<T>, _ alpha: T, _ c: UnsafeMutablePointer<T>) {
    let raw = UnsafeMutableRawPointer(c)
    let old = raw.loadUnaligned(as: SIMD16<T>.self)
    raw.storeBytes(of: old + SIMD16(repeating: alpha) * acc, as: SIMD16<T>.self)
}

/// `sum_p x[p] * y[p]` with 32 interleaved partial sums (four independent vector
/// accumulators, so the additions do not wait on each other), combined in a fixed order.
@inline(__always)
private func dotProduct<T: BinaryFloatingPoint & SIMDScalar>(_ x: UnsafePointer<T>, _ y: UnsafePointer<T>, _ count: Int) -> T {
    var acc0 = SIMD8<T>(), acc1 = SIMD8<T>(), acc2 = SIMD8<T>(), acc3 = SIMD8<T>()
    let rx = UnsafeRawPointer(x), ry = UnsafeRawPointer(y)
    let stride = MemoryLayout<T>.stride
    var p = 0
    while p + 32 <= count {
        acc0 += rx.loadUnaligned(fromByteOffset: p * stride, as: SIMD8<T>.self)
              * ry.loadUnaligned(fromByteOffset: p * stride, as: SIMD8<T>.self)
        acc1 += rx.loadUnaligned(fromByteOffset: (p + 8) * stride, as: SIMD8<T>.self)
              * ry.loadUnaligned(fromByteOffset: (p + 8) * stride, as: SIMD8<T>.self)
        acc2 += rx.loadUnaligned(fromByteOffset: (p + 16) * stride, as: SIMD8<T>.self)
              * ry.loadUnaligned(fromByteOffset: (p + 16) * stride, as: SIMD8<T>.self)
        acc3 += rx.loadUnaligned(fromByteOffset: (p + 24) * stride, as: SIMD8<T>.self)
              * ry.loadUnaligned(fromByteOffset: (p + 24) * stride, as: SIMD8<T>.self)
        p += 32
    }
    while p + 8 <= count {
        acc0 += rx.loadUnaligned(fromByteOffset: p * stride, as: SIMD8<T>.self)
              * ry.loadUnaligned(fromByteOffset: p * stride, as: SIMD8<T>.self)
        p += 8
    }
    var tail: T = 0
    while p < count {
        tail += x[p] * y[p]
        p += 1
    }
    let acc = (acc0 + acc1) + (acc2 + acc3)
    return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])) + tail
}

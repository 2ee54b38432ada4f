/// The one matrix-multiply entry point of the neural-network layers.
///
/// `C = alpha * op(A) * op(B) + beta * C` for row-major matrices, where `op(A)` is
/// `m x k`, `op(B)` is `k x n` and `C` is `m x n`. With `transA` the array `a` holds
/// `A` as `k x m` (leading dimension `lda`), otherwise as `m x k`; likewise `b` is
/// `n x k` with `transB`, otherwise `k x n`. `beta == 0` overwrites `C` (NaNs in the
/// old contents do not survive).
///
/// This version is a plain blocked loop: `C` is cut into tiles that run in parallel, and
/// each element's sum over `p = 0..<k` is accumulated in increasing `p`, so the result
/// does not depend on the number of threads. Every layer calls only this function, so
/// a faster kernel can be swapped in here.
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
private let gemmDepthBlock = 64

/// Shared body of both precisions; always inlined so each caller gets a specialised copy.
@inline(__always)
private func blockedGEMM<T: BinaryFloatingPoint & Sendable>(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
    alpha: T, a: UnsafePointer<T>, lda: Int,
    b: UnsafePointer<T>, ldb: Int,
    beta: T, c: UnsafeMutablePointer<T>, ldc: Int
) {
    if m <= 0 || n <= 0 { return }
    let rowTiles = (m + gemmRowBlock - 1) / gemmRowBlock
    let columnTiles = (n + gemmColumnBlock - 1) / gemmColumnBlock
    let aShared = SendablePointer(a), bShared = SendablePointer(b), cShared = SendableMutablePointer(c)
    parallelFor(rowTiles * columnTiles, costPerIteration: gemmRowBlock * gemmColumnBlock * max(k, 1)) { tile in
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
        withUnsafeTemporaryAllocation(of: T.self, capacity: gemmDepthBlock * gemmColumnBlock) { packed in
            let bp = packed.baseAddress!
            var p0 = 0
            while p0 < k {
                let p1 = min(k, p0 + gemmDepthBlock)
                // The block of op(B) (rows p0..<p1, columns j0..<j1), contiguous.
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
                for i in i0..<i1 {
                    let row = c + i * ldc + j0
                    for p in p0..<p1 {
                        let aValue = transA ? a[p * lda + i] : a[i * lda + p]
                        let scaled = alpha * aValue
                        let source = block + (p - p0) * blockStride
                        for j in 0..<width { row[j] += scaled * source[j] }
                    }
                }
                p0 = p1
            }
        }
    }
}

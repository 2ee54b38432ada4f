import OptimKit
/// The textbook triple loop for `C ← alpha · op(A) · op(B) + beta · C` (row-major, same
/// argument conventions as `GEMM.multiply`), evaluated in `Double` whatever the caller's type.
///
/// It exists to check the blocked kernel: it is obviously correct and, living in OptimKit, it is
/// compiled with optimisation even in a debug test build. Alongside the product it returns, per
/// element, the magnitude `|alpha| Σ_p |op(A)[i,p]| |op(B)[p,j]| + |beta| |C[i,j]|`, which scales
/// the rounding error any summation order can make (the error is at most about `k · ε` times it).
///
/// Example:
///
///     var c = [0.0]
///     let bound = GEMMReference.multiply(m: 1, n: 1, k: 2, a: [1, 2], lda: 2, b: [3, 4], ldb: 1, c: &c, ldc: 1)
///     // c == [11], bound == [11]
public enum GEMMReference {
    @discardableResult
    public static func multiply(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
        alpha: Double = 1, a: [Double], lda: Int, b: [Double], ldb: Int,
        beta: Double = 0, c: inout [Double], ldc: Int
    ) -> [Double] {
        var magnitude = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0, size = 0.0
                for p in 0..<k {
                    let x = transA ? a[p * lda + i] : a[i * lda + p]
                    let y = transB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += x * y
                    size += abs(x * y)
                }
                let old = beta == 0 ? 0 : c[i * ldc + j]
                c[i * ldc + j] = alpha * sum + beta * old
                magnitude[i * n + j] = abs(alpha) * size + abs(beta * old)
            }
        }
        return magnitude
    }
}

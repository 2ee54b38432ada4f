import Foundation

/// Eigenvalues of a real symmetric matrix by the cyclic Jacobi method.
///
/// Each sweep visits every off-diagonal pair (p, q) and applies the plane rotation that
/// zeroes entry (p, q); the sum of squares off the diagonal shrinks at every rotation, so
/// the matrix converges to a diagonal one holding the eigenvalues. Sweeps stop when the
/// off-diagonal mass falls below `tolerance` times the Frobenius norm (or after 64 sweeps).
/// Fine for the small matrices of this book (Hessians of a few variables); O(n³) per sweep.
///
/// - `matrix`: square, symmetric (only the upper triangle is read; the lower is assumed to match).
/// - `tolerance`: default 1e-14.
/// - Returns the eigenvalues in ascending order.
///
/// ```swift
/// SymmetricEigenvalues.of([[2, 0], [0, -2]])   // [-2, 2]
/// SymmetricEigenvalues.of([[2, 1], [1, 2]])    // [1, 3]
/// ```
public enum SymmetricEigenvalues {
    public static func of(_ matrix: [[Double]], tolerance: Double = 1e-14) -> [Double] {
        let n = matrix.count
        requireValid(matrix.allSatisfy { $0.count == n },
                     "SymmetricEigenvalues: the matrix must be square, got \(n) rows of lengths \(matrix.map(\.count))")
        if n == 0 { return [] }
        // Symmetrise from the upper triangle.
        var a = matrix
        for i in 0..<n { for j in 0..<i { a[i][j] = a[j][i] } }
        var frobenius = 0.0
        for row in a { for v in row { frobenius += v * v } }
        let threshold = tolerance * tolerance * frobenius
        for _ in 0..<64 {
            var off = 0.0
            for p in 0..<n { for q in (p + 1)..<max(p + 1, n) { off += 2 * a[p][q] * a[p][q] } }
            if off <= threshold { break }
            for p in 0..<(n - 1) {
                for q in (p + 1)..<n where a[p][q] != 0 {
                    // Rotation angle that annihilates a[p][q] (Golub and Van Loan, alg. 8.4.1).
                    let tau = (a[q][q] - a[p][p]) / (2 * a[p][q])
                    let t = (tau >= 0 ? 1.0 : -1.0) / (abs(tau) + (1 + tau * tau).squareRoot())
                    let c = 1 / (1 + t * t).squareRoot(), s = t * c
                    for k in 0..<n {
                        let akp = a[k][p], akq = a[k][q]
                        a[k][p] = c * akp - s * akq
                        a[k][q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p][k], aqk = a[q][k]
                        a[p][k] = c * apk - s * aqk
                        a[q][k] = s * apk + c * aqk
                    }
                    a[p][q] = 0; a[q][p] = 0
                }
            }
        }
        return (0..<n).map { a[$0][$0] }.sorted()
    }
}

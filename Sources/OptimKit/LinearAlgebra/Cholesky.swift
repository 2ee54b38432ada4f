import Foundation

/// The Cholesky factorization H = R Rᵀ of a symmetric positive definite matrix, with R lower
/// triangular, and the two triangular solves that turn it into H⁻¹g. This is what one step of
/// Newton's method costs once the Hessian is known: about d³/3 multiply-adds for the
/// factorization and 2d² for the solves, against O(d) for a gradient step.
///
/// Matrices are dense, row-major `[Double]` of `d · d` entries.
///
/// - `matrix`: no default; symmetric positive definite (only the lower triangle is read).
///   `dimension` d: no default (≥ 1).
///
/// ```swift
/// let h = [4.0, 2.0,
///          2.0, 3.0]
/// let r = try Cholesky(matrix: h, dimension: 2)
/// r.solve([2, 1])                    // H⁻¹ (2, 1) = (0.5, 0)
/// Cholesky.factorizationFlops(2)     // 5: floating-point operations the factorization performs
/// ```
public struct Cholesky: Sendable, Equatable {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The matrix has `d · d` entries for no d ≥ 1 matching `dimension`.
        case wrongSize(expected: Int, got: Int)
        /// A pivot was not positive: the matrix is not positive definite (column `column`).
        case notPositiveDefinite(column: Int)

        public var description: String {
            switch self {
            case .wrongSize(let expected, let got): return "Cholesky: expected \(expected) entries, got \(got)"
            case .notPositiveDefinite(let column): return "Cholesky: matrix is not positive definite (pivot \(column) ≤ 0)"
            }
        }
    }

    public let dimension: Int
    /// R, row-major; entries above the diagonal are zero.
    public let lower: [Double]

    public init(matrix: [Double], dimension d: Int) throws {
        guard d >= 1, matrix.count == d * d else { throw Failure.wrongSize(expected: max(d, 1) * max(d, 1), got: matrix.count) }
        var r = [Double](repeating: 0, count: d * d)
        for j in 0..<d {
            var diagonal = matrix[j * d + j]
            for k in 0..<j { diagonal -= r[j * d + k] * r[j * d + k] }
            guard diagonal > 0, diagonal.isFinite else { throw Failure.notPositiveDefinite(column: j) }
            let pivot = diagonal.squareRoot()
            r[j * d + j] = pivot
            for i in (j + 1)..<max(j + 1, d) {
                var s = matrix[i * d + j]
                for k in 0..<j { s -= r[i * d + k] * r[j * d + k] }
                r[i * d + j] = s / pivot
            }
        }
        dimension = d
        lower = r
    }

    /// x with H x = b: forward substitution with R, then backward with Rᵀ.
    public func solve(_ b: [Double]) -> [Double] {
        let d = dimension
        guard b.count == d else {
            // Printed before trapping, so the message survives optimised builds.
            let message = "Cholesky.solve: expected \(d) entries, got \(b.count)"
            FileHandle.standardError.write(Data((message + "\n").utf8))
            fatalError(message)
        }
        var y = b
        for i in 0..<d {
            var s = y[i]
            for k in 0..<i { s -= lower[i * d + k] * y[k] }
            y[i] = s / lower[i * d + i]
        }
        var x = y
        for i in stride(from: d - 1, through: 0, by: -1) {
            var s = x[i]
            for k in (i + 1)..<max(i + 1, d) { s -= lower[k * d + i] * x[k] }
            x[i] = s / lower[i * d + i]
        }
        return x
    }

    /// Floating-point operations of `init` for dimension d, counted the way the loops above
    /// perform them: for column j, 2j for the pivot plus one square root, and for each of the
    /// d − 1 − j rows below it 2j plus one division. Summed over j this is
    /// Σⱼ (2j + 1)(d − j) = d³ − (d − 1)d(2d − 1)/3 − d(d − 1)/2, whose leading term is d³/3.
    public static func factorizationFlops(_ d: Int) -> Int {
        guard d > 0 else { return 0 }
        return d * d * d - (d - 1) * d * (2 * d - 1) / 3 - d * (d - 1) / 2
    }

    /// Floating-point operations of `solve`: two triangular solves of d² each (2i + 1 per row).
    public static func solveFlops(_ d: Int) -> Int { 2 * d * d }
}

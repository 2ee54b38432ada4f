import OptimKit
/// A floating-point type that the blocked matrix multiply (`GEMM`) supports: `Float` and `Double`.
///
/// Each conforming type names the SIMD vector its micro-kernel computes with and supplies a
/// concrete (fully specialised) implementation of the BLAS-style product
///
///     C = alpha * op(A) * op(B) + beta * C        (row-major, op(X) = X or Xᵀ)
///
/// so that generic code such as `Matrix<T>` reaches the fast kernel through one protocol call.
///
/// Example:
///
///     func scale<T: GEMMScalar>(_ x: T) -> T { x * T(2) }
public protocol GEMMScalar: BinaryFloatingPoint, SIMDScalar, Sendable, Codable
where Vector.Scalar == Self {
    /// The register vector the micro-kernel uses (one machine SIMD register where possible).
    associatedtype Vector: SIMD

    /// Row-major `C = alpha * op(A) * op(B) + beta * C` on raw storage; see `GEMM.multiply`.
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int
    )

    /// The same product with its scratch memory taken from `workspace` (no allocation once
    /// the workspace has grown); bitwise the same result as the form without one.
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int, workspace: GEMMWorkspace
    )
}

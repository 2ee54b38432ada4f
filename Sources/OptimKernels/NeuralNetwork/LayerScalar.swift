import OptimKit
/// The number types the neural-network layers can run in: `Float` and `Double`.
///
/// Training uses `Float` for speed; the gradient-check tests instantiate the very same
/// layer code with `Double`, where central differences are accurate enough to expose a
/// wrong backward pass (relative error below 1e-6). Each type supplies the matrix
/// product and the element loops (`LayerKernels`) compiled for itself.
///
/// ```swift
/// let single = Sequential<Float>(inputShape: TensorShape(features: 4))   // training
/// let double = Sequential<Double>(inputShape: TensorShape(features: 4))  // gradient checks
/// ```
public protocol LayerScalar: OptimizerScalar, LayerKernels, DirectConvolutionKernels where Element == Self {
    /// `C = alpha * op(A) * op(B) + beta * C` for row-major matrices: the packed SIMD kernel of
    /// `LinearAlgebra/GEMM.swift` (`GEMMScalar`) satisfies this requirement.
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// The same product with its packing scratch kept in `workspace` (each layer owns one, so
    /// a warmed-up training step does not allocate); the results are bitwise the same.
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int, workspace: GEMMWorkspace)
}

extension Float: LayerScalar {}

extension Double: LayerScalar {}

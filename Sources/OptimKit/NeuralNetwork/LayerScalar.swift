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
public protocol LayerScalar: BinaryFloatingPoint, Sendable, LayerKernels, DirectConvolutionKernels where Element == Self {
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
    /// The value widened to `Double` (exact for `Float` and `Double`).
    var doubleValue: Double { get }
}

extension Float: LayerScalar {
    @inlinable public var doubleValue: Double { Double(self) }
}

extension Double: LayerScalar {
    @inlinable public var doubleValue: Double { self }
}

/// Platform-independent `exp` and `log` in double precision for the loss computations.
///
/// Both use IEEE-exact arithmetic only (range reduction plus a Taylor polynomial, and
/// `Deterministic.log`), so a training run gives the same bits on Linux and macOS
/// whatever the platform's libm does.
///
/// ```swift
/// LayerMath.exp(1)                  // e, within 2 ulp
/// LayerMath.log(1)                  // 0.0
/// ```
public enum LayerMath {
    /// `e^x` to within about 2 ulp, from `+ - * /` only.
    ///
    /// `x = k ln 2 + r` with `|r| <= ln2 / 2`; `e^r` is a degree-16 Taylor polynomial
    /// (truncation error below 1e-19), and `2^k` is applied by building the exponent.
    public static func exp(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > 709.782712893384 { return .infinity }
        if x < -745.2 { return 0 }
        let ln2Hi = 0.6931471803691238
        let ln2Lo = 1.9082149292705877e-10
        let k = (x / 0.6931471805599453).rounded(.toNearestOrEven)
        let r = (x - k * ln2Hi) - k * ln2Lo
        // Horner evaluation of sum r^i / i!, i = 0...16.
        var p = 1.0
        var i = 16.0
        while i >= 1 {
            p = 1 + p * r / i
            i -= 1
        }
        let kk = Int(k)
        // Apply 2^k in two halves so that neither factor overflows or underflows early.
        let half = kk / 2
        return p * Double(sign: .plus, exponent: half, significand: 1)
                 * Double(sign: .plus, exponent: kk - half, significand: 1)
    }

    /// Natural logarithm; `nan` for negative or NaN input, `-inf` at 0, `inf` at inf.
    public static func log(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x.isInfinite { return .infinity }
        if x < Double.leastNormalMagnitude {
            // Scale subnormals into the normal range first.
            return Deterministic.log(x * 0x1p60) - 60 * 0.6931471805599453
        }
        return Deterministic.log(x)
    }
}

import OptimKit
import OptimPrefetch
import Foundation

/// General matrix multiply in the BLAS sense, for row-major storage:
///
///     C ← alpha · op(A) · op(B) + beta · C,   op(X) = X (trans = false) or Xᵀ (trans = true)
///
/// where op(A) is `m × k`, op(B) is `k × n` and C is `m × n`. Element (i, j) of a row-major
/// matrix X with leading dimension `ldX` lives at `X[i * ldX + j]`; so A is stored as an
/// `m × k` array (`lda ≥ k`) when `transA == false` and as a `k × m` array (`lda ≥ m`) otherwise,
/// and likewise for B.
///
/// - `alpha` (usually 1) scales the product; `beta` (usually 0) scales the old C. As in BLAS,
///   when `beta == 0` the old contents of C are never read (they may be NaN or garbage), and
///   `k == 0` or `alpha == 0` reduce the call to `C ← beta · C`.
/// - The implementation follows the Goto/BLIS recipe: op(B) is packed into `kc × NR` slivers,
///   op(A) into `MR × kc` slivers, both zero-padded, and a register-blocked SIMD micro-kernel
///   (`MR` rows × two vectors of columns, fused multiply-add) computes each `MR × NR` tile of C.
///   Products of at least 64³ multiply-adds use all cores: each task computes its own block of
///   C (a band of rows or a range of columns) from panels it packed itself, so no two threads
///   ever write the same element; a small C with a long k is split along k instead, and the
///   partial products are added in order.
/// - Each element of C is accumulated in the same order (over k, in blocks of `kc`) whatever
///   the thread count or build configuration, so results are bitwise reproducible run to run
///   and the threaded and single-threaded paths agree exactly. Tiny products (m·n·k ≤ 512)
///   skip packing but perform the same operations, so they agree exactly too.
///
/// Example (C = AᵀB for A: 3 × 2, B: 3 × 4, both row-major):
///
///     GEMM.multiply(transA: true, transB: false, m: 2, n: 4, k: 3,
///                   alpha: 1.0, a: a, lda: 2, b: b, ldb: 4, beta: 0.0, c: c, ldc: 4)
public enum GEMM {
    /// Row-major `C = alpha * op(A) * op(B) + beta * C`; see the type's documentation.
    @inlinable
    public static func multiply<T: GEMMScalar>(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
        alpha: T = 1, a: UnsafePointer<T>, lda: Int,
        b: UnsafePointer<T>, ldb: Int,
        beta: T = 0, c: UnsafeMutablePointer<T>, ldc: Int
    ) {
        T.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
               b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    /// Rows of a micro-tile (the number of A values broadcast per step of k).
    static let microRows = 6
    /// Depth of one packed block (the k extent held in cache at once).
    static let blockDepth = 256
    /// Rows of op(A) packed at once (kept in the per-core L2 cache).
    static let blockRows = 144
    /// Columns of op(B) packed at once.
    static let blockColumns = 4096
    /// Cores used for large products. Read once: asking Foundation costs microseconds per call
    /// on Linux (it consults the cgroup limits).
    static let coreCount = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Up to this many multiply-adds (with k ≤ blockDepth) a product skips packing altogether.
    static let directThreshold = 512
    /// Below this many multiply-adds (m·n·k, 64³) a product runs on the calling thread only.
    /// It was 2²³ while `WorkerPool`'s threads slept between loops (a 128³ product split over
    /// two threads then ran at half the single-thread speed); with threads that poll for a
    /// while first, splitting paid from 64³ up on the quiet 2-core machine (64³: 0.97x ->
    /// 1.32x numpy's speed, 128³: 0.73x -> 1.19x, f64; 5 Dec 2026). The caller takes tasks
    /// too, so a worker that comes late costs at most the task it takes.
    static let parallelThreshold = 1 << 18
    /// Threaded products whose C has at most this many elements (and at most `blockRows`
    /// rows) are split along k instead (`GEMMDriver.splitDepth`): their C is too small to share.
    static let depthSplitMaxOutput = 4096
    /// Elements of scratch for the partial products of one round of `splitDepth`.
    static let depthSplitScratch = 1 << 22
    /// Columns of op(B) a task of `GEMMDriver.splitColumns` packs at once (fits in L2).
    static let pieceColumns = 512
    /// Threaded products whose C has at most this many elements are split into `2 · cores`
    /// bands of rows with A read in place (`GEMMDriver.splitRows`); larger ones into one band
    /// per core with A packed (`GEMMDriver.parallel`). Measured on the 2-core machine
    /// (5 Dec 2026): at 256 × 256 the split bands were faster in f32 (188-203 against 157-192
    /// GFLOPS; in f64 the packed ones were as fast or faster, 98-101 against 76-101), at
    /// 512 × 512 the packed ones in both (f64 102-104 against 83-99).
    static let rowSplitMaxOutput = 384 * 384
    /// Bytes of op(B) a task of `GEMMDriver.splitRows` or `GEMMDriver.parallel` packs at once
    /// (half the per-core L2 cache, beside its block of A).
    static let rowSplitPieceBytes = 512 * 1024
    /// Rows of op(A) a task of `GEMMDriver.parallel` packs at once (its scratch is this many
    /// rows by `blockDepth`, plus one piece of B).
    static let bandRowLimit = 16 * blockRows

    /// `multiply` with the packing scratch taken from `workspace`, so a loop that calls it
    /// again and again (a training step) does not allocate once the workspace has grown.
    @inlinable
    public static func multiply<T: GEMMScalar>(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
        alpha: T = 1, a: UnsafePointer<T>, lda: Int,
        b: UnsafePointer<T>, ldb: Int,
        beta: T = 0, c: UnsafeMutablePointer<T>, ldc: Int, workspace: GEMMWorkspace
    ) {
        T.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
               b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, workspace: workspace)
    }
}

/// Scratch memory for `GEMM` (packed panels of A and B, partial products) that outlives
/// one call: it grows to the largest size asked for and is then reused, so repeated
/// products allocate nothing. Results do not depend on whether a workspace is used.
///
/// One workspace serves one caller at a time: two products running at once on different
/// threads must each have their own (the neural-network layers own one each).
///
/// ```swift
/// let workspace = GEMMWorkspace()
/// for _ in 0..<steps {
///     GEMM.multiply(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: c, ldc: n, workspace: workspace)
/// }
/// ```
public final class GEMMWorkspace {
    private var storage: UnsafeMutableRawPointer?
    private var capacity = 0

    public init() {}

    deinit { storage?.deallocate() }

    /// Bytes currently held.
    public var byteCount: Int { capacity }

    /// At least `bytes` bytes of 64-byte aligned memory, valid until the next request.
    func memory(bytes: Int) -> UnsafeMutableRawPointer {
        if let storage, bytes <= capacity { return storage }
        storage?.deallocate()
        let size = max(bytes, 64)
        let fresh = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
        storage = fresh
        capacity = size
        return fresh
    }
}

// The entry points below are written out per precision and vector width on purpose. A single
// generic default in a protocol extension reads better but is not specialised when OptimKit is
// compiled file by file (the debug build a student gets from `swift run`): measured, LeNet
// training fell from about 17,000 to 41 images/s. Concrete calls keep every kernel specialised.
#if OPTIMKIT_AVX512
extension Double: GEMMScalar {
    public typealias Vector = SIMD8<Double>
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        GEMMDriver<Double, SIMD8<Double>>.run(
            GEMMProblem(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                        b: b, ldb: ldb, beta: beta, c: c, ldc: ldc))
    }
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int, workspace: GEMMWorkspace
    ) {
        GEMMDriver<Double, SIMD8<Double>>.run(
            GEMMProblem(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                        b: b, ldb: ldb, beta: beta, c: c, ldc: ldc), workspace: workspace)
    }
}
extension Float: GEMMScalar {
    public typealias Vector = SIMD16<Float>
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        GEMMDriver<Float, SIMD16<Float>>.run(
            GEMMProblem(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                        b: b, ldb: ldb, beta: beta, c: c, ldc: ldc))
    }
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, workspace: GEMMWorkspace
    ) {
        GEMMDriver<Float, SIMD16<Float>>.run(
            GEMMProblem(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                        b: b, ldb: ldb, beta: beta, c: c, ldc: ldc), workspace: workspace)
    }
}
#elseif arch(x86_64)
extension Double: GEMMScalar {
    public typealias Vector = SIMD4<Double>
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        GEMMDriver<Double, SIMD4<Double>>.run(
            GEMMProblem(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                        b: b, ldb: ldb, beta: beta, c: c, ldc: ldc))
    }
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int, workspace: GEMMWorkspace
    ) {
        GEMMDriver<Double, SIMD4<Double>>.run(
            GEMMProblem(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                        b: b, ldb: ldb, beta: beta, c: c, ldc: ldc), workspace: workspace)
    }
}
extension Float: GEMMScalar {
    public typealias Vector = SIMD8<Float>
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        GEMMDriver<Float, SIMD8<Float>>.run(
            GEMMProblem(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                        b: b, ldb: ldb, beta: beta, c: c, ldc: ldc))
    }
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, workspace: GEMMWorkspace
    ) {
        GEMMDriver<Float, SIMD8<Float>>.run(
            GEMMProblem(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                        b: b, ldb: ldb, beta: beta, c: c, ldc: ldc), workspace: workspace)
    }
}
#else
extension Double: GEMMScalar {
    public typealias Vector = SIMD2<Double>
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        GEMMDriver<Double, SIMD2<Double>>.run(
            GEMMProblem(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                        b: b, ldb: ldb, beta: beta, c: c, ldc: ldc))
    }
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int, workspace: GEMMWorkspace
    ) {
        GEMMDriver<Double, SIMD2<Double>>.run(
            GEMMProblem(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                        b: b, ldb: ldb, beta: beta, c: c, ldc: ldc), workspace: workspace)
    }
}
extension Float: GEMMScalar {
    public typealias Vector = SIMD4<Float>
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        GEMMDriver<Float, SIMD4<Float>>.run(
            GEMMProblem(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                        b: b, ldb: ldb, beta: beta, c: c, ldc: ldc))
    }
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, workspace: GEMMWorkspace
    ) {
        GEMMDriver<Float, SIMD4<Float>>.run(
            GEMMProblem(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                        b: b, ldb: ldb, beta: beta, c: c, ldc: ldc), workspace: workspace)
    }
}
#endif

/// Two of the driver's paths for `Double`, called from concrete code so that they run
/// specialised. The tests use them to compare paths directly: a generic call from another
/// module reaches the unspecialised driver, whose SIMD operations go through witness tables
/// (a 4700 × 300 × 300 product took minutes that way).
enum GEMMDoublePaths {
    static func parallel(_ p: GEMMProblem<Double>, cores: Int) {
        GEMMDriver<Double, Double.Vector>.parallel(p, cores: cores)
    }
    static func serial(_ p: GEMMProblem<Double>) {
        GEMMDriver<Double, Double.Vector>.serial(p)
    }
}

/// One GEMM call's arguments. Raw pointers are not `Sendable`; this value is handed to worker
/// threads that each write a disjoint block of C, which is why the conformance is unchecked.
struct GEMMProblem<T: GEMMScalar>: @unchecked Sendable {
    var transA: Bool, transB: Bool
    var m: Int, n: Int, k: Int
    var alpha: T
    var a: UnsafePointer<T>, lda: Int
    var b: UnsafePointer<T>, ldb: Int
    var beta: T
    var c: UnsafeMutablePointer<T>, ldc: Int
}

/// The blocked algorithm for one scalar type `T` and register vector `V` (a micro-tile is
/// `MR` rows by `2 · V.scalarCount` columns). Everything lives in this one file so that the
/// optimiser specialises it fully even in builds without whole-module optimisation.
enum GEMMDriver<T: GEMMScalar, V: SIMD & Sendable> where V.Scalar == T {
    static var mr: Int { GEMM.microRows }
    static var nr: Int { 2 * V.scalarCount }

    static func run(_ p: GEMMProblem<T>, workspace: GEMMWorkspace? = nil) {
        requireValid(p.m >= 0 && p.n >= 0 && p.k >= 0, "GEMM: negative dimension \(p.m) × \(p.n) × \(p.k)")
        requireValid(p.lda >= max(1, p.transA ? p.m : p.k) && p.ldb >= max(1, p.transB ? p.k : p.n)
                     && p.ldc >= max(1, p.n),
                     "GEMM: a leading dimension is smaller than a row (lda \(p.lda), ldb \(p.ldb), ldc \(p.ldc) "
                     + "for \(p.transA ? "Aᵀ" : "A") \(p.m) × \(p.k), \(p.transB ? "Bᵀ" : "B") \(p.k) × \(p.n))")
        if p.m == 0 || p.n == 0 { return }
        if p.k == 0 || p.alpha == 0 {
            scale(p)
            return
        }
        let work = p.m * p.n * p.k
        if work <= GEMM.directThreshold && p.k <= GEMM.blockDepth {
            direct(p)
            return
        }
        let cores = work >= GEMM.parallelThreshold ? GEMM.coreCount : 1
        if cores > 1 && p.m * p.n <= GEMM.depthSplitMaxOutput && p.m <= GEMM.blockRows
            && p.k > 2 * GEMM.blockDepth {
            splitDepth(p, cores: cores, workspace: workspace)
        } else if cores > 1 && p.m <= 4 * GEMM.blockRows && p.n >= 2 * p.m {
            splitColumns(p, cores: cores, workspace: workspace)
        } else if cores > 1 && p.m * p.n <= GEMM.rowSplitMaxOutput {
            splitRows(p, cores: cores, workspace: workspace)
        } else if cores > 1 {
            parallel(p, cores: cores, workspace: workspace)
        } else {
            serial(p, workspace: workspace)
        }
    }

    /// Runs `body` with `count` elements of 64-byte aligned scratch: from `workspace` when
    /// there is one, otherwise lent by the process-wide `GEMMScratchPool`.
    @inline(__always)
    static func withScratch(_ count: Int, _ workspace: GEMMWorkspace?, _ body: (UnsafeMutablePointer<T>) -> Void) {
        let bytes = max(count, 1) * MemoryLayout<T>.stride
        if let workspace {
            body(workspace.memory(bytes: bytes).bindMemory(to: T.self, capacity: max(count, 1)))
        } else {
            GEMMScratchPool.shared.withMemory(bytes: bytes) { memory in
                body(memory.bindMemory(to: T.self, capacity: max(count, 1)))
            }
        }
    }

    /// Threaded products with few rows and many columns (a convolution's forward product:
    /// channels × every pixel of the minibatch). Each task takes a fixed range of column
    /// slivers and computes it completely on its own, packing its own pieces of A and B
    /// (A is small, so packing it once per task costs little). Inside a task the loops are
    /// the serial path's, so every element is summed in the same order as there: bitwise the
    /// serial result, with one parallel hand-off instead of two per 4096-column panel.
    static func splitColumns(_ p: GEMMProblem<T>, cores: Int, workspace: GEMMWorkspace?) {
        let kc = min(GEMM.blockDepth, p.k)
        let mc = min(GEMM.blockRows, roundUp(p.m, mr))
        let slivers = (p.n + nr - 1) / nr
        let tasks = min(slivers, 4 * cores)
        let piece = min(GEMM.pieceColumns, roundUp(p.n, nr))
        let aSize = roundUp(mc * kc, 16), slot = aSize + roundUp(piece * kc, 16)
        withScratch(tasks * slot, workspace) { scratch in
            let shared = TaskScratch(a: scratch, b: scratch)
            concurrentFor(tasks, context: (p, shared, slot, aSize, slivers, tasks, piece, kc, mc)) { context, task in
                let (p, shared, slot, aSize, slivers, tasks, piece, kc, mc) = context
                let packedA = shared.a + task * slot, packedB = packedA + aSize
                let c0 = slivers * task / tasks * nr
                let c1 = min(p.n, slivers * (task + 1) / tasks * nr)
                var jc = c0
                while jc < c1 {
                    let nb = min(piece, c1 - jc)
                    var pc = 0
                    while pc < p.k {
                        let kb = min(kc, p.k - pc)
                        packB(p, rows: pc, kb, columns: jc, nb, into: packedB)
                        let beta: T = pc == 0 ? p.beta : 1
                        var ic = 0
                        while ic < p.m {
                            let mb = min(mc, p.m - ic)
                            packA(p, rows: ic, mb, columns: pc, kb, into: packedA)
                            macroKernel(p, packedA, rows: ic, mb, packedB, columns: jc, nb, depth: kb, beta: beta)
                            ic += mb
                        }
                        pc += kb
                    }
                    jc += nb
                }
            }
        }
    }

    /// Threaded products of middling size (up to 384 × 384 outputs: square products of 256,
    /// the dense layers of LeNet). C is cut into `2 · cores` bands of whole `MR`-row slivers,
    /// and each task computes its band completely on its own: per `kc`-deep slab it packs the
    /// slab of B piece by piece (B is packed by every task, which costs little at these sizes)
    /// and reads A where it lies (`macroKernelUnpackedA`), so the product needs one parallel
    /// hand-off instead of two per slab, and the bands differ by at most one sliver. Each
    /// element is still summed over k in `kc` blocks in increasing order, with the serial
    /// path's update formula: bitwise the serial result.
    static func splitRows(_ p: GEMMProblem<T>, cores: Int, workspace: GEMMWorkspace?) {
        let kc = min(GEMM.blockDepth, p.k)
        let slivers = (p.m + mr - 1) / mr
        let tasks = min(slivers, 2 * cores)
        let piece = min(roundUp(p.n, nr), max(nr, GEMM.rowSplitPieceBytes / (kc * MemoryLayout<T>.stride) / nr * nr))
        let aSize = roundUp(mr * kc, 16), slot = aSize + roundUp(piece * kc, 16)
        withScratch(tasks * slot, workspace) { scratch in
            let shared = TaskScratch(a: scratch, b: scratch)
            concurrentFor(tasks, context: (p, shared, slot, aSize, slivers, tasks, piece, kc)) { context, task in
                let (p, shared, slot, aSize, slivers, tasks, piece, kc) = context
                let packedA = shared.a + task * slot, packedB = packedA + aSize
                let r0 = slivers * task / tasks * mr
                let r1 = min(p.m, slivers * (task + 1) / tasks * mr)
                if r1 <= r0 { return }
                var pc = 0
                while pc < p.k {
                    let kb = min(kc, p.k - pc)
                    let beta: T = pc == 0 ? p.beta : 1
                    var jc = 0
                    while jc < p.n {
                        let nb = min(piece, p.n - jc)
                        packB(p, rows: pc, kb, columns: jc, nb, into: packedB)
                        macroKernelUnpackedA(p, rows: r0, r1 - r0, depth: pc, kb, packedB, columns: jc, nb,
                                             beta: beta, tail: packedA)
                        jc += nb
                    }
                    pc += kb
                }
            }
        }
    }

    /// Threaded products with a small C and a long k (the weight gradients of convolution
    /// layers: C is channels × patch, k is every pixel of the minibatch). C offers too few
    /// tiles to share, so the `kc`-deep slabs are shared instead: each slab's product is
    /// computed from zero into its own scratch matrix (exactly the block sums the serial
    /// path computes), and then the slabs are added into C in increasing k with the serial
    /// path's update formula. Every element therefore gets bitwise the serial result, with
    /// one parallel hand-off for the whole product instead of two per slab.
    static func splitDepth(_ p: GEMMProblem<T>, cores: Int, workspace: GEMMWorkspace?,
                           scratchLimit: Int = GEMM.depthSplitScratch) {
        let kc = GEMM.blockDepth
        let blocks = (p.k + kc - 1) / kc
        let packSize = roundUp((roundUp(p.m, mr) + roundUp(p.n, nr)) * kc, 16)
        let partialSize = roundUp(p.m * p.n, 16)
        // Slabs are taken in rounds so the partial products never need more than about
        // 4M elements of scratch, however long k is (one round for the LeNet products).
        let roundBlocks = max(1, min(blocks, scratchLimit / partialSize))
        let tasks = min(roundBlocks, 4 * cores)
        withScratch(tasks * packSize + roundBlocks * partialSize, workspace) { scratch in
            let shared = TaskScratch(a: scratch, b: scratch + tasks * packSize)
            let alpha = p.alpha
            var first = 0
            while first < blocks {
                let count = min(roundBlocks, blocks - first)
                let base = first
                concurrentFor(min(tasks, count),
                              context: (p, shared, tasks, count, base, packSize, partialSize, kc)) { context, task in
                    let (p, shared, tasks, count, base, packSize, partialSize, kc) = context
                    let workers = min(tasks, count)
                    let packedA = shared.a + task * packSize
                    let packedB = packedA + roundUp(p.m, mr) * kc
                    var block = count * task / workers
                    let end = count * (task + 1) / workers
                    var q = p
                    q.alpha = 1
                    q.ldc = p.n
                    while block < end {
                        let pc = (base + block) * kc, kb = min(kc, p.k - pc)
                        packB(p, rows: pc, kb, columns: 0, p.n, into: packedB)
                        packA(p, rows: 0, p.m, columns: pc, kb, into: packedA)
                        q.c = shared.b + block * partialSize
                        macroKernel(q, packedA, rows: 0, p.m, packedB, columns: 0, p.n, depth: kb, beta: 0)
                        block += 1
                    }
                }
                for i in 0..<p.m {
                    let row = p.c + i * p.ldc
                    for block in 0..<count {
                        let beta: T = base + block == 0 ? p.beta : 1
                        let partial = shared.b + block * partialSize + i * p.n
                        for j in 0..<p.n {
                            let r = alpha == 1 ? partial[j] : partial[j] * alpha
                            row[j] = beta == 0 ? r : (beta == 1 ? r + row[j] : r + row[j] * beta)
                        }
                    }
                }
                first += count
            }
        }
    }

    /// Tiny products without packing. Each element is the same chain of fused multiply-adds
    /// over k (from zero) followed by the same alpha/beta update as in the micro-kernel, so the
    /// result is bitwise the one the blocked path would give.
    static func direct(_ p: GEMMProblem<T>) {
        let rowStepA = p.transA ? 1 : p.lda, depthStepA = p.transA ? p.lda : 1
        let depthStepB = p.transB ? 1 : p.ldb, columnStepB = p.transB ? p.ldb : 1
        for i in 0..<p.m {
            for j in 0..<p.n {
                var x = p.a + i * rowStepA, y = p.b + j * columnStepB
                var sum: T = 0
                for _ in 0..<p.k {
                    sum = sum.addingProduct(x.pointee, y.pointee)
                    x += depthStepA
                    y += depthStepB
                }
                let cell = p.c + i * p.ldc + j
                let scaled = p.alpha == 1 ? sum : sum * p.alpha
                cell.pointee = p.beta == 0 ? scaled
                    : (p.beta == 1 ? scaled + cell.pointee : scaled + cell.pointee * p.beta)
            }
        }
    }

    /// `C ← beta · C` (with `beta == 0` meaning "overwrite with zeros", NaNs included).
    static func scale(_ p: GEMMProblem<T>) {
        for i in 0..<p.m {
            let row = p.c + i * p.ldc
            if p.beta == 0 {
                row.update(repeating: 0, count: p.n)
            } else if p.beta != 1 {
                for j in 0..<p.n { row[j] *= p.beta }
            }
        }
    }

    static func roundUp(_ x: Int, _ unit: Int) -> Int { (x + unit - 1) / unit * unit }

    /// The whole blocked product on the calling thread (A read where it lies, B packed).
    static func serial(_ p: GEMMProblem<T>, workspace: GEMMWorkspace? = nil) {
        let kc = min(GEMM.blockDepth, p.k)
        let mc = min(GEMM.blockRows, roundUp(p.m, mr))
        let nc = min(GEMM.blockColumns, roundUp(p.n, nr))
        withScratch(roundUp(mc * kc, 16) + nc * kc, workspace) { scratch in
            serial(p, packedA: scratch, packedB: scratch + roundUp(mc * kc, 16), kc: kc, mc: mc, nc: nc)
        }
    }

    static func serial(_ p: GEMMProblem<T>, packedA: UnsafeMutablePointer<T>, packedB: UnsafeMutablePointer<T>,
                       kc: Int, mc: Int, nc: Int) {
        var jc = 0
        while jc < p.n {
            let nb = min(nc, p.n - jc)
            var pc = 0
            while pc < p.k {
                let kb = min(kc, p.k - pc)
                packB(p, rows: pc, kb, columns: jc, nb, into: packedB)
                // Only the first pass over k sees the caller's beta; later passes accumulate.
                let beta: T = pc == 0 ? p.beta : 1
                var ic = 0
                while ic < p.m {
                    let mb = min(mc, p.m - ic)
                    macroKernelUnpackedA(p, rows: ic, mb, depth: pc, kb, packedB, columns: jc, nb,
                                         beta: beta, tail: packedA)
                    ic += mb
                }
                pc += kb
            }
            jc += nb
        }
    }

    /// The scratch of one product, handed to its tasks (raw pointers are not `Sendable`). Each
    /// task packs into and reads from its own slice (`splitDepth` also keeps one partial product
    /// per slab in `b`), so no two tasks write the same element.
    struct TaskScratch: @unchecked Sendable {
        var a: UnsafeMutablePointer<T>
        var b: UnsafeMutablePointer<T>
    }

    /// The blocked product on all cores, for large C. C is cut into one band of whole
    /// `MR`-row slivers per core, and each task computes its band completely on its own: per
    /// `kc`-deep slab it packs its rows of A once, then packs B piece by piece and multiplies
    /// the packed A in `mc`-row blocks with each piece (`macroKernel`). A band taller than
    /// `GEMM.bandRowLimit` rows is done in row chunks, so the scratch stays bounded.
    ///
    /// Why every task packs its own panels: the earlier version packed A and B once into
    /// panels shared by all threads, with several tasks per core. On this project's 2-core
    /// virtual machine its large products ran at one of two speeds for stretches of 10-20 s
    /// (f32 2048, same memory, same process: about 200 GFLOPS, then 149-177), while this layout
    /// stayed at 195-210 over the same minutes (5 Dec 2026). What a thread reads most often is
    /// now memory it wrote itself; the price is that every task packs the B panel for each of
    /// its row chunks (at 2048², B is packed twice instead of once). One task per core, like
    /// OpenBLAS, with at least eight slivers each; the bands differ by at most one sliver.
    ///
    /// Each element is summed over k in `kc` blocks in increasing order with the serial path's
    /// update formula: bitwise the serial result.
    static func parallel(_ p: GEMMProblem<T>, cores: Int, workspace: GEMMWorkspace? = nil) {
        let kc = min(GEMM.blockDepth, p.k)
        let slivers = (p.m + mr - 1) / mr
        let tasks = min(cores, max(1, slivers / 8))
        let chunkRows = min((slivers + tasks - 1) / tasks * mr, GEMM.bandRowLimit)
        let piece = min(roundUp(p.n, nr), max(nr, GEMM.rowSplitPieceBytes / (kc * MemoryLayout<T>.stride) / nr * nr))
        let aSize = roundUp(chunkRows * kc, 16), slot = aSize + roundUp(piece * kc, 16)
        withScratch(tasks * slot, workspace) { scratch in
            let shared = TaskScratch(a: scratch, b: scratch)
            concurrentFor(tasks, context: (p, shared, slot, aSize, slivers, tasks, piece, kc, chunkRows)) { context, task in
                let (p, shared, slot, aSize, slivers, tasks, piece, kc, chunkRows) = context
                let packedA = shared.a + task * slot, packedB = packedA + aSize
                let r1 = min(p.m, slivers * (task + 1) / tasks * mr)
                var i0 = slivers * task / tasks * mr
                while i0 < r1 {
                    let rows = min(chunkRows, r1 - i0)
                    var pc = 0
                    while pc < p.k {
                        let kb = min(kc, p.k - pc)
                        let beta: T = pc == 0 ? p.beta : 1
                        packA(p, rows: i0, rows, columns: pc, kb, into: packedA)
                        var jc = 0
                        while jc < p.n {
                            let nb = min(piece, p.n - jc)
                            packB(p, rows: pc, kb, columns: jc, nb, into: packedB)
                            var ic = 0
                            while ic < rows {
                                let mb = min(GEMM.blockRows, rows - ic)
                                macroKernel(p, packedA + ic * kb, rows: i0 + ic, mb, packedB, columns: jc, nb,
                                            depth: kb, beta: beta)
                                ic += mb
                            }
                            jc += nb
                        }
                        pc += kb
                    }
                    i0 += rows
                }
            }
        }
    }

    /// Rows `i0 ..< i0+mb` × columns `j0 ..< j0+nb` of C from a packed block of A (`mb × kb`)
    /// and a packed panel of B (`kb × nb`): B slivers outermost so each stays in L1 while the A
    /// block (in L2) streams past it. Ragged tiles go through a small stack buffer.
    @inline(__always)
    static func macroKernel(_ p: GEMMProblem<T>, _ packedA: UnsafeMutablePointer<T>, rows i0: Int, _ mb: Int,
                            _ packedB: UnsafeMutablePointer<T>, columns j0: Int, _ nb: Int,
                            depth kb: Int, beta: T) {
        withUnsafeTemporaryAllocation(of: T.self, capacity: mr * nr) { buffer in
            let tile = buffer.baseAddress!
            var jr = 0
            while jr < nb {
                let nValid = min(nr, nb - jr)
                let bSliver = UnsafeRawPointer(packedB + jr * kb)
                var ir = 0
                while ir < mb {
                    let mValid = min(mr, mb - ir)
                    let aSliver = UnsafePointer(packedA + ir * kb)
                    let cTile = p.c + (i0 + ir) * p.ldc + j0 + jr
                    prefetchNextTile(p, rows: i0, mb, columns: j0, nb, after: ir, jr)
                    if mValid == mr && nValid == nr {
                        microKernel(kb, aSliver, bSliver, p.alpha, beta, cTile, p.ldc)
                    } else {
                        microKernel(kb, aSliver, bSliver, 1, 0, tile, nr)
                        addRaggedTile(p, tile, into: cTile, mValid, nValid, beta: beta)
                    }
                    ir += mr
                }
                jr += nr
            }
        }
    }

    /// Adds a ragged tile (`mValid × nValid` of the `MR × NR` products in `tile`, computed with
    /// alpha 1 and beta 0) into C at `cTile` with the update formula of the full tiles.
    @inline(__always)
    static func addRaggedTile(_ p: GEMMProblem<T>, _ tile: UnsafeMutablePointer<T>, into cTile: UnsafeMutablePointer<T>,
                              _ mValid: Int, _ nValid: Int, beta: T) {
        for r in 0..<mValid {
            let src = tile + r * nr, dst = cTile + r * p.ldc
            for j in 0..<nValid {
                dst[j] = beta == 0 ? p.alpha * src[j]
                    : (beta == 1 ? dst[j] + p.alpha * src[j] : p.alpha * src[j] + beta * dst[j])
            }
        }
    }

    /// Asks the cache for the C tile the macro-kernels will update after tile (`ir`, `jr`)
    /// (the next one down, or the top of the next column of tiles), while tile (`ir`, `jr`)
    /// is computed. A tile's C rows are read only at its end, and at 2048 × 2048 (32 MB of
    /// f64, the size of the last-level cache) they came from memory: the product ran at 86-93
    /// GFLOPS, with the prefetch at 100-102 (numpy: 103-107). A prefetch never faults and
    /// changes no value.
    @inline(__always)
    static func prefetchNextTile(_ p: GEMMProblem<T>, rows i0: Int, _ mb: Int, columns j0: Int, _ nb: Int,
                                 after ir: Int, _ jr: Int) {
        let next: UnsafeMutablePointer<T>
        if ir + 2 * mr <= mb {
            next = p.c + (i0 + ir + mr) * p.ldc + j0 + jr
        } else if jr + 2 * nr <= nb && mb >= mr {
            next = p.c + i0 * p.ldc + j0 + jr + nr
        } else {
            return
        }
        for r in 0..<mr {
            optimkit_prefetch_for_write(next + r * p.ldc)
            optimkit_prefetch_for_write(next + r * p.ldc + nr - 1)
        }
    }

    /// `macroKernel` reading op(A) where it lies instead of from a packed copy: at middling
    /// sizes packing A (a scalar transpose) costs about a tenth of the product, while the rows
    /// of a `kc`-deep slab of A stay in L2 anyway. Only a ragged last sliver (fewer than `MR`
    /// rows) is packed, zero-padded, into `tail` (`MR × kb` elements). Same tiles, same
    /// micro-kernel arithmetic, so bitwise the same C.
    @inline(__always)
    static func macroKernelUnpackedA(_ p: GEMMProblem<T>, rows i0: Int, _ mb: Int, depth p0: Int, _ kb: Int,
                                     _ packedB: UnsafeMutablePointer<T>, columns j0: Int, _ nb: Int,
                                     beta: T, tail: UnsafeMutablePointer<T>) {
        let fullRows = mb / mr * mr
        if fullRows < mb { packA(p, rows: i0 + fullRows, mb - fullRows, columns: p0, kb, into: tail) }
        // op(A)[i, q] lives at a[i * rowStep + q * depthStep].
        let rowStep = p.transA ? 1 : p.lda, depthStep = p.transA ? p.lda : 1
        let aStart = p.a + i0 * rowStep + p0 * depthStep
        withUnsafeTemporaryAllocation(of: T.self, capacity: mr * nr) { buffer in
            let tile = buffer.baseAddress!
            var jr = 0
            while jr < nb {
                let nValid = min(nr, nb - jr)
                let bSliver = UnsafeRawPointer(packedB + jr * kb)
                var ir = 0
                while ir < mb {
                    let mValid = min(mr, mb - ir)
                    let cTile = p.c + (i0 + ir) * p.ldc + j0 + jr
                    prefetchNextTile(p, rows: i0, mb, columns: j0, nb, after: ir, jr)
                    let fullTile = mValid == mr && nValid == nr
                    let target = fullTile ? cTile : tile, ldTarget = fullTile ? p.ldc : nr
                    let alpha = fullTile ? p.alpha : 1, tileBeta = fullTile ? beta : 0
                    if mValid == mr {
                        microKernelStrided(kb, aStart + ir * rowStep, rowStep, depthStep, bSliver,
                                           alpha, tileBeta, target, ldTarget)
                    } else {
                        microKernel(kb, UnsafePointer(tail), bSliver, alpha, tileBeta, target, ldTarget)
                    }
                    if !fullTile { addRaggedTile(p, tile, into: cTile, mValid, nValid, beta: beta) }
                    ir += mr
                }
                jr += nr
            }
        }
    }

    /// Packs rows `i0 ..< i0+mb`, columns `p0 ..< p0+kb` of op(A) as consecutive `MR × kb`
    /// slivers, each stored k-major (the MR values for one k are adjacent); missing rows are 0.
    @inline(__always)
    static func packA(_ p: GEMMProblem<T>, rows i0: Int, _ mb: Int, columns p0: Int, _ kb: Int,
                      into dst: UnsafeMutablePointer<T>) {
        var s = 0
        while s < mb {
            let out = dst + s * kb
            let valid = min(mr, mb - s)
            if p.transA {
                // op(A)[i, q] = A[q, i]: the MR values for one q are contiguous in A.
                for q in 0..<kb {
                    let src = p.a + (p0 + q) * p.lda + i0 + s
                    let o = out + q * mr
                    for r in 0..<valid { o[r] = src[r] }
                    for r in valid..<mr { o[r] = 0 }
                }
            } else if valid == mr {
                // The six rows are read side by side: six streams in flight at once, and the
                // optimiser turns the loop into vector shuffles. Read one row after another
                // (each row's first lines waiting on memory in turn), packing A took 5.5% of a
                // 1024 × 1024 f32 product's time; side by side 1.5% (perf, 5 Dec 2026).
                let a0 = UnsafePointer(p.a + (i0 + s) * p.lda + p0), a1 = a0 + p.lda, a2 = a1 + p.lda
                let a3 = a2 + p.lda, a4 = a3 + p.lda, a5 = a4 + p.lda
                var o = out
                for q in 0..<kb {
                    o[0] = a0[q]; o[1] = a1[q]; o[2] = a2[q]
                    o[3] = a3[q]; o[4] = a4[q]; o[5] = a5[q]
                    o += 6
                }
            } else {
                for r in 0..<valid {
                    let src = p.a + (i0 + s + r) * p.lda + p0
                    for q in 0..<kb { out[q * mr + r] = src[q] }
                }
                if valid < mr {
                    for q in 0..<kb { for r in valid..<mr { out[q * mr + r] = 0 } }
                }
            }
            s += mr
        }
    }

    /// Packs rows `p0 ..< p0+kb`, columns `j0 ..< j0+nb` of op(B) as consecutive `kb × NR`
    /// slivers, each stored k-major (NR values per k); missing columns are 0.
    @inline(__always)
    static func packB(_ p: GEMMProblem<T>, rows p0: Int, _ kb: Int, columns j0: Int, _ nb: Int,
                      into dst: UnsafeMutablePointer<T>) {
        var s = 0
        while s < nb {
            let out = dst + s * kb
            let valid = min(nr, nb - s)
            if p.transB {
                // op(B)[q, j] = B[j, q]: walk each column of op(B) along a row of B.
                for jj in 0..<valid {
                    let src = p.b + (j0 + s + jj) * p.ldb + p0
                    for q in 0..<kb { out[q * nr + jj] = src[q] }
                }
                if valid < nr {
                    for q in 0..<kb { for jj in valid..<nr { out[q * nr + jj] = 0 } }
                }
            } else if valid == nr {
                for q in 0..<kb {
                    (out + q * nr).update(from: p.b + (p0 + q) * p.ldb + j0 + s, count: nr)
                }
            } else {
                for q in 0..<kb {
                    let src = p.b + (p0 + q) * p.ldb + j0 + s
                    let o = out + q * nr
                    for jj in 0..<valid { o[jj] = src[jj] }
                    for jj in valid..<nr { o[jj] = 0 }
                }
            }
            s += nr
        }
    }

    /// The register-blocked inner kernel: a full `6 × 2V` tile of
    /// `C ← alpha · Ã B̃ + beta · C` from packed slivers `Ã` (6 × kb) and `B̃` (kb × 2V).
    /// Twelve vector accumulators stay in registers; each step of k loads two vectors of B̃,
    /// broadcasts six values of Ã and issues twelve fused multiply-adds.
    @inline(__always)
    static func microKernel(_ kb: Int, _ a: UnsafePointer<T>, _ b: UnsafeRawPointer,
                            _ alpha: T, _ beta: T, _ c: UnsafeMutablePointer<T>, _ ldc: Int) {
        var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V()
        var c30 = V(), c31 = V(), c40 = V(), c41 = V(), c50 = V(), c51 = V()
        let vb = MemoryLayout<V>.stride
        var pa = a, pb = b
        for _ in 0..<kb {
            let b0 = pb.load(as: V.self)
            let b1 = pb.load(fromByteOffset: vb, as: V.self)
            var x = V(repeating: pa[0])
            c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
            x = V(repeating: pa[1])
            c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
            x = V(repeating: pa[2])
            c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
            x = V(repeating: pa[3])
            c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
            x = V(repeating: pa[4])
            c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1)
            x = V(repeating: pa[5])
            c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1)
            pa += 6
            pb += 2 * vb
        }
        store(c00, c01, alpha, beta, c, vb)
        store(c10, c11, alpha, beta, c + ldc, vb)
        store(c20, c21, alpha, beta, c + 2 * ldc, vb)
        store(c30, c31, alpha, beta, c + 3 * ldc, vb)
        store(c40, c41, alpha, beta, c + 4 * ldc, vb)
        store(c50, c51, alpha, beta, c + 5 * ldc, vb)
    }

    /// `microKernel` with the six values of A for one k read at `a[r · rowStep]` and the
    /// next k's at `depthStep` further on (A unpacked: a row-major or transposed matrix).
    @inline(__always)
    static func microKernelStrided(_ kb: Int, _ a: UnsafePointer<T>, _ rowStep: Int, _ depthStep: Int,
                                   _ b: UnsafeRawPointer, _ alpha: T, _ beta: T,
                                   _ c: UnsafeMutablePointer<T>, _ ldc: Int) {
        var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V()
        var c30 = V(), c31 = V(), c40 = V(), c41 = V(), c50 = V(), c51 = V()
        let vb = MemoryLayout<V>.stride
        let a0 = a, a1 = a + rowStep, a2 = a + 2 * rowStep
        let a3 = a + 3 * rowStep, a4 = a + 4 * rowStep, a5 = a + 5 * rowStep
        var pb = b
        var q = 0
        for _ in 0..<kb {
            let b0 = pb.load(as: V.self)
            let b1 = pb.load(fromByteOffset: vb, as: V.self)
            var x = V(repeating: a0[q])
            c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
            x = V(repeating: a1[q])
            c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
            x = V(repeating: a2[q])
            c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
            x = V(repeating: a3[q])
            c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
            x = V(repeating: a4[q])
            c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1)
            x = V(repeating: a5[q])
            c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1)
            q += depthStep
            pb += 2 * vb
        }
        store(c00, c01, alpha, beta, c, vb)
        store(c10, c11, alpha, beta, c + ldc, vb)
        store(c20, c21, alpha, beta, c + 2 * ldc, vb)
        store(c30, c31, alpha, beta, c + 3 * ldc, vb)
        store(c40, c41, alpha, beta, c + 4 * ldc, vb)
        store(c50, c51, alpha, beta, c + 5 * ldc, vb)
    }

    /// Writes one row of a tile: `C[0 ..< 2V] ← alpha · (v0, v1) + beta · C` (C unread if beta is 0).
    @inline(__always)
    static func store(_ v0: V, _ v1: V, _ alpha: T, _ beta: T, _ c: UnsafeMutablePointer<T>, _ vb: Int) {
        let raw = UnsafeMutableRawPointer(c)
        var r0 = alpha == 1 ? v0 : v0 * alpha
        var r1 = alpha == 1 ? v1 : v1 * alpha
        if beta == 1 {
            r0 += raw.loadUnaligned(as: V.self)
            r1 += raw.loadUnaligned(fromByteOffset: vb, as: V.self)
        } else if beta != 0 {
            r0 += raw.loadUnaligned(as: V.self) * beta
            r1 += raw.loadUnaligned(fromByteOffset: vb, as: V.self) * beta
        }
        raw.storeBytes(of: r0, as: V.self)
        raw.storeBytes(of: r1, toByteOffset: vb, as: V.self)
    }
}

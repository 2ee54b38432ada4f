@testable import OptimIO
@testable import OptimKit
@testable import OptimKernels
@testable import OptimData
@testable import OptimTraining
@testable import OptimPlot
@testable import OptimNotebook
@testable import OptimBook
import Foundation
import Testing

/// One randomly filled GEMM case checked against `GEMMReference`. Leading dimensions are
/// padded by `pad` and the padding is NaN, so reading outside the logical matrix shows up;
/// when beta is 0 the initial C is NaN as well, since BLAS semantics say it must not be read.
func gemmMismatches<T: GEMMScalar>(
    _ type: T.Type, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
    alpha: Double, beta: Double, pad: Int = 0, seed: UInt64
) -> [String] {
    var rng = SeededGenerator(seed: seed)
    func filled(rows: Int, columns: Int, nanEverywhere: Bool = false) -> (values: [T], ld: Int) {
        let ld = columns + pad
        var values = Matrix<T>.randomNormal(rows: rows, columns: ld, generator: &rng).storage
        for i in 0..<rows {
            for j in 0..<ld where nanEverywhere || j >= columns { values[i * ld + j] = .nan }
        }
        return (values, ld)
    }
    let a = transA ? filled(rows: k, columns: m) : filled(rows: m, columns: k)
    let b = transB ? filled(rows: n, columns: k) : filled(rows: k, columns: n)
    let c0 = filled(rows: m, columns: n, nanEverywhere: beta == 0)
    var c = c0.values
    // Operands with a zero extent still need a non-empty buffer to point into.
    let aValues = a.values.isEmpty ? [T(0)] : a.values
    let bValues = b.values.isEmpty ? [T(0)] : b.values
    if !c.isEmpty {
        aValues.withUnsafeBufferPointer { pa in
            bValues.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    GEMM.multiply(transA: transA, transB: transB, m: m, n: n, k: k, alpha: T(alpha),
                                  a: pa.baseAddress!, lda: max(a.ld, 1), b: pb.baseAddress!, ldb: max(b.ld, 1),
                                  beta: T(beta), c: pc.baseAddress!, ldc: c0.ld)
                }
            }
        }
    }
    var expected = c0.values.map { Double($0) }
    let magnitude = GEMMReference.multiply(
        transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
        a: a.values.map { Double($0) }, lda: a.ld, b: b.values.map { Double($0) }, ldb: b.ld,
        beta: beta, c: &expected, ldc: c0.ld)
    // Worst-case rounding of a length-k sum plus the alpha/beta update is about (k + 2)·ε/2
    // times the magnitude; 4(k + 2)·ε leaves room while a wrong element is off by O(magnitude).
    let tolerance = 4 * Double(k + 2) * Double(T.ulpOfOne)
    var problems: [String] = []
    for i in 0..<m {
        for j in 0..<c0.ld {
            let got = Double(c[i * c0.ld + j])
            if j >= n {
                // Padding of C must be left alone (it is NaN or the old random value).
                let old = Double(c0.values[i * c0.ld + j])
                if !(got == old || (got.isNaN && old.isNaN)) { problems.append("padding (\(i),\(j)) touched") }
                continue
            }
            let want = expected[i * c0.ld + j]
            let allowed = tolerance * magnitude[i * n + j] + 1e-300
            if !(abs(got - want) <= allowed) {
                problems.append("\(T.self) tA=\(transA) tB=\(transB) \(m)x\(n)x\(k) alpha=\(alpha) beta=\(beta) "
                                + "(\(i),\(j)): got \(got), want \(want)")
            }
            if problems.count >= 3 { return problems }
        }
    }
    return problems
}

@Suite struct GEMMTests {
    static let oddSizes = [1, 3, 7, 17, 63, 65, 129]
    static let scalings: [(alpha: Double, beta: Double)] = [(1, 0), (-0.5, 1), (2, -1.5)]
    static let transposes = [(false, false), (true, false), (false, true), (true, true)]

    /// Every (m, n, k) from the odd sizes, for one transpose combination and one precision.
    func allShapes<T: GEMMScalar>(_ type: T.Type, _ transA: Bool, _ transB: Bool) {
        var seed: UInt64 = 1
        for m in Self.oddSizes {
            for n in Self.oddSizes {
                for k in Self.oddSizes {
                    for s in Self.scalings {
                        seed += 1
                        let problems = gemmMismatches(type, transA: transA, transB: transB, m: m, n: n, k: k,
                                                      alpha: s.alpha, beta: s.beta, seed: seed)
                        #expect(problems.isEmpty, "\(problems)")
                        if !problems.isEmpty { return }
                    }
                }
            }
        }
    }

    @Test(arguments: 0..<4) func everyOddShapeDouble(transpose: Int) {
        allShapes(Double.self, Self.transposes[transpose].0, Self.transposes[transpose].1)
    }

    @Test(arguments: 0..<4) func everyOddShapeFloat(transpose: Int) {
        allShapes(Float.self, Self.transposes[transpose].0, Self.transposes[transpose].1)
    }

    /// Shapes that cross the cache blocks (k past 256, m past 144, n past 4096), use the row
    /// split, the column split and the one-band-per-core path (700 × 300: C over 384²) across
    /// threads, and have padded leading dimensions.
    @Test(arguments: [(145, 33, 257), (300, 70, 520), (70, 300, 520), (33, 300, 257), (7, 4100, 5), (4100, 3, 9),
                      (1, 600, 700), (1000, 1, 300), (97, 131, 1), (700, 300, 300)])
    func blockBoundaries(shape: (Int, Int, Int)) {
        var seed: UInt64 = 1000
        for (transA, transB) in Self.transposes {
            for s in Self.scalings {
                seed += 1
                let pad = seed % 2 == 0 ? 0 : 3
                do {
                    let d = gemmMismatches(Double.self, transA: transA, transB: transB, m: shape.0, n: shape.1,
                                           k: shape.2, alpha: s.alpha, beta: s.beta, pad: pad, seed: seed)
                    #expect(d.isEmpty, "\(d)")
                    let f = gemmMismatches(Float.self, transA: transA, transB: transB, m: shape.0, n: shape.1,
                                           k: shape.2, alpha: s.alpha, beta: s.beta, pad: pad, seed: seed)
                    #expect(f.isEmpty, "\(f)")
                }
            }
        }
    }

    /// The depth split takes its slabs in rounds when the partial products would need more
    /// scratch than allowed; with a limit of a few slabs per round (and a ragged last slab) the
    /// result must still be bitwise the single-threaded one.
    @Test func depthSplitInRoundsMatchesSingleThreadBitwise() {
        let (m, n, k) = (5, 9, 3000)
        var rng = SeededGenerator(seed: 78)
        let a = Matrix<Float>.randomNormal(rows: m, columns: k, generator: &rng)
        let b = Matrix<Float>.randomNormal(rows: n, columns: k, generator: &rng)  // used as Bᵀ
        let c0 = Matrix<Float>.randomNormal(rows: m, columns: n, generator: &rng)
        var split = c0.storage, single = c0.storage
        for useSplit in [true, false] {
            a.storage.withUnsafeBufferPointer { pa in
                b.storage.withUnsafeBufferPointer { pb in
                    var out = useSplit ? split : single
                    out.withUnsafeMutableBufferPointer { pc in
                        let problem = GEMMProblem(transA: false, transB: true, m: m, n: n, k: k, alpha: 0.5,
                                                  a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: k,
                                                  beta: 2, c: pc.baseAddress!, ldc: n)
                        if useSplit {
                            // 48 elements of scratch per slab: three slabs per round, 12 slabs.
                            GEMMDriver<Float, Float.Vector>.splitDepth(problem, cores: 2, workspace: GEMMWorkspace(),
                                                                       scratchLimit: 3 * 48)
                        } else {
                            GEMMDriver<Float, Float.Vector>.serial(problem)
                        }
                    }
                    if useSplit { split = out } else { single = out }
                }
            }
        }
        #expect(split == single)
        #expect(split != c0.storage)
    }

    /// Whichever way a threaded product is split, every element must be summed in the same
    /// order as on one thread, so the results are identical. Shapes: middling products split
    /// into bands of rows (300 × 301, 2500 × 40), a wide product split by columns (20 × 4200,
    /// 16 × 3000) and a small C with a long, ragged k that is split by depth (7 × 30, k = 45000).
    /// The large-product path has its own test below.
    @Test(arguments: [(300, 301, 299), (2500, 40, 90), (20, 4200, 100), (16, 3000, 200), (7, 30, 45000)])
    func threadedMatchesSingleThreadBitwise(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        var rng = SeededGenerator(seed: 77)
        let a = Matrix<Double>.randomNormal(rows: k, columns: m, generator: &rng)  // used as Aᵀ
        let b = Matrix<Double>.randomNormal(rows: k, columns: n, generator: &rng)
        let c0 = Matrix<Double>.randomNormal(rows: m, columns: n, generator: &rng)
        #expect(m * n * k >= GEMM.parallelThreshold)
        var threaded = c0.storage, single = c0.storage
        for useThreads in [true, false] {
            a.storage.withUnsafeBufferPointer { pa in
                b.storage.withUnsafeBufferPointer { pb in
                    var out = useThreads ? threaded : single
                    out.withUnsafeMutableBufferPointer { pc in
                        let problem = GEMMProblem(transA: true, transB: false, m: m, n: n, k: k, alpha: 1.5,
                                                  a: pa.baseAddress!, lda: m, b: pb.baseAddress!, ldb: n,
                                                  beta: -0.5, c: pc.baseAddress!, ldc: n)
                        if useThreads {
                            GEMMDriver<Double, Double.Vector>.run(problem)
                        } else {
                            GEMMDriver<Double, Double.Vector>.serial(problem)
                        }
                    }
                    if useThreads { threaded = out } else { single = out }
                }
            }
        }
        #expect(threaded == single)
        var expected = c0.storage
        let magnitude = GEMMReference.multiply(transA: true, m: m, n: n, k: k, alpha: 1.5, a: a.storage, lda: m,
                                               b: b.storage, ldb: n, beta: -0.5, c: &expected, ldc: n)
        let tolerance = 4 * Double(k + 2) * Double.ulpOfOne
        let bad = (0..<(m * n)).filter { !(abs(threaded[$0] - expected[$0]) <= tolerance * magnitude[$0]) }
        #expect(bad.isEmpty, "\(bad.count) elements off")
    }

    /// Large products give each core one band of rows, packed by the task that uses it, in
    /// row chunks of at most `GEMM.bandRowLimit` and B pieces of `GEMM.rowSplitPieceBytes`.
    /// For 2, 3 and 5 tasks (more tasks than this machine's cores is allowed: they queue), the
    /// result must be bitwise the single-thread one. Shapes: bands taller than one row chunk
    /// (4700 rows over 2 tasks) with two slabs of k and two pieces of B, more columns than one
    /// piece of B with k over two slabs, a
    /// ragged last sliver (m not a multiple of 6) and transposed operands.
    @Test(arguments: [(4700, 300, 300, false, false), (770, 1700, 270, true, false), (1001, 700, 300, false, true)])
    func largeProductBandsMatchSerialBitwise(shape: (Int, Int, Int, Bool, Bool)) {
        let (m, n, k, transA, transB) = shape
        #expect(m * n > GEMM.rowSplitMaxOutput)
        var rng = SeededGenerator(seed: 78)
        let a = Matrix<Double>.randomNormal(rows: transA ? k : m, columns: transA ? m : k, generator: &rng)
        let b = Matrix<Double>.randomNormal(rows: transB ? n : k, columns: transB ? k : n, generator: &rng)
        let c0 = Matrix<Double>.randomNormal(rows: m, columns: n, generator: &rng)
        func product(cores: Int?) -> [Double] {
            var out = c0.storage
            a.storage.withUnsafeBufferPointer { pa in
                b.storage.withUnsafeBufferPointer { pb in
                    out.withUnsafeMutableBufferPointer { pc in
                        let problem = GEMMProblem(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1.5,
                                                  a: pa.baseAddress!, lda: transA ? m : k, b: pb.baseAddress!,
                                                  ldb: transB ? k : n, beta: -0.5, c: pc.baseAddress!, ldc: n)
                        if let cores {
                            GEMMDoublePaths.parallel(problem, cores: cores)
                        } else {
                            GEMMDoublePaths.serial(problem)
                        }
                    }
                }
            }
            return out
        }
        let single = product(cores: nil)
        for cores in [2, 3, 5] {
            let banded = product(cores: cores)
            #expect(banded == single, "\(cores) tasks: \((0..<single.count).filter { banded[$0] != single[$0] }.count) elements differ")
        }
        var expected = c0.storage
        let magnitude = GEMMReference.multiply(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1.5,
                                               a: a.storage, lda: transA ? m : k, b: b.storage, ldb: transB ? k : n,
                                               beta: -0.5, c: &expected, ldc: n)
        let tolerance = 4 * Double(k + 2) * Double.ulpOfOne
        let bad = (0..<(m * n)).filter { !(abs(single[$0] - expected[$0]) <= tolerance * magnitude[$0]) }
        #expect(bad.isEmpty, "\(bad.count) elements off")
    }

    /// The unpacked path for tiny products gives bitwise the blocked path's result.
    @Test func tinyPathMatchesBlockedBitwise() {
        var rng = SeededGenerator(seed: 5)
        for (m, n, k) in [(1, 1, 1), (1, 1, 5), (3, 7, 5), (8, 8, 8), (2, 17, 9)] {
            for (transA, transB) in Self.transposes {
                for s in Self.scalings {
                    let a = Matrix<Float>.randomNormal(rows: m, columns: k, generator: &rng).storage
                    let b = Matrix<Float>.randomNormal(rows: k, columns: n, generator: &rng).storage
                    let c0 = Matrix<Float>.randomNormal(rows: m, columns: n, generator: &rng).storage
                    var results: [[Float]] = []
                    for useDirect in [true, false] {
                        var c = c0
                        a.withUnsafeBufferPointer { pa in
                            b.withUnsafeBufferPointer { pb in
                                c.withUnsafeMutableBufferPointer { pc in
                                    let problem = GEMMProblem(
                                        transA: transA, transB: transB, m: m, n: n, k: k, alpha: Float(s.alpha),
                                        a: pa.baseAddress!, lda: transA ? m : k, b: pb.baseAddress!,
                                        ldb: transB ? k : n, beta: Float(s.beta), c: pc.baseAddress!, ldc: n)
                                    if useDirect {
                                        GEMMDriver<Float, Float.Vector>.direct(problem)
                                    } else {
                                        GEMMDriver<Float, Float.Vector>.serial(problem)
                                    }
                                }
                            }
                        }
                        results.append(c)
                    }
                    #expect(results[0] == results[1], "\(m)x\(n)x\(k) tA=\(transA) tB=\(transB)")
                }
            }
        }
    }

    /// Degenerate shapes: k = 0 leaves beta·C, alpha = 0 ignores A and B, empty C is a no-op.
    @Test func degenerateShapes() {
        for (m, n, k) in [(3, 5, 0), (0, 4, 6), (4, 0, 6), (0, 0, 0), (1, 1, 1)] {
            for s in Self.scalings + [(0, 0.5), (0, 0)] {
                let d = gemmMismatches(Double.self, transA: false, transB: true, m: m, n: n, k: k,
                                       alpha: s.alpha, beta: s.beta, pad: 2, seed: 7)
                #expect(d.isEmpty, "\(d)")
            }
        }
        // beta = 0 overwrites NaN; beta = 0.5 with k = 0 halves C.
        var c: [Double] = [.nan, 4]
        let one: [Double] = [1]
        GEMM.multiply(m: 1, n: 2, k: 0, a: one, lda: 1, b: one, ldb: 2, beta: 0, c: &c, ldc: 2)
        #expect(c == [0, 0])
        c = [2, 4]
        GEMM.multiply(m: 1, n: 2, k: 0, a: one, lda: 1, b: one, ldb: 2, beta: 0.5, c: &c, ldc: 2)
        #expect(c == [1, 2])
    }

    /// A 1 × 1 product and a small exact integer product (every partial sum is exact).
    @Test func exactSmallProducts() {
        let a = Matrix<Double>(rows: 1, columns: 1, storage: [3])
        #expect((a * a).storage == [9])
        let b = Matrix<Float>(rows: 2, columns: 3, storage: [1, 2, 3, 4, 5, 6])
        let c = Matrix<Float>(rows: 3, columns: 2, storage: [7, 8, 9, 10, 11, 12])
        #expect((b * c).storage == [58, 64, 139, 154])
        #expect(matmul(b, b, transB: true).storage == [14, 32, 32, 77])
        #expect(matmul(b, b, transA: true).storage == [17, 22, 27, 22, 29, 36, 27, 36, 45])
        #expect(matmul(c, b, transA: true, transB: true).storage == [58, 139, 64, 154])
    }

    /// The 1024 × 1024 double product (threaded, several cache blocks) against the triple loop.
    @Test func product1024Double() {
        var rng = SeededGenerator(seed: 1024)
        let n = 1024
        let b = Matrix<Double>.randomNormal(rows: n, columns: n, generator: &rng)
        let c = Matrix<Double>.randomNormal(rows: n, columns: n, generator: &rng)
        let a = b * c
        // The reference walks rows of Cᵀ so that its inner loop reads memory contiguously.
        var expected = [Double](repeating: 0, count: n * n)
        GEMMReference.multiply(transB: true, m: n, n: n, k: n, a: b.storage, lda: n,
                               b: c.transposed.storage, ldb: n, c: &expected, ldc: n)
        var worst = 0.0
        for index in 0..<(n * n) { worst = max(worst, abs(a.storage[index] - expected[index])) }
        let scale = expected.reduce(0) { max($0, abs($1)) }
        #expect(worst <= 1e-9 * scale, "max error \(worst) vs largest element \(scale)")
        #expect(scale > 50)  // the product is not trivially zero
    }
}

import OptimKit
import Dispatch

/// Wall-clock cost of one way of computing a matrix product.
public struct MatrixMultiplyTiming: Sendable, Equatable {
    /// Seconds for one full `n × n` product (scaled up from a timed subset where noted).
    public var seconds: Double
    /// `2 n³ / 10⁹ / seconds`: a multiply and an add counted as two operations.
    public var gigaflops: Double
}

/// The four timings of the section 11.5 experiment.
public struct MatrixMultiplyPerformance: Sendable, Equatable {
    public var n: Int
    public var element: MatrixMultiplyTiming
    public var column: MatrixMultiplyTiming
    public var full: MatrixMultiplyTiming
    public var block: MatrixMultiplyTiming
    /// Rows of A actually computed by the element-wise method (its time is scaled by `n / elementRows`).
    public var elementRows: Int

}

/// Section 11.5's experiment: four ways of computing `A = B C` for square matrices, from one
/// element at a time to the whole product in one blocked `GEMM` call.
///
/// 1. `byElement`: `A[i, j] = B[i, :] · C[:, j]`, reading the column of C in place (a stride of
///    `n` elements, so nearly every read is a new cache line), one scalar dot product per element.
/// 2. `byColumn`: `A[:, j] = B C[:, j]`: the column is copied once into a contiguous vector that
///    stays in cache while every row of B streams past it (SIMD dot products).
/// 3. `whole`: `A = B C` in one `GEMM` call (packed, cache-blocked, all cores).
/// 4. `byBlocks`: `A[:, J] = B C[:, J]` for consecutive blocks `J` of 64 columns, each one `GEMM` call.
///
/// Every method is counted as `2 n³` floating-point operations.
///
/// Example:
///
///     var rng = SeededGenerator(seed: 0)
///     let result = MatrixMultiplyExperiment.run(n: 1024, generator: &rng)
///     nb.output(result.performanceLine)
public enum MatrixMultiplyExperiment {
    /// Times the four methods on standard-normal `n × n` matrices B and C drawn from `generator`.
    ///
    /// Computing every element one at a time takes several seconds for `n = 1024` (about 3 s
    /// on the 2-core development machine), so by default `byElement` computes only the first
    /// `elementRows` rows of A (a few tenths of a second) and its time is multiplied by
    /// `n / elementRows`. Every row costs the same work, so this estimates the full run; on the
    /// development machine the estimate came within about 25% of a full timing (it is slightly
    /// optimistic). Pass `elementRows: n` to time the whole product.
    ///
    /// - Parameters:
    ///   - n: matrix size (default 1024, as in the book).
    ///   - blockColumns: columns per block for `byBlocks` (default 64).
    ///   - elementRows: rows computed by `byElement` (default `min(n, 64)`).
    public static func run(n: Int = 1024, blockColumns: Int = 64, elementRows: Int? = nil,
                           generator: inout SeededGenerator) -> MatrixMultiplyPerformance {
        let b = Matrix<Double>.randomNormal(rows: n, columns: n, generator: &generator)
        let c = Matrix<Double>.randomNormal(rows: n, columns: n, generator: &generator)
        var a = Matrix<Double>.zeros(rows: n, columns: n)
        let rows = max(1, min(n, elementRows ?? 64))
        let flops = 2 * Double(n) * Double(n) * Double(n)
        func timing(_ seconds: Double) -> MatrixMultiplyTiming {
            MatrixMultiplyTiming(seconds: seconds, gigaflops: flops / 1e9 / max(seconds, 1e-12))
        }
        let element = timing(measure { byElement(b, c, into: &a, rows: 0..<rows) } * Double(n) / Double(rows))
        let column = timing(measure { byColumn(b, c, into: &a) })
        let full = timing(measure { whole(b, c, into: &a) })
        let block = timing(measure { byBlocks(b, c, into: &a, blockColumns: blockColumns) })
        return MatrixMultiplyPerformance(n: n, element: element, column: column, full: full, block: block,
                                         elementRows: rows)
    }

    /// Seconds taken by `body` (monotonic clock).
    static func measure(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Rows `rows` of `A = B C`, one element at a time: a scalar dot product of row i of B with
    /// column j of C read in place.
    public static func byElement(_ b: Matrix<Double>, _ c: Matrix<Double>, into a: inout Matrix<Double>,
                                 rows: Range<Int>? = nil) {
        let (n, k, m) = checkShapes(b, c, a)
        let rows = rows ?? 0..<m
        b.storage.withUnsafeBufferPointer { pb in
            c.storage.withUnsafeBufferPointer { pc in
                a.storage.withUnsafeMutableBufferPointer { pa in
                    for i in rows {
                        let row = pb.baseAddress! + i * k
                        for j in 0..<n {
                            pa[i * n + j] = strideDot(row, pc.baseAddress! + j, stride: n, count: k)
                        }
                    }
                }
            }
        }
    }

    /// `A = B C` one column at a time: copy column j of C into a contiguous vector, then take
    /// the SIMD dot product of every row of B with it.
    public static func byColumn(_ b: Matrix<Double>, _ c: Matrix<Double>, into a: inout Matrix<Double>) {
        let (n, k, m) = checkShapes(b, c, a)
        var column = [Double](repeating: 0, count: k)
        b.storage.withUnsafeBufferPointer { pb in
            c.storage.withUnsafeBufferPointer { pc in
                a.storage.withUnsafeMutableBufferPointer { pa in
                    column.withUnsafeMutableBufferPointer { x in
                        for j in 0..<n {
                            for p in 0..<k { x[p] = pc[p * n + j] }
                            for i in 0..<m {
                                pa[i * n + j] = contiguousDot(pb.baseAddress! + i * k, UnsafePointer(x.baseAddress!), count: k)
                            }
                        }
                    }
                }
            }
        }
    }

    /// `A = B C` in one blocked, multithreaded `GEMM` call.
    public static func whole(_ b: Matrix<Double>, _ c: Matrix<Double>, into a: inout Matrix<Double>) {
        _ = checkShapes(b, c, a)
        matmul(b, c, into: &a)
    }

    /// `A[:, J] = B C[:, J]` for consecutive blocks J of `blockColumns` columns (the last block
    /// may be narrower); each block is one `GEMM` call reading C and writing A in place.
    public static func byBlocks(_ b: Matrix<Double>, _ c: Matrix<Double>, into a: inout Matrix<Double>,
                                blockColumns: Int = 64) {
        let (n, k, m) = checkShapes(b, c, a)
        requireValid(blockColumns > 0, "MatrixMultiplyExperiment.byBlocks: blockColumns must be positive, got \(blockColumns)")
        if m == 0 || n == 0 { return }
        if k == 0 {
            a.storage.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            return
        }
        b.storage.withUnsafeBufferPointer { pb in
            c.storage.withUnsafeBufferPointer { pc in
                a.storage.withUnsafeMutableBufferPointer { pa in
                    var j0 = 0
                    while j0 < n {
                        let width = min(blockColumns, n - j0)
                        GEMM.multiply(m: m, n: width, k: k, a: pb.baseAddress!, lda: k,
                                      b: pc.baseAddress! + j0, ldb: n, c: pa.baseAddress! + j0, ldc: n)
                        j0 += width
                    }
                }
            }
        }
    }

    /// Checks `A (m × n) = B (m × k) · C (k × n)` and returns `(n, k, m)`.
    static func checkShapes(_ b: Matrix<Double>, _ c: Matrix<Double>, _ a: Matrix<Double>) -> (Int, Int, Int) {
        requireValid(b.columns == c.rows && a.rows == b.rows && a.columns == c.columns,
                     "MatrixMultiplyExperiment: shapes \(b.rows)×\(b.columns) · \(c.rows)×\(c.columns) → \(a.rows)×\(a.columns) do not agree")
        return (c.columns, b.columns, b.rows)
    }

    /// Σ x[p] · y[p · stride], one term at a time.
    @inline(never)
    static func strideDot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, stride: Int, count: Int) -> Double {
        var sum = 0.0
        for p in 0..<count { sum += x[p] * y[p * stride] }
        return sum
    }

    /// Σ x[p] · y[p] with two SIMD8 accumulators, then the scalar tail.
    static func contiguousDot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int) -> Double {
        let rx = UnsafeRawPointer(x), ry = UnsafeRawPointer(y)
        var s0 = SIMD8<Double>(), s1 = SIMD8<Double>()
        var p = 0
        while p + 16 <= count {
            s0 = s0.addingProduct(rx.loadUnaligned(fromByteOffset: p * 8, as: SIMD8<Double>.self),
                                  ry.loadUnaligned(fromByteOffset: p * 8, as: SIMD8<Double>.self))
            s1 = s1.addingProduct(rx.loadUnaligned(fromByteOffset: p * 8 + 64, as: SIMD8<Double>.self),
                                  ry.loadUnaligned(fromByteOffset: p * 8 + 64, as: SIMD8<Double>.self))
            p += 16
        }
        var sum = (s0 + s1).sum()
        while p < count {
            sum += x[p] * y[p]
            p += 1
        }
        return sum
    }
}

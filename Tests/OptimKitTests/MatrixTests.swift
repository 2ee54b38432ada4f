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

@Suite struct MatrixTests {
    @Test func shapeStorageAndSubscripts() {
        var m = Matrix<Double>(rows: 2, columns: 3, repeating: 0)
        m[1, 2] = 5
        m[0, 1] = -1
        #expect(m.storage == [0, -1, 0, 0, 0, 5])
        #expect(m.row(1) == [0, 0, 5])
        #expect(m.column(1) == [-1, 0])
        let t = m.transposed
        #expect(t.rows == 3 && t.columns == 2)
        #expect(t[2, 1] == 5 && t[1, 0] == -1)
        #expect(t.transposed == m)
        let built = Matrix<Int>(rows: 2, columns: 2) { i, j in 10 * i + j }
        #expect(built.storage == [0, 1, 10, 11])
        #expect(Matrix<Float>.identity(3).storage == [1, 0, 0, 0, 1, 0, 0, 0, 1])
        #expect(Matrix<Double>(rows: 0, columns: 4, repeating: 1).transposed.rows == 4)
    }

    @Test func randomNormalIsSeededAndStandard() {
        var g1 = SeededGenerator(seed: 3), g2 = SeededGenerator(seed: 3), g3 = SeededGenerator(seed: 3)
        let a = Matrix<Double>.randomNormal(rows: 200, columns: 300, generator: &g1)
        let b = Matrix<Double>.randomNormal(rows: 200, columns: 300, generator: &g2)
        #expect(a == b)
        // Same stream as drawing the normals one by one, row by row.
        #expect(Array(a.storage.prefix(5)) == (0..<5).map { _ in g3.normal() })
        let n = Double(a.storage.count)
        let mean = a.storage.reduce(0, +) / n
        let variance = a.storage.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        #expect(abs(mean) < 0.01)
        #expect(abs(variance - 1) < 0.02)
        var g4 = SeededGenerator(seed: 3)
        let f = Matrix<Float>.randomNormal(rows: 200, columns: 300, generator: &g4)
        #expect(f.storage.prefix(5).map(Double.init) == a.storage.prefix(5).map { Double(Float($0)) })
    }

    @Test func productsAgreeWithReference() {
        var rng = SeededGenerator(seed: 9)
        let a = Matrix<Double>.randomNormal(rows: 37, columns: 53, generator: &rng)
        let b = Matrix<Double>.randomNormal(rows: 53, columns: 29, generator: &rng)
        var expected = [Double](repeating: 0, count: 37 * 29)
        GEMMReference.multiply(m: 37, n: 29, k: 53, a: a.storage, lda: 53, b: b.storage, ldb: 29, c: &expected, ldc: 29)
        let products = [a * b, matmul(a.transposed, b, transA: true), matmul(a, b.transposed, transB: true),
                        matmul(a.transposed, b.transposed, transA: true, transB: true)]
        for p in products {
            #expect(p.rows == 37 && p.columns == 29)
            let error = zip(p.storage, expected).map { abs($0 - $1) }.max() ?? 0
            #expect(error < 1e-12)
        }
        // In place with alpha and beta: C = 2 AB - C.
        var c = a * b
        matmul(a, b, into: &c, alpha: 2, beta: -1)
        let error = zip(c.storage, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(error < 1e-12)
        // k = 0: the product of 3 × 0 and 0 × 4 is a zero matrix.
        let empty = Matrix<Float>(rows: 3, columns: 0, repeating: 0) * Matrix<Float>(rows: 0, columns: 4, repeating: 0)
        #expect(empty == Matrix<Float>.zeros(rows: 3, columns: 4))
    }
}

@Suite struct MatrixMultiplyExperimentTests {
    /// All four methods compute the same product (up to rounding) on an odd size with a
    /// ragged last block.
    @Test func methodsAgree() {
        var rng = SeededGenerator(seed: 115)
        let n = 45
        let b = Matrix<Double>.randomNormal(rows: n, columns: n, generator: &rng)
        let c = Matrix<Double>.randomNormal(rows: n, columns: n, generator: &rng)
        var expected = [Double](repeating: 0, count: n * n)
        GEMMReference.multiply(m: n, n: n, k: n, a: b.storage, lda: n, b: c.storage, ldb: n, c: &expected, ldc: n)
        var results: [Matrix<Double>] = []
        var a = Matrix<Double>(rows: n, columns: n, repeating: .nan)
        MatrixMultiplyExperiment.byElement(b, c, into: &a)
        results.append(a)
        a = Matrix<Double>(rows: n, columns: n, repeating: .nan)
        MatrixMultiplyExperiment.byColumn(b, c, into: &a)
        results.append(a)
        a = Matrix<Double>(rows: n, columns: n, repeating: .nan)
        MatrixMultiplyExperiment.whole(b, c, into: &a)
        results.append(a)
        a = Matrix<Double>(rows: n, columns: n, repeating: .nan)
        MatrixMultiplyExperiment.byBlocks(b, c, into: &a, blockColumns: 8)
        results.append(a)
        for (index, result) in results.enumerated() {
            let error = zip(result.storage, expected).map { abs($0 - $1) }.max() ?? .nan
            #expect(error < 1e-12, "method \(index): error \(error)")
        }
        // A subset of rows leaves the others untouched.
        a = Matrix<Double>(rows: n, columns: n, repeating: -7)
        MatrixMultiplyExperiment.byElement(b, c, into: &a, rows: 2..<5)
        #expect(a[1, 3] == -7 && a[5, 0] == -7)
        #expect(abs(a[3, 4] - expected[3 * n + 4]) < 1e-12)
    }

    @Test func runReportsPositiveRatesInTheBookFormat() {
        var rng = SeededGenerator(seed: 1)
        let result = MatrixMultiplyExperiment.run(n: 96, blockColumns: 64, elementRows: 8, generator: &rng)
        #expect(result.elementRows == 8)
        for t in [result.element, result.column, result.full, result.block] {
            #expect(t.seconds > 0 && t.gigaflops > 0 && t.gigaflops.isFinite)
            #expect(abs(t.gigaflops * t.seconds - 2 * pow(96.0, 3) / 1e9) < 1e-9)
        }
        #expect(result.performanceLine.rendered(maskVolatile: true)
                == "Performance in Gigaflops: element <volatile>, column <volatile>, full <volatile>")
        #expect(result.blockLine.rendered(maskVolatile: true) == "Performance in Gigaflops: block <volatile>")
        let shown = result.performanceLine.rendered(maskVolatile: false)
        #expect(shown.hasPrefix("Performance in Gigaflops: element "))
        #expect(shown.contains(String(format: "full %.3f", result.full.gigaflops)))
    }
}

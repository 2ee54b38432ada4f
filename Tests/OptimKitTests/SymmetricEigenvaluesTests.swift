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

@Suite struct SymmetricEigenvaluesTests {
    @Test func smallMatricesWithKnownSpectra() {
        #expect(SymmetricEigenvalues.of([[2, 0], [0, -2]]) == [-2, 2])
        let e = SymmetricEigenvalues.of([[2, 1], [1, 2]])
        #expect(abs(e[0] - 1) < 1e-14 && abs(e[1] - 3) < 1e-14)
        // [[2,-1,0],[-1,2,-1],[0,-1,2]] has eigenvalues 2 − √2, 2, 2 + √2.
        let t = SymmetricEigenvalues.of([[2, -1, 0], [-1, 2, -1], [0, -1, 2]])
        let expected = [2 - 2.0.squareRoot(), 2, 2 + 2.0.squareRoot()]
        for (a, b) in zip(t, expected) { #expect(abs(a - b) < 1e-13) }
        #expect(SymmetricEigenvalues.of([]) == [])
        #expect(SymmetricEigenvalues.of([[5]]) == [5])
    }

    /// For random symmetric matrices the eigenvalues must sum to the trace, their squares to the
    /// squared Frobenius norm, and (checked in 3-D by the determinant) A − λI must be singular.
    @Test func randomMatricesKeepTraceAndFrobeniusNorm() {
        var g = SeededGenerator(seed: 3)
        for n in [2, 3, 5, 8] {
            for _ in 0..<10 {
                var a = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
                for i in 0..<n { for j in i..<n { let v = g.normal(); a[i][j] = v; a[j][i] = v } }
                let e = SymmetricEigenvalues.of(a)
                let trace = (0..<n).reduce(0.0) { $0 + a[$1][$1] }
                let frob = a.reduce(0.0) { $0 + $1.reduce(0) { $0 + $1 * $1 } }
                #expect(abs(e.reduce(0, +) - trace) < 1e-10)
                #expect(abs(e.reduce(0) { $0 + $1 * $1 } - frob) < 1e-10)
                #expect(zip(e, e.dropFirst()).allSatisfy { $0 <= $1 })
                if n == 3 {
                    for lambda in e {
                        var m = a
                        for i in 0..<3 { m[i][i] -= lambda }
                        let det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
                        #expect(abs(det) < 1e-9)
                    }
                }
            }
        }
    }
}

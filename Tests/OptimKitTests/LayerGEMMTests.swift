import Testing
@testable import OptimKit

/// `layerGEMM` against a naive triple loop, for every transpose combination and for
/// sizes that span several tiles.
@Suite struct LayerGEMMTests {
    static func naive(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double,
                      _ a: [Double], _ b: [Double], _ beta: Double, _ c: [Double]) -> [Double] {
        var out = c
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let av = transA ? a[p * m + i] : a[i * k + p]
                    let bv = transB ? b[j * k + p] : b[p * n + j]
                    sum += av * bv
                }
                out[i * n + j] = alpha * sum + beta * c[i * n + j]
            }
        }
        return out
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matchesNaive(transA: Bool, transB: Bool) {
        var rng = SeededGenerator(seed: 11)
        for (m, n, k) in [(1, 1, 1), (3, 5, 2), (40, 300, 70), (33, 129, 65), (3, 7, 9000)] {
            let a = (0..<(m * k)).map { _ in rng.uniform(-1, 1) }
            let b = (0..<(k * n)).map { _ in rng.uniform(-1, 1) }
            let c = (0..<(m * n)).map { _ in rng.uniform(-1, 1) }
            for (alpha, beta) in [(1.0, 0.0), (0.5, 1.0), (-2.0, 0.25)] {
                let expected = Self.naive(transA, transB, m, n, k, alpha, a, b, beta, c)
                var got = c
                layerGEMM(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                          a: a, lda: transA ? m : k, b: b, ldb: transB ? k : n,
                          beta: beta, c: &got, ldc: n)
                let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? 0
                #expect(worst < 1e-15 * Double(k + 100), "m \(m) n \(n) k \(k): \(worst)")
                var single = c.map { Float($0) }
                layerGEMM(transA: transA, transB: transB, m: m, n: n, k: k, alpha: Float(alpha),
                          a: a.map { Float($0) }, lda: transA ? m : k, b: b.map { Float($0) }, ldb: transB ? k : n,
                          beta: Float(beta), c: &single, ldc: n)
                let worstFloat = zip(single, expected).map { abs(Double($0) - $1) }.max() ?? 0
                #expect(worstFloat < 1e-4 * Double(k), "Float m \(m) n \(n) k \(k): \(worstFloat)")
            }
        }
    }

    @Test func betaZeroClearsNaN() {
        var c: [Double] = [.nan, .nan]
        layerGEMM(transA: false, transB: false, m: 1, n: 2, k: 1, alpha: 1, a: [2.0], lda: 1,
                  b: [1.0, 3.0], ldb: 2, beta: 0, c: &c, ldc: 2)
        #expect(c == [2, 6])
    }

    @Test func layerMathMatchesFoundation() {
        for x in stride(from: -700.0, through: 700.0, by: 0.37) {
            let e = LayerMath.exp(x), f = Foundation.exp(x)
            #expect(abs(e - f) <= 4 * f.ulp, "exp(\(x))")
        }
        #expect(abs(LayerMath.exp(1) - 2.718281828459045) <= 2 * (2.718281828459045).ulp)
        #expect(LayerMath.log(1) == 0 && LayerMath.exp(0) == 1)
        #expect(LayerMath.exp(-800) == 0 && LayerMath.exp(800) == .infinity && LayerMath.exp(.nan).isNaN)
        #expect(LayerMath.log(0) == -.infinity && LayerMath.log(-1).isNaN && LayerMath.log(.nan).isNaN)
        let tiny = Double.leastNormalMagnitude / 1000
        #expect(abs(LayerMath.log(tiny) - Foundation.log(tiny)) < 1e-12)
    }
}

import Foundation

import Foundation
import Testing
@testable import OptimIO
@testable import OptimKit
@testable import OptimKernels
@testable import OptimData
@testable import OptimTraining
@testable import OptimPlot
@testable import OptimNotebook
@testable import OptimBook

/// The O(1/T) bound helper, Cholesky, the least-squares finite sum, its GD/SGD baselines and
/// SVRG (11.3 and 11.4), plus the small notebook and plot helpers added with them.
@Suite struct FiniteSumAndRateTests {
    static func problem(seed: UInt64 = 11, terms: Int = 40, dimension: Int = 3, smallestScale: Double = 0.3,
                        regularization: Double = 1e-2) -> LeastSquaresSum {
        var rng = SeededGenerator(seed: seed)
        return LeastSquaresSum.random(terms: terms, dimension: dimension, smallestScale: smallestScale, noise: 0.5,
                                      regularization: regularization, generator: &rng)
    }

    static func norm2(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 } }

    // MARK: - SmoothConvexGDBound

    @Test func boundFormulas() {
        #expect(SmoothConvexGDBound.value(distanceSquared: 29, learningRate: 0.25, steps: 10) == 5.8)
        #expect(SmoothConvexGDBound.descentLemmaValue(value: 9, gradientNormSquared: 36, learningRate: 0.25, smoothness: 2) == 2.25)
        #expect(SmoothConvexGDBound.stepBound(distanceSquaredBefore: 5, distanceSquaredAfter: 3, learningRate: 0.5) == 2)
    }

    /// Gradient descent with η = 1/L on a convex quadratic obeys the descent lemma, the per-step
    /// inequality and the O(1/T) bound at every step. With η well above 2/L the descent lemma,
    /// an upper bound valid for every η, still holds, but f grows and the O(1/T) bound fails.
    @Test func boundHoldsForGradientDescentAndCanFailAboveTheLimit() throws {
        let f = Self.problem()
        let xStar = f.minimizer, fStar = f.value(xStar)
        let L = f.hessianEigenvalues.last!
        func run(_ eta: Double, steps: Int) -> (lemma: Bool, step: Bool, bound: Bool) {
            var x = [Double](repeating: 3, count: f.dimension)
            let r2 = Self.norm2(zip(x, xStar).map { $0 - $1 })
            var lemma = true, step = true, bound = true
            for t in 1...steps {
                let g = f.gradient(x)
                let before = f.value(x), dBefore = Self.norm2(zip(x, xStar).map { $0 - $1 })
                x = zip(x, g).map { $0 - eta * $1 }
                let after = f.value(x), dAfter = Self.norm2(zip(x, xStar).map { $0 - $1 })
                let tol = 1e-12 * max(1, abs(before))
                if after > SmoothConvexGDBound.descentLemmaValue(value: before, gradientNormSquared: Self.norm2(g), learningRate: eta, smoothness: L) + tol { lemma = false }
                if after - fStar > SmoothConvexGDBound.stepBound(distanceSquaredBefore: dBefore, distanceSquaredAfter: dAfter, learningRate: eta) + tol { step = false }
                if after - fStar > SmoothConvexGDBound.value(distanceSquared: r2, learningRate: eta, steps: t) + tol { bound = false }
            }
            return (lemma, step, bound)
        }
        let good = run(1 / L, steps: 200)
        #expect(good.lemma && good.step && good.bound)
        let bad = run(2.5 / L, steps: 30)       // diverges along the steepest direction
        #expect(bad.lemma && !bad.bound)
    }

    // MARK: - Cholesky

    @Test func choleskySolvesAndReconstructs() throws {
        let h = [4.0, 2, 2, 3]
        let r = try Cholesky(matrix: h, dimension: 2)
        let x = r.solve([2, 1])
        #expect(abs(x[0] - 0.5) < 1e-15 && abs(x[1]) < 1e-15)
        var rng = SeededGenerator(seed: 3)
        let d = 7
        let b = rng.normals(d * d)
        var spd = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for j in 0..<d {
            for k in 0..<d { spd[i * d + j] += b[i * d + k] * b[j * d + k] }
            if i == j { spd[i * d + j] += 1 }
        } }
        let c = try Cholesky(matrix: spd, dimension: d)
        for i in 0..<d { for j in 0..<d {
            var s = 0.0
            for k in 0..<d { s += c.lower[i * d + k] * c.lower[j * d + k] }
            #expect(abs(s - spd[i * d + j]) < 1e-12, "R Rᵀ entry (\(i), \(j))")
        } }
        let rhs = rng.normals(d)
        let sol = c.solve(rhs)
        for i in 0..<d {
            var s = 0.0
            for j in 0..<d { s += spd[i * d + j] * sol[j] }
            #expect(abs(s - rhs[i]) < 1e-12)
        }
    }

    @Test func choleskyRejectsBadInput() {
        #expect(throws: Cholesky.Failure.notPositiveDefinite(column: 1)) { try Cholesky(matrix: [1, 2, 2, 1], dimension: 2) }
        #expect(throws: Cholesky.Failure.wrongSize(expected: 4, got: 3)) { try Cholesky(matrix: [1, 0, 1], dimension: 2) }
    }

    /// The closed form of the operation count equals the count of the loops it describes.
    @Test func choleskyFlopCountMatchesTheLoops() {
        for d in 0...40 {
            var counted = 0
            for j in 0..<d { counted += 2 * j + 1 + (d - 1 - j) * (2 * j + 1) }
            #expect(Cholesky.factorizationFlops(d) == counted, "d = \(d)")
        }
        #expect(Cholesky.factorizationFlops(2) == 5)
        #expect(Cholesky.solveFlops(3) == 18)
        let d = 3000
        let ratio = Double(Cholesky.factorizationFlops(d)) / (Double(d) * Double(d) * Double(d) / 3)
        #expect(abs(ratio - 1) < 1e-3)
    }

    // MARK: - LeastSquaresSum

    @Test func leastSquaresGradientsMatchCentralDifferences() {
        let f = Self.problem()
        var rng = SeededGenerator(seed: 5)
        let x = rng.normals(f.dimension)
        let numeric = Numerical.gradient(f.value, at: x)
        let analytic = f.gradient(x)
        for (a, n) in zip(analytic, numeric) { #expect(abs(a - n) <= 1e-6 * max(1, abs(n))) }
        // One term, as a function of x alone.
        let i = 7
        let term = { (v: [Double]) -> Double in
            let r = zip(f.rows[i], v).reduce(-f.targets[i]) { $0 + $1.0 * $1.1 }
            return 0.5 * r * r + 0.5 * f.regularization * Self.norm2(v)
        }
        for (a, n) in zip(f.termGradient(i, at: x), Numerical.gradient(term, at: x)) {
            #expect(abs(a - n) <= 1e-6 * max(1, abs(n)))
        }
    }

    @Test func leastSquaresConstantsAreConsistent() {
        let f = Self.problem()
        let xStar = f.minimizer
        #expect(f.gradient(xStar).allSatisfy { abs($0) < 1e-12 })
        let eigen = f.hessianEigenvalues
        #expect(eigen == eigen.sorted())
        #expect(eigen[0] > 0)
        #expect(f.largestTermSmoothness >= eigen.last!)
        // Along the top eigen-direction the curvature is L: f(x* + t v) − f* = (L/2) t² ‖v‖² for
        // the power-iteration vector v (up to convergence of the iteration).
        var v = [Double](repeating: 1, count: f.dimension)
        let h = f.hessian, d = f.dimension
        for _ in 0..<500 {
            v = (0..<d).map { i in (0..<d).reduce(0) { $0 + h[i * d + $1] * v[$1] } }
            let n = Self.norm2(v).squareRoot()
            v = v.map { $0 / n }
        }
        let t = 0.1
        let moved = zip(xStar, v).map { $0 + t * $1 }
        #expect(abs((f.value(moved) - f.value(xStar)) / (0.5 * t * t) - eigen.last!) < 1e-8)
    }

    // MARK: - Baselines and SVRG

    @Test func baselinesCountTermGradientsAndAreReproducible() {
        let f = Self.problem()
        let x0 = [Double](repeating: 0, count: f.dimension)
        let L = f.hessianEigenvalues.last!
        let gd = FiniteSumDescent.gradientDescent(f, learningRate: 1 / L, start: x0, passes: 5)
        #expect(gd.evaluations == [0, 40, 80, 120, 160, 200])
        let values = gd.points.map(f.value)
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 >= $1 })
        var a = SeededGenerator(seed: 9), b = SeededGenerator(seed: 9)
        let schedule = ConstantSchedule(learningRate: 0.01)
        let s1 = FiniteSumDescent.sgd(f, schedule: schedule, start: x0, passes: 3, generator: &a)
        let s2 = FiniteSumDescent.sgd(f, schedule: schedule, start: x0, passes: 3, generator: &b)
        #expect(s1 == s2)
        #expect(s1.evaluations == [0, 40, 80, 120])
        #expect(s1.passes(termCount: 40) == [0, 1, 2, 3])
    }

    @Test func svrgConvergesLinearlyAndSpendsExactlyTheBudget() {
        // A well-conditioned sum, so that a short test run reaches high accuracy.
        let f = Self.problem(smallestScale: 1, regularization: 0.1)
        let xStar = f.minimizer, fStar = f.value(xStar)
        let x0 = [Double](repeating: 0, count: f.dimension)
        var rng = SeededGenerator(seed: 21)
        let trace = SVRG(learningRate: 0.25 / f.largestTermSmoothness).run(f, start: x0, passes: 100, generator: &rng)
        #expect(trace.evaluations.last == 100 * 40)
        #expect(trace.evaluations == (0...100).map { $0 * 40 })
        let gaps = trace.suboptimality(f, optimum: fStar)
        #expect(gaps.last! < 1e-9 * gaps[0], "SVRG should reach high accuracy: \(gaps.last!)")
        // Plain SGD with the same constant step stalls at its noise floor.
        var rng2 = SeededGenerator(seed: 21)
        let sgd = FiniteSumDescent.sgd(f, schedule: ConstantSchedule(learningRate: 0.25 / f.largestTermSmoothness),
                                       start: x0, passes: 100, generator: &rng2)
        #expect(sgd.suboptimality(f, optimum: fStar).last! > 1e3 * gaps.last!)
    }

    /// At x = x̃ = x* the SVRG direction is exactly ∇f(x*) = 0 for every term: the iterate stays.
    @Test func svrgDirectionVanishesAtTheOptimum() {
        let f = Self.problem()
        let xStar = f.minimizer
        var rng = SeededGenerator(seed: 2)
        let trace = SVRG(learningRate: 0.1, innerSteps: 50).run(f, start: xStar, passes: 4, generator: &rng)
        for p in trace.points {
            #expect(zip(p, xStar).allSatisfy { abs($0 - $1) < 1e-12 })
        }
    }

    // MARK: - Helpers

    @Test func geometricContourLevels() {
        #expect(ContourLevels.geometric(from: 0.25, to: 32) == .values([0.25, 0.5, 1, 2, 4, 8, 16, 32]))
        #expect(ContourLevels.geometric(from: 1, to: 10, ratio: 3) == .values([1, 3, 9]))
    }

    @Test func terminalProseKeepsLinkTextOnly() {
        #expect(TextWrap.plain("see [Preconditioning](#preconditioning) and [11.4](../Ch11_4_SGD/README.md#x).")
                == "see Preconditioning and 11.4.")
    }
}

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

@Suite struct ObjectiveGradientTests {
    static let points: [Double] = [-7.3, -2, -0.4, 0, 0.3, 1, 2.5, 9.9]

    @Test(arguments: [Objective1D.square, .xCos(c: 0.15 * Double.pi), .cosh(c: 0.5), .logSumExp])
    func derivativesMatchCentralDifferences(_ f: Objective1D) {
        for x in Self.points {
            let d = Numerical.derivative(f.value, at: x)
            #expect(abs(f.derivative(x) - d) <= 1e-6 * max(1, abs(d)), "f' of \(f.name) at \(x)")
            if let h = f.secondDerivative {
                let dd = Numerical.derivative(f.derivative, at: x)
                #expect(abs(h(x) - dd) <= 1e-6 * max(1, abs(dd)), "f'' of \(f.name) at \(x)")
            }
        }
    }

    @Test func knownMinimizersAreStationary() {
        for f in [Objective1D.square, .cosh(c: 0.5), .logSumExp] {
            let x = f.minimizer!
            #expect(abs(f.derivative(x)) < 1e-12, "\(f.name)")
        }
    }

    @Test func twoDimensionalGradientsAndHessians() {
        let base = Objective2D.ellipse(a: 0.1, b: 2)
        let objectives = [Objective2D.ellipse(a: 1, b: 2), base,
                          PreconditionedDescent.rotated(base, by: Double.pi / 4),
                          PreconditionedDescent.rotated(base, by: 0.3),
                          Objective2D.quadratic(a11: 2, a12: 0.5, a22: 1, name: "q")]
        for f in objectives {
            let n = ObjectiveND(f)
            for p in [[-5.0, -2.0], [0.7, -1.1], [3, 4]] {
                let check = GradientCheck.check(n.value, gradient: n.gradient, at: p)
                #expect(check.passes(), "gradient of \(f.name) at \(p): \(check)")
                let hNum = Numerical.hessian(of: n.gradient, at: p)
                let h = n.hessian!(p)
                for i in 0..<2 { for j in 0..<2 {
                    #expect(abs(h[i][j] - hNum[i][j]) < 1e-6, "H[\(i)][\(j)] of \(f.name)")
                } }
            }
            if let m = f.minimizer {
                let g = f.gradient(m)
                #expect(abs(g.x) < 1e-12 && abs(g.y) < 1e-12)
            }
        }
    }

    @Test func gradientCheckCatchesAWrongGradient() {
        // The check must be able to fail: a gradient off by a factor of 2 in one coordinate.
        let check = GradientCheck.check({ v in v[0] * v[0] + v[1] * v[1] }, gradient: { v in [2 * v[0], v[1]] }, at: [1, 2])
        #expect(!check.passes())
    }
}

@Suite struct DescentTests {
    @Test func gradientDescentOnSquareFollowsTheClosedForm() {
        let run = Descent1D.gradientDescent(.square, learningRate: 0.2)
        #expect(run.iterates.count == 11)
        #expect(abs(run.final - 10 * pow(0.6, 10)) < 1e-12)
    }

    @Test func newtonOnAQuadraticTakesOneStep() {
        let half = Objective1D(name: "x^2/2", value: { $0 * $0 / 2 }, derivative: { $0 }, secondDerivative: { _ in 1 }, minimizer: 0)
        #expect(Descent1D.newton(half, steps: 1).final == 0)
    }

    @Test func absoluteCurvatureNewtonNeverIncreasesTheFunctionOnXCosHere() {
        let f = Objective1D.xCos(c: 0.15 * Double.pi)
        let run = Descent1D.newton(f, learningRate: 0.5, absoluteCurvature: true)
        #expect(f.value(run.final) < f.value(10))
    }

    @Test func divergentRunsReportNonFiniteValuesInPythonSpelling() {
        let run = Descent1D.gradientDescent(.square, learningRate: 1e200, steps: 3)
        #expect(run.summary == "epoch 3, x: -inf" || run.summary == "epoch 3, x: inf" || run.summary == "epoch 3, x: nan")
        #expect(CFormat.format("%f", .nan) == "nan")
        #expect(CFormat.format("x1 %f", -.infinity) == "x1 -inf")
    }

    @Test func train2DKeepsEveryIterateAndState() {
        let trace = train2D(steps: 3) { s in State2D(x1: s.x1 + 1, x2: s.x2, s1: s.s1 + 1, s2: 0) }
        #expect(trace.points.count == 4)
        #expect(trace.states.last?.s1 == 3)
        #expect(trace.summary == "epoch 3, x1 -2.000000, x2 -2.000000")
    }

    @Test func bisectionAndGoldenSectionFindTheMinimizer() {
        let f = Objective1D.logSumExp
        let b = LineSearch.bisection(f.derivative, in: -5...5, tolerance: 1e-10)
        let g = LineSearch.goldenSection(f.value, in: -5...5, tolerance: 1e-10)
        #expect(abs(b.minimizer - f.minimizer!) < 1e-9)
        #expect(abs(g.minimizer - f.minimizer!) < 1e-7)
        #expect(b.iterations == 37)
    }

    @Test func exactLineSearchOnAQuadraticMakesOrthogonalSteps() {
        let f = Objective2D.ellipse(a: 1, b: 2)
        let (trace, _) = LineSearch.steepestDescent(f, steps: 3)
        for k in 0..<2 {
            let d1 = trace.points[k + 1] - trace.points[k], d2 = trace.points[k + 2] - trace.points[k + 1]
            let cos = (d1 * d2).sum() / ((d1 * d1).sum().squareRoot() * (d2 * d2).sum().squareRoot())
            #expect(abs(cos) < 1e-6)
        }
    }

    @Test func diagonalPreconditioningSolvesAnAxisAlignedQuadraticInOneStep() {
        let trace = PreconditionedDescent.run(.ellipse(a: 0.1, b: 2), learningRate: 1, steps: 1)
        #expect(abs(trace.final.x) < 1e-12 && abs(trace.final.y) < 1e-12)
    }
}

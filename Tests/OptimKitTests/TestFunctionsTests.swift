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

@Suite struct TestFunctionsTests {
    @Test func oneDimensionalDerivativesMatchCentralDifferences() {
        for f in [Objective1D.cube, .tanh, .cubicWithLocalMinimum] {
            for x in stride(from: -2.5, through: 4.5, by: 0.25) {
                let d = Numerical.derivative(f.value, at: x)
                #expect(abs(f.derivative(x) - d) <= 1e-7 * max(1, abs(d)), "\(f.name) f' at \(x)")
                let dd = Numerical.derivative(f.derivative, at: x)
                #expect(abs(f.secondDerivative!(x) - dd) <= 1e-7 * max(1, abs(dd)), "\(f.name) f'' at \(x)")
            }
        }
    }

    @Test func tanhSlopeAtFourIsTheBooksNumber() {
        #expect(CFormat.format("%.4f", Objective1D.tanh.derivative(4)) == "0.0013")
    }

    @Test func cubicHasALocalButNoGlobalMinimumAtOne() {
        let f = Objective1D.cubicWithLocalMinimum
        #expect(f.derivative(1) == 0 && f.secondDerivative!(1) > 0)
        #expect(f.value(-2) < f.value(1))
        #expect(abs(f.derivative(-1.0 / 3)) < 1e-15 && f.secondDerivative!(-1.0 / 3) < 0)
    }

    @Test func saddleGradientAndHessianMatchNumerics() {
        let f = Objective2D.saddle
        for p in [Point2D(-1, 1e-3), Point2D(0.3, -0.7), Point2D(2, 5)] {
            let check = GradientCheck.check({ f.value(Point2D($0[0], $0[1])) },
                                            gradient: { let g = f.gradient(Point2D($0[0], $0[1])); return [g.x, g.y] },
                                            at: [p.x, p.y])
            #expect(check.passes(), "\(check)")
            let h = Numerical.hessian(of: { let g = f.gradient(Point2D($0[0], $0[1])); return [g.x, g.y] }, at: [p.x, p.y])
            let exact = f.hessian!(p)
            for i in 0..<2 { for j in 0..<2 { #expect(abs(h[i][j] - exact[i][j]) < 1e-8) } }
        }
        #expect(f.gradient(Point2D(0, 0)) == Point2D(0, 0))
    }

    @Test func secondOrderTestClassifiesTheExamples() {
        #expect(StationaryPoint.classify(hessian: Objective2D.saddle.hessian!(Point2D(0, 0))) == .saddle)
        #expect(StationaryPoint.classify(hessian: [[2, 0], [0, 4]]) == .minimum)
        #expect(StationaryPoint.classify(hessian: [[-1, 0.5], [0.5, -1]]) == .maximum)
        #expect(StationaryPoint.classify(secondDerivative: Objective1D.cube.secondDerivative!(0)) == .inconclusive)
        #expect(StationaryPoint.classify(hessian: [[1, 2], [2, 1]]) == .saddle)   // eigenvalues −1 and 3
    }
}

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

/// Gradients and Hessians of the 2-D test surfaces against central differences, and their
/// minimizers.
@Suite struct TestFunctionTests {
    static let probes = [Point2D(-1.2, 1), Point2D(0.3, -0.7), Point2D(2.5, 0.4), Point2D(-3, -2)]

    func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(1, abs(a) + abs(b)) }

    @Test(arguments: ["rosenbrock", "beale", "booth", "saddle", "himmelblau", "ellipse", "ill-conditioned"])
    func derivativesMatchCentralDifferences(name: String) throws {
        let f = try Objective2D.named(name)
        let hessian = try #require(f.hessian)
        for p in Self.probes {
            let check = GradientCheck.check({ v in f.value(Point2D(v[0], v[1])) },
                                            gradient: { v in let g = f.gradient(Point2D(v[0], v[1])); return [g.x, g.y] },
                                            at: [p.x, p.y], h: 1e-6)
            #expect(check.passes(tolerance: 1e-6), "\(name) at \(p): \(check)")
            let numeric = Numerical.hessian(of: { v in let g = f.gradient(Point2D(v[0], v[1])); return [g.x, g.y] },
                                            at: [p.x, p.y])
            let exact = hessian(p)
            for i in 0..<2 { for j in 0..<2 {
                #expect(relativeError(exact[i][j], numeric[i][j]) < 1e-6, "\(name) H[\(i)][\(j)] at \(p)")
            } }
        }
    }

    @Test(arguments: ["rosenbrock", "beale", "booth", "himmelblau"])
    func minimizersAreStationaryWithValueZero(name: String) throws {
        let f = try Objective2D.named(name)
        let m = try #require(f.minimizer)
        #expect(abs(f.value(m)) < 1e-12)
        let g = f.gradient(m)
        #expect(abs(g.x) < 1e-12 && abs(g.y) < 1e-12)
        // Positive definite Hessian there: a strict minimum.
        let hessian = try #require(f.hessian)
        let h = hessian(m)
        #expect(h[0][0] > 0 && h[0][0] * h[1][1] - h[0][1] * h[1][0] > 0)
    }

    @Test func knownValues() {
        #expect(Objective2D.rosenbrock().value(Point2D(0, 0)) == 1)
        #expect(Objective2D.rosenbrock().gradient(Point2D(0, 0)) == Point2D(-2, 0))
        #expect(Objective2D.beale.value(Point2D(0, 0)) == 1.5 * 1.5 + 2.25 * 2.25 + 2.625 * 2.625)
        #expect(Objective2D.booth.value(Point2D(0, 0)) == 74)
        #expect(Objective2D.himmelblau.value(Point2D(0, 0)) == 170)
        #expect(Objective2D.saddle.value(Point2D(1, 2)) == -3)
        #expect(Objective2D.saddle.minimizer == nil)
        let h = Objective2D.saddle.hessian!(Point2D(0, 0))
        #expect(h[0][0] * h[1][1] < 0)   // indefinite: a saddle
    }

    @Test func unknownNamesAreReported() {
        #expect(throws: UnknownTestFunction(name: "banana")) { try Objective2D.named("banana") }
        #expect(UnknownTestFunction(name: "x").description.contains("rosenbrock"))
    }
}

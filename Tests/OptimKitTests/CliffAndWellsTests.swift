import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Testing

/// The two 1-D landscapes of the lecture topics: a bowl with a cliff (exploding gradients,
/// 11.5) and two wells of different depth (momentum rolling over a rim, 11.6).
@Suite struct CliffAndWellsTests {
    @Test func cliffDerivativesMatchCentralDifferences() {
        let f = Objective1D.cliff()
        // Away from the wall's two edges (where f'' jumps) the derivatives are smooth.
        for x in [-4.0, -1, 0.5, 0.85, 0.95, 1.0, 1.07, 1.15, 1.5, 3] {
            let d = Numerical.derivative(f.value, at: x, h: 1e-6)
            #expect(abs(d - f.derivative(x)) <= 1e-6 * max(1, abs(d)), "f' at \(x): \(f.derivative(x)) vs \(d)")
            let dd = Numerical.derivative(f.derivative, at: x, h: 1e-6)
            #expect(abs(dd - f.secondDerivative!(x)) <= 1e-5 * max(1, abs(dd)), "f'' at \(x)")
        }
    }

    @Test func cliffHasItsAdvertisedShape() {
        let f = Objective1D.cliff()   // m 2, h 20, c 1, w 0.2
        #expect(f.value(0) == 2)                               // ½(0 − 2)², below the wall
        #expect(f.value(1.5) == 0.125 + 20)                     // above the wall: the full height
        #expect(f.derivative(1) == -1 + 20 * 1.5 / 0.4)         // steepest point, 0.75 h / w − 1
        #expect(abs(f.derivative(0.8) + 1.2) < 1e-12 && abs(f.derivative(1.2) + 0.8) < 1e-12)   // the edges: bowl only
    }

    @Test func quarticWellsHaveTheirStationaryPointsAndDepths() {
        let f = Objective1D.quarticWells()
        for x in [-2.0, -1, 3] { #expect(abs(f.derivative(x)) < 1e-15) }
        #expect(abs(f.value(-2) - 0.2) < 1e-12 && abs(f.value(-1) - 0.275) < 1e-12 && abs(f.value(3) + 2.925) < 1e-12)
        #expect(f.secondDerivative!(-2) > 0 && f.secondDerivative!(-1) < 0 && f.secondDerivative!(3) > 0)
        for x in [-4.0, -1.7, 0.3, 2.2, 5] {
            let d = Numerical.derivative(f.value, at: x)
            #expect(abs(d - f.derivative(x)) <= 1e-8 * max(1, abs(d)))
            let dd = Numerical.derivative(f.derivative, at: x)
            #expect(abs(dd - f.secondDerivative!(x)) <= 1e-8 * max(1, abs(dd)))
        }
    }

    /// Plain gradient descent from −4 stops in the shallow well; momentum 0.9 rolls over the rim.
    @Test func momentumRollsOverTheRimGradientDescentDoesNot() {
        let f = Objective1D.quarticWells()
        let gd = train1D(optimizer: SGD(learningRate: 0.1), objective: f, start: -4, steps: 100)
        let heavy = train1D(optimizer: Momentum(learningRate: 0.1, momentum: 0.9), objective: f, start: -4, steps: 100)
        #expect(abs(gd.last! + 2) < 1e-2)
        #expect(abs(heavy.last! - 3) < 2e-2)
    }

    @Test func train1DReproducesTheBooksGradientDescent() {
        #expect(train1D(optimizer: SGD(learningRate: 0.2), objective: .square).last! == 0.06046617599999997)
        #expect(train1D(optimizer: SGD(learningRate: 0.2), objective: .square, steps: 0) == [10])
    }

    /// Clipping caps every step at η·c, so the wall cannot throw the iterate back.
    @Test func clippingBoundsTheStepAtTheCliff() {
        let f = Objective1D.cliff()
        let plain = train1D(optimizer: SGD(learningRate: 0.15), objective: f, start: -4, steps: 60)
        let clipped = train1D(optimizer: ClippedByNorm(maxNorm: 5, base: SGD(learningRate: 0.15)),
                              objective: f, start: -4, steps: 60)
        let longest = { (xs: [Double]) in zip(xs, xs.dropFirst()).map { abs($1 - $0) }.max()! }
        #expect(longest(plain) > 5)
        #expect(longest(clipped) <= 0.75 + 1e-12)
        #expect(clipped.allSatisfy { $0 < 1.2 })   // never onto the plateau
    }
}

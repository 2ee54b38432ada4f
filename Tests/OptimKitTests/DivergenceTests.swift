@testable import OptimIO
@testable import OptimKit
@testable import OptimKernels
@testable import OptimData
@testable import OptimTraining
@testable import OptimPlot
@testable import OptimNotebook
@testable import OptimBook
import Testing

@Suite struct DivergenceTests {
    @Test func firstStepPastTheBoundAndFirstNonFiniteStep() {
        let d = Divergence.detect(distances: [1, 10, 2e6, 5e9, .infinity, .nan], bound: 1e6)
        #expect(d == Divergence(step: 2, reason: .beyondBound(distance: 2e6, bound: 1e6), firstNonFiniteStep: 4))
    }

    @Test func aNonFiniteValueCountsEvenWhenTheIterateIsFinite() {
        let d = Divergence.detect(distances: [1, 2, 3], values: [1, .infinity, 4], bound: 1e6)
        #expect(d == Divergence(step: 1, reason: .nonFinite, firstNonFiniteStep: 1))
    }

    @Test func aConvergingRunHasNoDivergence() {
        #expect(Divergence.detect(distances: [5, 2.5, 1.25, 0.6], bound: 5e6) == nil)
        #expect(Divergence.bound(startDistance: 5) == 5e6)
        #expect(Divergence.bound(startDistance: 0.01) == 1e6)
    }

    /// 11.6 with η = 100: x₂ is multiplied by about −400 per step, past 10⁶ · 5.385 at step 3.
    @Test func momentumWithAHugeRateOnTheIllConditionedQuadratic() throws {
        let f = Objective2D.ellipse(a: 0.1, b: 2)
        let path = train2D(optimizer: Momentum(learningRate: 100, momentum: 0.5), objective: f).points
        let d = try #require(Divergence.detect(points: path, objective: f))
        #expect(d.step == 3)
        guard case .beyondBound(let distance, let bound) = d.reason else { Issue.record("\(d)"); return }
        #expect(abs(distance - 1.26723e8) < 1e4)
        #expect(abs(bound - 1e6 * (29.0).squareRoot()) < 1e-6)
    }

    @Test func curvaturesOfQuadraticsOnly() throws {
        let c = try #require(StepSizeCondition.curvatures(of: .ellipse(a: 0.1, b: 2)))
        #expect(abs(c.smallest - 0.2) < 1e-15 && abs(c.largest - 4) < 1e-15)
        let rotated = try #require(StepSizeCondition.curvatures(of: .quadratic(a11: 2, a12: 1, a22: 2, name: "q")))
        #expect(abs(rotated.smallest - 1) < 1e-12 && abs(rotated.largest - 3) < 1e-12)
        #expect(StepSizeCondition.curvatures(of: try Objective2D.named("rosenbrock")) == nil)   // Hessian varies
        #expect(StepSizeCondition.curvatures(of: try Objective2D.named("saddle")) == nil)       // not convex
    }

    /// The momentum limit 2 + 2β agrees with the spectral radius crossing 1.
    @Test func conditionsMatchTheStabilityAnalysis() {
        let f = Objective2D.ellipse(a: 0.1, b: 2)
        let momentum = StepSizeCondition.momentum(beta: 0.5)
        #expect(momentum.limit == 3)
        #expect(momentum.violation(eta: 0.7, objective: f) == nil)            // 2.8 < 3
        #expect(momentum.violation(eta: 0.8, objective: f)?.etaLambda == 3.2)
        #expect(MomentumStability.spectralRadius(.heavyBall, beta: 0.5, etaLambda: 2.8) < 1)
        #expect(MomentumStability.spectralRadius(.heavyBall, beta: 0.5, etaLambda: 3.2) > 1)
        #expect(StepSizeCondition.gradientDescent.violation(eta: -0.1, objective: f) != nil)   // ascent
        #expect(StepSizeCondition.gradientDescent.violation(eta: 0.45, objective: f) == nil)   // 1.8 < 2
    }

    @Test func readableNumbers() {
        #expect(ReadableNumber.format(-0.0576460752) == "-0.057646")
        #expect(ReadableNumber.format(999_999.5) == "999999.500000")
        #expect(ReadableNumber.format(-1.2734781e21) == "-1.27348e+21")
        #expect(ReadableNumber.format(.nan) == "nan")
        #expect(ReadableNumber.format(-.infinity) == "-inf")
        let trace = Trace2D(points: [Point2D(-5, -2), Point2D(3.2e18, -1.27e21)])
        #expect(trace.readableSummary == "epoch 1, x1 3.2e+18, x2 -1.27e+21")
        let book = Trace2D(points: [Point2D(-5, -2), Point2D(-0.057646, -0.000073)])
        #expect(book.readableSummary == book.summary)
    }

    @Test func oneSentenceForEachCase() throws {
        let f = Objective2D.ellipse(a: 0.1, b: 2)
        let diverged = train2D(optimizer: Momentum(learningRate: 100, momentum: 0.5), objective: f).points
        let text = try #require(DivergenceReport.sentence(points: diverged, objective: f, eta: 100, condition: .momentum(beta: 0.5)))
        #expect(text.hasPrefix("This run diverged: at step 3 the iterate was 1.26723e+08 away from the minimizer, past the bound of 5.38516e+06 (a million times its starting distance); ηλ = 400 breaks"))
        #expect(text.hasSuffix("(λ = 4 is its largest curvature)."))
        #expect(text.filter { $0 == "." }.count <= 4)   // decimals and the full stop: one sentence
        let stable = train2D(optimizer: Momentum(learningRate: 0.3, momentum: 0.5), objective: f).points
        #expect(DivergenceReport.sentence(points: stable, objective: f, eta: 0.3, condition: .momentum(beta: 0.5)) == nil)
        let unknown = DivergenceReport.sentence(points: diverged, objective: f, eta: 100, condition: nil)
        #expect(unknown?.contains("stability condition") == false)
    }
}

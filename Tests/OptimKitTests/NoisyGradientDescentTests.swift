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

@Suite struct NoisyGradientDescentTests {
    // MARK: Schedules

    @Test func polynomialSchedule() {
        let s = PolynomialSchedule(initialLR: 1, beta: 0.1)
        #expect(s(0) == 1)
        #expect(s(30) == 0.5)
        #expect(abs(s(10) - 1 / 2.0.squareRoot()) <= 1e-16)
        // α = 1 is inverse-time decay.
        let inverse = PolynomialSchedule(initialLR: 0.3, beta: 0.5, alpha: 1)
        let reference = InverseTimeSchedule(initialLR: 0.3, decayRate: 0.5)
        for t in 0..<20 { #expect(abs(inverse(t) - reference(t)) <= 1e-15 * reference(t)) }
        #expect(PolynomialSchedule(initialLR: 2, beta: 1, alpha: 2)(1) == 0.5)
        #expect(PolynomialSchedule(initialLR: 1).beta == 1)
        #expect(PolynomialSchedule(initialLR: 1).alpha == 0.5)
        let v = s.values(0..<100)
        #expect(zip(v, v.dropFirst()).allSatisfy { $0 > $1 })
    }

    @Test func shiftedScheduleReadsLater() {
        let base = PolynomialSchedule(initialLR: 1, beta: 0.1)
        let shifted = base.shifted(by: 2)
        for t in 0..<10 { #expect(shifted(t) == base(t + 2)) }
        #expect(ShiftedSchedule(base, offset: -1)(1) == 1)
        #expect(shifted == ShiftedSchedule(base, offset: 2))
    }

    /// The book's schedules keep a counter that starts at 1 and is incremented before use.
    /// Shifting the pure schedules by two reproduces them (to rounding: the book uses `exp`
    /// and `pow`, the schedules `e^(-0.1)` raised to a power and `1/sqrt`).
    @Test func shiftByTwoMatchesTheBookCounter() {
        var ctr = 1
        func exponential() -> Double { ctr += 1; return Foundation.exp(-0.1 * Double(ctr)) }
        let pureExp = ExponentialSchedule(initialLR: 1, decayRate: 0.1).shifted(by: 2)
        for t in 0..<1000 {
            let book = exponential()
            #expect(abs(pureExp(t) - book) <= 1e-13 * book, "t = \(t)")
        }
        ctr = 1
        func polynomial() -> Double { ctr += 1; return Foundation.pow(1 + 0.1 * Double(ctr), -0.5) }
        let purePoly = PolynomialSchedule(initialLR: 1, beta: 0.1).shifted(by: 2)
        for t in 0..<50 {
            let book = polynomial()
            #expect(abs(purePoly(t) - book) <= 4e-16 * book, "t = \(t)")
        }
        #expect(abs(pureExp(0) - Foundation.exp(-0.2)) <= 2e-16)
    }

    // MARK: Noisy descent

    @Test func zeroNoiseIsPlainGradientDescent() {
        var rng = SeededGenerator(seed: 1)
        let trace = NoisyGradientDescent.run(.ellipse(a: 1, b: 2), schedule: ConstantSchedule(learningRate: 0.1),
                                             steps: 20, noise: GradientNoise(mean: 0, standardDeviation: 0),
                                             generator: &rng)
        #expect(trace.summary == "epoch 20, x1 -0.057646, x2 -0.000073")
        #expect(trace.points.count == 21)
    }

    @Test func drawsTwoNormalsPerStepInOrder() {
        let f = Objective2D.ellipse(a: 1, b: 2)
        let schedule = PolynomialSchedule(initialLR: 0.1, beta: 0.1).shifted(by: 2)
        var rng = SeededGenerator(seed: 9)
        let trace = NoisyGradientDescent.run(f, schedule: schedule, steps: 30, generator: &rng)
        var replay = SeededGenerator(seed: 9)
        var x = Point2D(-5, -2)
        for t in 0..<30 {
            let g = f.gradient(x)
            let noise = Point2D(replay.normal(), replay.normal())
            x = x - schedule(t) * (g + noise)
            #expect(trace.points[t + 1] == x)
        }
        #expect(rng == replay)
    }

    @Test func biasedNoiseShiftsTheFixedPoint() {
        // With a constant bias b and no spread, the iterates converge to (-b/2, -b/4).
        var rng = SeededGenerator(seed: 2)
        let trace = NoisyGradientDescent.run(.ellipse(a: 1, b: 2), schedule: ConstantSchedule(learningRate: 0.1),
                                             steps: 400, noise: GradientNoise(mean: 0.1, standardDeviation: 0),
                                             generator: &rng)
        #expect(abs(trace.final.x + 0.05) < 1e-12)
        #expect(abs(trace.final.y + 0.025) < 1e-12)
        #expect(GradientNoise.standard == GradientNoise(mean: 0, standardDeviation: 1))
    }

    // MARK: Convex bound

    @Test func convexBoundFormula() {
        let rates = Array(repeating: 0.1, count: 50)
        #expect(abs(ConvexSGDBound.value(distanceSquared: 29, gradientBoundSquared: 166, rates: rates) - 11.2) < 1e-12)
        let r = 29.0.squareRoot(), g = 166.0.squareRoot()
        let eta = ConvexSGDBound.bestConstantRate(distance: r, gradientBound: g, steps: 50)
        let best = ConvexSGDBound.value(distanceSquared: 29, gradientBoundSquared: 166,
                                        rates: Array(repeating: eta, count: 50))
        #expect(abs(best - r * g / 50.0.squareRoot()) < 1e-12)
        // No other constant rate does better.
        for other in [0.5 * eta, 0.9 * eta, 1.1 * eta, 2 * eta] {
            #expect(ConvexSGDBound.value(distanceSquared: 29, gradientBoundSquared: 166,
                                         rates: Array(repeating: other, count: 50)) > best)
        }
        let avg = ConvexSGDBound.weightedAverage([Point2D(1, 0), Point2D(0, 1), Point2D(9, 9)], rates: [3, 1])
        #expect(avg == Point2D(0.75, 0.25))
    }

    /// The bound holds for averages over many noisy runs (it is a statement about expectations).
    @Test func convexBoundHoldsOnAverage() {
        let f = Objective2D.ellipse(a: 1, b: 2)
        let schedule = ConstantSchedule(learningRate: 0.1)
        let rates = schedule.values(0..<50)
        var rng = SeededGenerator(seed: 5)
        var total = 0.0
        for _ in 0..<200 {
            let trace = NoisyGradientDescent.run(f, schedule: schedule, steps: 50, generator: &rng)
            total += f.value(ConvexSGDBound.weightedAverage(trace.points, rates: rates))
        }
        let bound = ConvexSGDBound.value(distanceSquared: 29, gradientBoundSquared: 166, rates: rates)
        #expect(total / 200 < bound)
        #expect(total / 200 > 0)
    }

    // MARK: Sampling and finite sums

    @Test func samplingSchemes() {
        var rng = SeededGenerator(seed: 3)
        for _ in 0..<5 {
            #expect(SamplingScheme.withoutReplacement.epochOrder(count: 100, generator: &rng).sorted() == Array(0..<100))
        }
        var seen = 0
        for _ in 0..<50 {
            let order = SamplingScheme.withReplacement.epochOrder(count: 1000, generator: &rng)
            #expect(order.count == 1000 && order.allSatisfy { (0..<1000).contains($0) })
            seen += Set(order).count
        }
        // 1 - (1 - 1/1000)^1000 = 0.6323; 50 epochs pin the fraction to about ±0.003.
        #expect(abs(Double(seen) / 50_000 - 0.6323) < 0.01)
    }

    @Test func finiteSumGradientsAndMinimizer() {
        let problem = FiniteSumSGD(targets: [1, 2, 3, 6])
        #expect(problem.minimizer == 3)
        for x in [-2.0, 0.5, 3, 7.25] {
            let numerical = Numerical.derivative(problem.value, at: x)
            #expect(abs(problem.derivative(x) - numerical) < 1e-8)
            let average = (0..<4).map { problem.termGradient($0, at: x) }.reduce(0, +) / 4
            #expect(abs(average - problem.derivative(x)) < 1e-12)
        }
        #expect(problem.value(3) < problem.value(2.9) && problem.value(3) < problem.value(3.1))
    }

    /// With η_t = 1/(t + 1) the iterate is the running mean of the terms visited, so one pass
    /// without replacement lands on the minimizer.
    @Test func oneReshuffledPassWithHarmonicRatesHitsTheMean() {
        let problem = FiniteSumSGD(targets: [0.5, -1, 4, 2.5, 7, -3])
        var rng = SeededGenerator(seed: 11)
        let xs = problem.run(start: 100, epochs: 3, schedule: InverseTimeSchedule(initialLR: 1, decayRate: 1),
                             sampling: .withoutReplacement, generator: &rng)
        #expect(xs.count == 4 && xs[0] == 100)
        for k in 1...3 { #expect(abs(xs[k] - problem.minimizer) < 1e-12) }
        var rng2 = SeededGenerator(seed: 11)
        let ys = problem.run(start: 100, epochs: 3, schedule: InverseTimeSchedule(initialLR: 1, decayRate: 1),
                             sampling: .withReplacement, generator: &rng2)
        #expect(ys.dropFirst().contains { abs($0 - problem.minimizer) > 1e-6 })
    }
}

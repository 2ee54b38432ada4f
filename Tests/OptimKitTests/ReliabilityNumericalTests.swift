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

/// Divergent runs: the book's own (eta = 1.1 in one dimension, eta = 0.6 on the
/// ill-conditioned ellipse) and deliberately absurd step sizes that overflow to Inf and NaN.
/// Nothing may crash, figures must stay valid SVG with finite coordinates, and training
/// must stop early and say so.
@Suite struct ReliabilityNumericalTests {
    /// Every number inside the SVG's attribute values (coordinates, path data, sizes);
    /// text such as tick labels is left out.
    static func numbers(in svg: String) -> [Double] {
        var result = [Double]()
        let pieces = svg.split(separator: "\"", omittingEmptySubsequences: false)
        for (index, value) in pieces.enumerated() where index % 2 == 1 {
            var current = ""
            func flush() {
                if let v = Double(current) { result.append(v) }
                current = ""
            }
            for c in value {
                if c.isNumber || c == "." || (c == "-" && current.isEmpty) || (c == "e" && !current.isEmpty) {
                    current.append(c)
                } else {
                    flush()
                    if c == "-" { current = "-" }
                }
            }
            flush()
        }
        return result
    }

    /// The SVG has no spelled-out non-finite values and no coordinate far outside the canvas.
    static func expectDrawable(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for bad in ["nan", "NaN", "inf", "Infinity"] {
            #expect(!svg.contains("\"\(bad)") && !svg.contains(" \(bad)") && !svg.contains(",\(bad)"),
                    "SVG contains \(bad)", sourceLocation: sourceLocation)
        }
        let numbers = numbers(in: svg)
        #expect(numbers.allSatisfy { $0.isFinite && abs($0) < 1e5 }, "SVG has a coordinate \(numbers.map(abs).max() ?? 0)",
                sourceLocation: sourceLocation)
        #expect(svg.hasSuffix("</svg>\n"), sourceLocation: sourceLocation)
    }

    @Test func bookEta1_1DivergesFinitelyAndPlots() {
        let run = Descent1D.gradientDescent(.square, learningRate: 1.1)
        #expect(run.summary == "epoch 10, x: 61.917364224000096")
        #expect(run.iterates.allSatisfy { $0.isFinite })
        // Each step multiplies x by 1 - 2 eta = -1.2: |x| grows.
        #expect(zip(run.iterates, run.iterates.dropFirst()).allSatisfy { abs($1) > abs($0) })
        Self.expectDrawable(BookFigures.trace1D(.square, iterates: run.iterates).svg(maskVolatile: true))
    }

    @Test func overflowingStepSizeGivesNaNAndTheFigureSkipsIt() {
        let run = Descent1D.gradientDescent(.square, learningRate: 1e200)
        #expect(run.iterates.contains { $0.isInfinite })
        #expect(run.final.isNaN)   // inf - inf
        #expect(run.summary == "epoch 10, x: nan")
        #expect(run.traceWindow.isFinite)
        Self.expectDrawable(BookFigures.trace1D(.square, iterates: run.iterates).svg(maskVolatile: true))
    }

    /// The momentum section's eta = 0.6 on 0.1 x1² + 2 x2²: x2 is multiplied by
    /// 1 - 0.6 · 4 = -1.4 every step, so after 20 steps it is about -1.7e3.
    @Test func bookEta0_6TraceOnTheEllipseRendersClipped() {
        let f = Objective2D.ellipse(a: 0.1, b: 2)
        let trace = train2D { s in
            let g = f.gradient(s.point)
            return State2D(x1: s.x1 - 0.6 * g.x, x2: s.x2 - 0.6 * g.y)
        }
        #expect(!trace.diverged)
        #expect(abs(trace.final.y) > 1000)
        #expect(trace.summary == "epoch 20, x1 -0.387814, x2 -1673.365109")   // the book's line
        let svg = BookFigures.trace2D(f, points: trace.points, fixedLimits: true).svg(maskVolatile: true)
        Self.expectDrawable(svg)
        #expect(svg.contains("clip-path"))
    }

    @Test func nonFiniteTwoDimensionalTraceIsFlaggedAndDrawable() {
        let f = Objective2D.ellipse(a: 0.1, b: 2)
        let trace = train2D { s in
            let g = f.gradient(s.point)
            return State2D(x1: s.x1 - 1e200 * g.x, x2: s.x2 - 1e200 * g.y)
        }
        #expect(trace.diverged)
        #expect(trace.summary.contains("nan") || trace.summary.contains("inf"))
        Self.expectDrawable(BookFigures.trace2D(f, points: trace.points).svg(maskVolatile: true))
        Self.expectDrawable(BookFigures.trace2D(f, traces: [("diverged", trace.points)]).svg(maskVolatile: true))
    }

    @Test func hugeLearningRateStopsTrainingEarlyAndReportsIt() throws {
        let data = try AirfoilData.load()
        var rng = SeededGenerator(seed: 42)
        let epochs = 5, batchSize = 10
        let run = trainLinearRegression(optimizer: SGD(learningRate: 1e6), data: data, batchSize: batchSize,
                                        epochs: epochs, generator: &rng)
        #expect(run.diverged)
        // Stopped at the first non-finite residual instead of finishing 5 × 150 updates.
        #expect(run.updates < epochs * data.count / batchSize / 10, "\(run.updates) updates")
        #expect(!run.finalLoss.isFinite)
        let line = run.summary.rendered(maskVolatile: true)
        #expect(line == "loss: nan, <volatile>/epoch" || line == "loss: inf, <volatile>/epoch", "\(line)")
        // The recorded curve holds finite points only, so its figure is drawable.
        #expect(run.losses.allSatisfy { $0.isFinite })
        let figure = BookFigures.plot(x: run.epochs, [run.losses], xLabel: "epoch", yLabel: "loss")
        Self.expectDrawable(figure.svg(maskVolatile: true))
    }

    @Test func aCurveWithNaNAndInfinityStillPlots() {
        let xs = (0..<20).map(Double.init)
        var ys = xs.map { exp($0) }
        ys[7] = .nan
        ys[12] = .infinity
        ys[15] = -.infinity
        for scale in [AxisScale.linear, .log] {
            let svg = BookFigures.plot(x: xs, [ys], yScale: scale).svg(maskVolatile: true)
            Self.expectDrawable(svg)
        }
        // Nothing finite at all: an empty but valid figure.
        Self.expectDrawable(BookFigures.plot(x: xs, [xs.map { _ in .nan }]).svg(maskVolatile: true))
    }

    @Test func everyOptimizerSurvivesAnAbsurdStepSize() throws {
        let data = try AirfoilData.load(keepingRows: 100)
        let choices: [OptimizerChoice] = [
            .sgd(SGD(learningRate: 1e300)), .momentum(Momentum(learningRate: 1e300)),
            .adagrad(AdaGrad(learningRate: 1e300)), .rmsprop(RMSProp(learningRate: 1e300)),
            .adam(Adam(learningRate: 1e300)),
        ]
        for choice in choices {
            var rng = SeededGenerator(seed: 1)
            let run = trainLinearRegression(choice: choice, data: data, batchSize: 10, epochs: 3, generator: &rng)
            // Adaptive methods bound the step by the learning rate, so the loss may stay
            // finite but huge; either way the run ends and the flag matches the loss.
            #expect(run.diverged || run.finalLoss.isFinite, "\(choice)")
            #expect(run.losses.allSatisfy { $0.isFinite })
        }
    }

    /// LeNet with an absurd learning rate: the weights overflow within the first epoch. The
    /// epoch still completes, its mean loss is not finite, and evaluation still answers,
    /// so an epoch loop can stop on `meanLoss.isFinite` with a note.
    @Test func leNetWithAHugeLearningRateReportsANonFiniteLoss() throws {
        let digits = try MNISTDigits.loadShipped().prefix(128)
        var rng = SeededGenerator(seed: 3)
        let trainer = LeNetTrainer(network: LeNet.make(generator: &rng), batchSize: 32)
        let first = trainer.trainEpoch(on: digits, learningRate: 1e30, generator: &rng)
        let second = trainer.trainEpoch(on: digits, learningRate: 1e30, generator: &rng)
        #expect(!first.meanLoss.isFinite || !second.meanLoss.isFinite, "losses \(first.meanLoss), \(second.meanLoss)")
        let accuracy = trainer.evaluate(digits)
        #expect(accuracy >= 0 && accuracy <= 1)
    }

    /// The scheduled LeNet loop stops after the first epoch with a non-finite loss
    /// instead of training on NaN for the remaining epochs.
    @Test func scheduledTrainingStopsAfterANonFiniteEpoch() throws {
        let digits = try MNISTDigits.loadShipped().prefix(128)
        var rng = SeededGenerator(seed: 3)
        let trainer = LeNetTrainer(network: LeNet.make(generator: &rng), batchSize: 32)
        let history = trainer.train(on: digits, test: digits.prefix(32), epochs: 6,
                                    schedule: ConstantSchedule(learningRate: 1e30), generator: &rng)
        #expect(history.count < 6, "\(history.count) epochs")
        let last = try #require(history.last)
        #expect(!last.trainLoss.isFinite)
        #expect(history.dropLast().allSatisfy { $0.trainLoss.isFinite })
        #expect(last.summary.rendered(maskVolatile: true).hasPrefix("train loss nan") ||
                last.summary.rendered(maskVolatile: true).hasPrefix("train loss inf"))
    }
}

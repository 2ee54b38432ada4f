import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// The book's four exercises of 11.8, with answers.
extension RMSPropChapter {
    static let exerciseSeeds = 5

    static func exercise(_ nb: Notebook, _ number: Int, _ text: String) {
        nb.paragraph("\(number). " + text)
        nb.heading("Answer", level: 4)
    }

    static func exercises(_ nb: Notebook, _ ctx: ChapterContext, data: AirfoilData) throws {
        nb.heading("Exercises")
        nb.paragraph("The book's four exercises, in our words.")
        exercise(nb, 1, "What happens if we set γ = 1? Why?")
        nb.paragraph("""
            s never changes from its initial zero, so every step divides by √ε: plain gradient \
            descent with the rate η/√ε, 400 for the book's settings, which explodes at once. The \
            run and the arithmetic are in \(PageAnchor.link("γ = 1", to: gammaOneHeading)) above.
            """)
        exercise(nb, 2, """
            Rotate the problem to f(x) = 0.1(x₁ + x₂)² + 2(x₁ − x₂)². What happens to the \
            convergence?
            """)
        nb.paragraph("""
            It slows down, because the per-coordinate scaling no longer lines up with the directions \
            of different curvature, and the jumping that a constant η leaves near the optimum now \
            runs along the steep diagonal, where it costs several times more. The runs and numbers \
            are in \(PageAnchor.link("the rotated problem", to: rotationHeading)) above.
            """)
        try exerciseDeepNetwork(nb, ctx)
        exerciseGamma(nb, ctx, data: data)
    }

    // MARK: 3

    static func exerciseDeepNetwork(_ nb: Notebook, _ ctx: ChapterContext) throws {
        exercise(nb, 3, """
            Train a real model with RMSProp, such as a network on Fashion-MNIST, and try different \
            ways of adjusting the learning rate.
            """)
        let digits = try LeNetOptimizerRun.digits(ctx)
        let epochs = ctx.reduced ? 2 : 4
        nb.paragraph("""
            LeNet on the shipped MNIST digits (\(digits.train.count) for training, \(digits.heldOut.count) \
            held out), batches of 256, \(epochs) epochs, γ = 0.9, the same initial weights and minibatch \
            order for every run: three constant rates, and a cosine schedule per epoch from 0.003 \
            down to 0.0001.
            """)
        let runs = try lenetRuns(nb, ctx)
        let accuracy = runs.map { $0.1.epochs.last!.heldOutAccuracy }
        let best = accuracy.indices.max { accuracy[$0] < accuracy[$1] }!
        let constantBest = (0..<3).max { accuracy[$0] < accuracy[$1] }!
        let beaten = (0..<3).filter { accuracy[3] > accuracy[$0] }.map { runs[$0].0 }
        nb.paragraph("""
            The best held-out accuracy here is \(CFormat.format("%.3f", accuracy[best])), with \(runs[best].0). \
            Among the constant rates \(runs[constantBest].0) does best; the rates that work are \
            smaller than plain SGD's, since every weight starts with steps of about \
            η/√(1 − γ) = \(CFormat.format("%.1f", 1 / 0.1.squareRoot()))η whatever its gradient, and 0.0001 \
            is too timid to get far in \(epochs) epochs. The cosine schedule, which starts at 0.003 and \
            ends at 0.0001, reaches \(CFormat.format("%.3f", accuracy[3])), \
            \(beaten.isEmpty ? "behind every constant rate" : "ahead of " + beaten.joined(separator: " and ")); \
            over so few epochs the choice of the rate's level matters more than its shape. One \
            seed on the digits is a first look; Section 11.11's chapter runs LeNet on Fashion-MNIST \
            with `--data-dir`.
            """)
    }

    /// Exercise 3's four LeNet runs, in a cell of their own.
    static func lenetRuns(_ nb: Notebook, _ ctx: ChapterContext) throws -> [(label: String, run: LeNetOptimizerRun)] {
        nb.code(cell: "rmsprop-lenet")
        // cell: rmsprop-lenet
        let data = try LeNetOptimizerRun.digits(ctx)      // 8000 digits for training, 2000 held out
        let epochs = ctx.reduced ? 2 : 4
        let cosine = CosineSchedule(maxUpdate: epochs, baseLR: 0.003, finalLR: 0.0001)
        let runs: [(label: String, run: LeNetOptimizerRun)] = [
            ("constant 0.0001", LeNetOptimizerRun.train(RMSProp(learningRate: 0.0001, gamma: 0.9), data: data, epochs: epochs, ctx: ctx)),
            ("constant 0.001", LeNetOptimizerRun.train(RMSProp(learningRate: 0.001, gamma: 0.9), data: data, epochs: epochs, ctx: ctx)),
            ("constant 0.01", LeNetOptimizerRun.train(RMSProp(learningRate: 0.01, gamma: 0.9), data: data, epochs: epochs, ctx: ctx)),
            ("cosine 0.003 → 0.0001", LeNetOptimizerRun.train(RMSProp(learningRate: 0.003, gamma: 0.9), data: data, epochs: epochs,
                                                               schedule: cosine, ctx: ctx)),
        ]
        nb.table(header: ["learning rate", "training loss per epoch", "train acc", "held-out acc"],
                 rows: runs.map { label, run in
                     [NotebookText(label), "\(run.epochs.map { CFormat.format("%.3f", $0.loss) }.joined(separator: ", "))",
                      "\(run.epochs.last!.trainAccuracy, format: "%.3f")", "\(run.epochs.last!.heldOutAccuracy, format: "%.3f")"]
                 })
        // end cell
        return runs
    }

    // MARK: 4

    static func exerciseGamma(_ nb: Notebook, _ ctx: ChapterContext, data: AirfoilData) {
        exercise(nb, 4, """
            Would you want to change γ as optimization progresses? How sensitive is RMSProp to γ?
            """)
        nb.paragraph("""
            On the airfoil data (η = 0.01, batch 10, two epochs, \(exerciseSeeds) seeds), with the length \
            of the very first step, which RMSProp takes with s = (1 − γ)g²:
            """)
        var rows: [[NotebookText]] = []
        var spreads: [SeedSpread] = []
        let gammas = [0.5, 0.9, 0.99, 0.999]
        for gamma in gammas {
            let losses = SeedSpread((0..<exerciseSeeds).map { k in
                var rng = ctx.generator(stream: "ex4-gamma\(gamma)-seed\(k)")
                return trainLinearRegression(optimizer: RMSProp(learningRate: 0.01, gamma: gamma), data: data,
                                             batchSize: 10, epochs: 2, generator: &rng).finalLoss
            })
            spreads.append(losses)
            rows.append(["\(gamma, format: "%g")", "\(1 / (1 - gamma), format: "%.0f")",
                         "\(0.01 / (1 - gamma).squareRoot(), format: "%.3f")", "\(losses.short("%.4f"))"])
        }
        nb.table(header: ["γ", "memory 1/(1 − γ)", "first step per coordinate, η/√(1 − γ)", "loss after 2 epochs"], rows: rows)
        let bestIndex = spreads.indices.min { spreads[$0].mean < spreads[$1].mean }!
        nb.paragraph("""
            The lowest mean is at γ = \(CFormat.format("%g", gammas[bestIndex])) \
            (\(spreads[bestIndex].short("%.4f"))); over the four values the means span \
            \(CFormat.format("%.4f", spreads.map(\.mean).min()!))–\(CFormat.format("%.4f", spreads.map(\.mean).max()!)), \
            against standard deviations over seeds of up to \
            \(CFormat.format("%.4f", spreads.map(\.standardDeviation).max()!)). Small γ makes s a noisy estimate from a few \
            minibatches, so the rate jumps from step to step; large γ averages longer but adapts \
            slowly, and it has a start-up problem: s begins at zero and reaches the scale of g² \
            only after about 1/(1 − γ) steps, so the first steps are up to 1/√(1 − γ) times too \
            long (\(CFormat.format("%.0f", 1 / 0.001.squareRoot())) times for γ = 0.999). Changing γ during \
            training addresses exactly this: a smaller γ early, while the gradients' scale changes \
            quickly and s has no history, and a larger one later for a steadier estimate. Adam \
            (Section 11.10) solves the start-up problem differently, by dividing s by 1 − γᵗ (bias \
            correction), which is why it can use γ = 0.999 from the first step.
            """)
    }
}

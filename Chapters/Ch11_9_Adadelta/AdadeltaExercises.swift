import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// The exercises of 11.9 with worked answers, computed where they are numeric.
extension AdadeltaChapter {
    /// Seeds per setting in the multi-seed comparisons.
    static let exerciseSeeds = 5

    /// Final airfoil losses (batch 10, two epochs) of `optimizer` over `exerciseSeeds` seeds, each
    /// from its own named stream, and the run of the first seed for figures.
    static func airfoilSpread<O: Optimizer>(_ optimizer: O, _ data: AirfoilData, _ ctx: ChapterContext,
                                            stream: String) -> AirfoilRunSpread {
        var finals: [Double] = [], early: [Double] = []
        var first: TrainingRun?
        for k in 0..<exerciseSeeds {
            var rng = ctx.generator(stream: "\(stream)-seed-\(k)")
            let run = trainLinearRegression(optimizer: optimizer, data: data, batchSize: 10, epochs: 2, generator: &rng)
            finals.append(run.reportedLoss)
            early.append(run.losses[earlyPoint])
            if first == nil { first = run }
        }
        return AirfoilRunSpread(spread: SpreadOverSeeds(finals), early: SpreadOverSeeds(early), first: first!)
    }

    /// Final loss and loss after 0.4 epoch over the seeds, and the first seed's run.
    struct AirfoilRunSpread {
        let spread: SpreadOverSeeds
        let early: SpreadOverSeeds
        let first: TrainingRun
    }

    /// Index of the recorded loss after 600 examples (0.4 epoch), for "how fast does it start".
    static let earlyPoint = 2

    static func exercises(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.heading("Exercises")
        let data = try AirfoilData.load()
        exerciseRho(nb, ctx, data)
        exerciseWithoutRescaledGradient(nb)
        nb.paragraph("3. Is Adadelta really free of a learning rate? Find a problem that breaks it.")
        nb.heading("Answer to exercise 3", level: 4)
        nb.paragraph("""
            No. Worked out above in "Beyond the book: is Adadelta free of a learning rate?": ε sets the \
            size of the first steps (sqrt(ε/(1 − ρ)) for any gradient well above that size), and the quadratic \
            0.1x₁² + 2x₂² breaks the method: its steep coordinate converges, then swings away again with \
            an amplitude that grows like the square root of the step count. A step multiplier below the \
            curvature's stability limit, or a decaying one, cures it, which is to say that a learning \
            rate is needed after all.
            """)
        exerciseCompare(nb, ctx, data)
    }

    // MARK: - Exercise 1

    static func exerciseRho(_ nb: Notebook, _ ctx: ChapterContext, _ data: AirfoilData) {
        nb.paragraph("1. Change ρ. What happens?")
        nb.heading("Answer to exercise 1", level: 4)
        let rhos = [0.5, 0.9, 0.99, 0.999]
        let results = rhos.map { rho in airfoilSpread(AdaDelta(rho: rho), data, ctx, stream: "exercise-rho-\(rho)") }
        nb.paragraph("""
            ρ sets the memory of both averages, and since Adadelta has no bias correction it also sets the \
            size of the first steps: s starts at zero and after the first step is (1 − ρ)g², so the first \
            step is about sqrt(ε/(1 − ρ)), larger for ρ closer to 1. On the airfoil data (batch 10, two \
            epochs, \(exerciseSeeds) seeds per ρ; mean and range over the seeds):
            """)
        nb.table(header: ["ρ", "first step sqrt(ε/(1 − ρ))", "loss after 0.4 epoch", "final loss"],
                 rows: zip(rhos, results).map { rho, r in
                     ["\(rho, format: "%g")", "\((1e-5 / (1 - rho)).squareRoot(), format: "%.4f")",
                      NotebookText(r.early.summary(format: "%.3f")), NotebookText(r.spread.summary(format: "%.3f"))]
                 })
        let book = results[rhos.firstIndex(of: 0.9)!]
        func comparison(_ pick: (SpreadOverSeeds, SpreadOverSeeds) -> Bool, _ key: (AirfoilRunSpread) -> SpreadOverSeeds) -> String {
            let parts = zip(rhos, results).filter { $0.0 != 0.9 }.map { rho, r -> String in
                let other = key(r), reference = key(book)
                guard other.separated(from: reference) else { return "ρ = \(CFormat.format("%g", rho)) within the seed range" }
                return "ρ = \(CFormat.format("%g", rho)) " + (pick(other, reference) ? "lower" : "higher")
            }
            return parts.joined(separator: ", ")
        }
        let earlyWords = comparison({ $0.mean < $1.mean }, { $0.early })
        let finalWords = comparison({ $0.mean < $1.mean }, { $0.spread })
        let longest = results[rhos.count - 1]
        let (short, medium) = (results[0], results[2])
        let fasterWithMemory = short.early.separated(from: book.early) && short.early.mean > book.early.mean
            && medium.early.separated(from: book.early) && medium.early.mean < book.early.mean
        let widths = results.map { $0.spread.max - $0.spread.min }
        let widest = widths.last == widths.max()
        let weightSum = 1 - Foundation.pow(rhos[rhos.count - 1], 300)
        nb.paragraph("""
            Compared with the book's ρ = 0.9 (a loss counts as lower or higher only when the ranges over \
            the seeds do not overlap), the loss after 0.4 epoch is: \(earlyWords). The final loss is: \
            \(finalWords). \(fasterWithMemory ? "Up to ρ = 0.99 a longer memory starts faster, as the larger first steps predict." : "The larger first steps of a longer memory do not show clearly at 0.4 epoch with these seeds.") At ρ = 0.999 the missing bias correction takes over: after the 300 updates of the \
            whole run the weights of s's leaky average add up to only 1 − 0.999³⁰⁰ = \
            \(CFormat.format("%.2f", weightSum)), so s underestimates the squared gradients several-fold, \
            g²/(s + ε) stays above 1 and, as shown above, Δx and the steps then grow faster than \
            additively. \(widest ? "The result is the widest spread over the seeds of the four settings" : "Its spread over the seeds") (final loss \
            \(longest.spread.summary(format: "%.3f"))).
            """)
        nb.figure(BookFigures.lossCurves(results.map(\.first), labels: rhos.map { "rho = " + CFormat.format("%g", $0) }),
                  name: "exercise-rho",
                  caption: "Adadelta with four values of ρ on the airfoil data (batch 10, the first seed of each).")
    }

    // MARK: - Exercise 2

    static func exerciseWithoutRescaledGradient(_ nb: Notebook) {
        nb.paragraph("2. Implement the algorithm without the variable g′. Why could that be a good idea?")
        nb.heading("Answer to exercise 2", level: 4)
        nb.paragraph("""
            Substitute g′ = sqrt(r) · g with r = (Δx + ε)/(s + ε) into the last two lines of (1): the \
            parameter moves by sqrt(r) · g and Δx takes in g′² = r · g², so g′ never has to exist:
            """)
        nb.code(cell: "adadelta-without-rescaled-gradient")
        // cell: adadelta-without-rescaled-gradient
        let f = Objective2D.ellipse(a: 0.1, b: 2)
        let (rho, eps, steps) = (0.9, 1e-5, 5000)
        var x = [-5.0, -2.0], s = [0.0, 0.0], delta = [0.0, 0.0]
        var rewritten = [Point2D(x[0], x[1])]
        for _ in 0..<steps {
            let gradient = f.gradient(Point2D(x[0], x[1]))
            for (i, g) in [gradient.x, gradient.y].enumerated() {
                s[i] = rho * s[i] + (1 - rho) * (g * g)
                let r = (delta[i] + eps) / (s[i] + eps)      // one scalar per coordinate
                x[i] -= r.squareRoot() * g
                delta[i] = rho * delta[i] + (1 - rho) * (r * (g * g))
            }
            rewritten.append(Point2D(x[0], x[1]))
        }
        let reference = train2D(optimizer: AdaDelta(rho: rho, epsilon: eps), objective: f, steps: steps).points
        func largestDifference(upTo n: Int) -> Double {
            (0...n).map { max(abs(reference[$0].x - rewritten[$0].x), abs(reference[$0].y - rewritten[$0].y)) }.max() ?? 0
        }
        nb.output("largest coordinate difference from AdaDelta: \(largestDifference(upTo: 300), format: "%.1e") over 300 steps, \(largestDifference(upTo: steps), format: "%.1e") over \(steps)")
        // end cell
        if steps != longRun { misuse("exercise 2's run must be as long as the section's other runs (\(longRun) steps)") }
        nb.paragraph("""
            The two agree to rounding (one square root of a ratio instead of a ratio of two roots), even \
            through the drifting phase of the quadratic above. The point of the rewrite is memory: in an \
            array framework such as the book's MXNet code, g′ is a temporary array as large as the \
            parameter it belongs to, allocated and written once per step and read twice. Folding it into \
            per-coordinate scalars, as the loop above and our `AdaDelta.update` do, saves that memory \
            traffic, which for large models is the cost that matters; it also takes one square root per \
            coordinate instead of two.
            """)
    }

    // MARK: - Exercise 4

    static func exerciseCompare(_ nb: Notebook, _ ctx: ChapterContext, _ data: AirfoilData) {
        nb.paragraph("4. Compare the convergence of Adadelta with that of Adagrad and RMSProp.")
        nb.heading("Answer to exercise 4", level: 4)
        nb.paragraph("""
            On the quadratic 0.1x₁² + 2x₂² from (−5, −2), with each method's setting from its own \
            section (Adagrad η = 0.4, RMSProp η = 0.4 and γ = 0.9, Adadelta ρ = 0.9 and ε = 10⁻⁵), the \
            distance to the minimum after a number of steps:
            """)
        let methods: [(String, [Point2D])] = [
            ("Adagrad", train2D(optimizer: AdaGrad(learningRate: 0.4), objective: ellipse, steps: longRun).points),
            ("RMSProp", train2D(optimizer: RMSProp(learningRate: 0.4, gamma: 0.9), objective: ellipse, steps: longRun).points),
            ("Adadelta", train2D(optimizer: AdaDelta(rho: 0.9, epsilon: 1e-5), objective: ellipse, steps: longRun).points),
        ]
        let probes = [20, 100, 1000, longRun]
        func distance(_ p: Point2D) -> Double { (p.x * p.x + p.y * p.y).squareRoot() }
        nb.table(header: ["method"] + probes.map { "after \($0)" } + ["largest, last 100 steps"],
                 rows: methods.map { name, points in
                     [NotebookText(name)] + probes.map { "\(distance(points[$0]), format: "%.3g")" }
                         + ["\(points.suffix(100).map(distance).max() ?? 0, format: "%.3g")"]
                 })
        nb.figure(BookFigures.plot(x: (0...longRun).map(Double.init), methods.map { $0.1.map(distance) },
                                   xLabel: "step", yLabel: "distance to the minimum", legend: methods.map(\.0),
                                   yScale: .log),
                  name: "exercise-compare",
                  caption: "Distance to the minimum of 0.1x₁² + 2x₂² for Adagrad (η = 0.4), RMSProp (η = 0.4, γ = 0.9) and Adadelta (ρ = 0.9), log scale.")
        let airfoil = [
            ("Adagrad, η = 0.1", airfoilSpread(AdaGrad(learningRate: 0.1), data, ctx, stream: "exercise-compare-adagrad")),
            ("RMSProp, η = 0.01, γ = 0.9", airfoilSpread(RMSProp(learningRate: 0.01, gamma: 0.9), data, ctx, stream: "exercise-compare-rmsprop")),
            ("Adadelta, ρ = 0.9", airfoilSpread(AdaDelta(rho: 0.9), data, ctx, stream: "exercise-compare-adadelta")),
        ]
        let rmspropFloor = methods[1].1.suffix(100).map(distance).max() ?? 0
        nb.paragraph("""
            Three different behaviours. Adagrad's accumulated sum stops growing once the gradients \
            shrink, so on this deterministic problem its effective rate levels off at a per-coordinate \
            value set by the early gradients (Section 11.7 measures this; the 1/sqrt(t) decay needs noisy \
            gradients): it then behaves like gradient descent and is the only one of the three that \
            converges to the minimum. RMSProp's leaky average lets the rate recover, which \
            makes it fast at first, but with a constant η it ends up bouncing at a fixed distance from the \
            minimum (\(CFormat.format("%.3f", rmspropFloor)) here). Adadelta starts slowest, because its \
            first steps are sqrt(ε/(1 − ρ)) long whatever the problem, gets close, and then drifts away on \
            the steep coordinate as described above. With minibatch noise the picture changes. The airfoil \
            runs with the book's settings (batch 10, two epochs, \(exerciseSeeds) seeds each):
            """)
        nb.table(header: ["method", "loss after 0.4 epoch", "final loss"],
                 rows: airfoil.map { name, r in
                     [NotebookText(name), NotebookText(r.early.summary(format: "%.3f")), NotebookText(r.spread.summary(format: "%.3f"))]
                 })
        func verdict(_ key: (AirfoilRunSpread) -> SpreadOverSeeds) -> String {
            var pairs: [String] = []
            for i in airfoil.indices {
                for j in airfoil.indices where i < j {
                    let (a, b) = (key(airfoil[i].1), key(airfoil[j].1))
                    guard a.separated(from: b) else { continue }
                    let (low, high) = a.mean < b.mean ? (i, j) : (j, i)
                    pairs.append("\(airfoil[low].0.prefix { $0 != "," }) below \(airfoil[high].0.prefix { $0 != "," })")
                }
            }
            return pairs.isEmpty ? "no two of them differ beyond the spread over the seeds" : pairs.joined(separator: ", ")
        }
        let adadeltaEarly = airfoil[2].1.early
        let slowestStarter = airfoil.prefix(2).allSatisfy {
            $0.1.early.separated(from: adadeltaEarly) && $0.1.early.mean < adadeltaEarly.mean
        }
        nb.paragraph("""
            After 0.4 epoch: \(verdict { $0.early }). At the end: \(verdict { $0.spread }). On this noisy, \
            easy regression the deterministic differences above (Adagrad's decay, RMSProp's bouncing, \
            Adadelta's drift) do not decide the result; what remains is how fast each one starts\
            \(slowestStarter ? ", and Adadelta's sqrt(ε/(1 − ρ)) first steps make it the slowest starter here too" : "").
            """)
    }
}

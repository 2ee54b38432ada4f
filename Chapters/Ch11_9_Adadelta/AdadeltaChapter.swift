import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// 11.9 Adadelta: RMSProp whose step size is a leaky average of past squared updates. The
/// update rule (with the seed's typo corrected), the airfoil runs, and a look at what ε does.
enum AdadeltaChapter: Chapter {
    static let target = "Ch11_9_Adadelta"
    static let title = "11.9 Adadelta"
    static let summary = "An adaptive method without a learning rate: the step is rescaled by a running average of past updates."
    static let keyFigure: String? = "adadelta-steep-coordinate.svg"

    static let ellipse = Objective2D.ellipse(a: 0.1, b: 2)

    static func run(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.paragraph("""
            Adadelta (Zeiler, 2012) is one more descendant of Adagrad. Like RMSProp it replaces the \
            ever-growing sum of squared gradients by a leaky average, so the per-coordinate scale no \
            longer decays by construction. Its distinctive move is to get rid of the learning rate: the \
            numerator of the step is not a hand-picked η but the typical size of the parameter changes \
            made recently. The method therefore calibrates future steps on past ones.
            """)
        algorithm(nb)
        let airfoilRun = try airfoil(nb, ctx)
        epsilonIsALearningRate(nb, airfoilWeights: airfoilRun.parameters)
        try extras(nb, ctx)
        summary(nb)
        try exercises(nb, ctx)
    }

    static func algorithm(_ nb: Notebook) {
        nb.heading("11.9.1 The algorithm")
        nb.paragraph("""
            Adadelta keeps two state vectors per parameter: s, a leaky average of squared gradients \
            (RMSProp's state), and Δx, a leaky average of squared *updates*. One decay rate ρ serves \
            both; the names follow Zeiler's paper, which is why the decay is ρ here where RMSProp said γ. \
            Each step first refreshes s, then forms the rescaled gradient g′, applies it, and finally \
            folds g′² into Δx:
            """)
        nb.formula(#"\begin{aligned}\mathbf{s}_t &\leftarrow \rho\,\mathbf{s}_{t-1} + (1-\rho)\,\mathbf{g}_t \odot \mathbf{g}_t\\ \mathbf{g}'_t &\leftarrow \frac{\sqrt{\Delta\mathbf{x}_{t-1} + \epsilon}}{\sqrt{\mathbf{s}_t + \epsilon}} \odot \mathbf{g}_t\\ \mathbf{x}_t &\leftarrow \mathbf{x}_{t-1} - \mathbf{g}'_t\\ \Delta\mathbf{x}_t &\leftarrow \rho\,\Delta\mathbf{x}_{t-1} + (1-\rho)\,\mathbf{g}'_t \odot \mathbf{g}'_t\end{aligned}"#,
                   plain: "s_t  ← ρ s_{t−1} + (1 − ρ) g_t²\ng′_t ← sqrt(Δx_{t−1} + ε) / sqrt(s_t + ε) · g_t\nx_t  ← x_{t−1} − g′_t\nΔx_t ← ρ Δx_{t−1} + (1 − ρ) g′_t²")
        nb.paragraph("""
            A note on the last line. The equation printed in the book averages x_t², the squared \
            *parameters*, into Δx. That cannot be intended: the book's own code, the original paper and \
            the implementations in PyTorch, optax and Keras all average the squared rescaled gradient g′_t², i.e. the squared \
            step just taken, and only that reading makes Δx "the second moment of the change of the \
            parameters" that the text describes. We follow the code. The reason for the construction is \
            units: if x is measured in metres and f in joules, g has units J/m, sqrt(s) J/m as well, and \
            sqrt(Δx) metres, so g′ comes out in metres, as a step should. A plain η · g/sqrt(s) is unitless \
            and needs η to carry the units; Zeiler's ratio mimics a Newton step, whose inverse Hessian \
            also converts gradient units into parameter units.
            """)
        nb.paragraph("""
            The constant ε sits inside both roots; the book uses ε = 10⁻⁵ (its prose mislabels the \
            constant η, but the code sets `eps = 1e-5`). It matters much more than in RMSProp, because at \
            the start Δx = 0 and the numerator is just sqrt(ε) (see below). Our `AdaDelta` type defaults to \
            the book, ρ = 0.9 and ε = 10⁻⁵, and has an extra multiplier `learningRate` defaulting to 1, \
            which reproduces the book exactly. PyTorch's `Adadelta` has the same multiplier (`lr = 1.0`) \
            with ρ = 0.9 and ε = 10⁻⁶; optax's `adadelta` also uses ρ = 0.9 and ε = 10⁻⁶; Keras defaults \
            to ρ = 0.95, ε = 10⁻⁷ and a multiplier of 0.001. All of them place ε inside the roots, so for \
            Adadelta there is no placement option.
            """)
    }

    @discardableResult
    static func airfoil(_ nb: Notebook, _ ctx: ChapterContext) throws -> TrainingRun {
        nb.heading("11.9.2 Implementation")
        nb.paragraph("""
            Two state vectors per parameter vector. The heart of `AdaDelta.update`, with the book's \
            order of operations kept so that results match it bit for bit:
            """)
        nb.code(cell: "adadelta-update")    // marked in Sources/OptimKit/Optimizers/AdaDelta.swift
        let halfLife = Foundation.log(2) / Foundation.log(1 / 0.9)
        nb.paragraph("""
            With ρ = 0.9 the leaky averages weigh the recent past: the weights ρ^k(1 − ρ) sum to 1, as \
            much as 1/(1 − ρ) = 10 terms would at the newest term's weight 1 − ρ. The book calls this a \
            half-life of 10; \
            the half-life, the age at which a term has lost half its weight, is ln 2 / ln(1/ρ) = \
            \(CFormat.format("%.1f", halfLife)) updates. Either way the memory is short, which works well \
            here. On the airfoil regression, batch 10, two epochs:
            """)
        nb.code(cell: "adadelta-airfoil")
        // cell: adadelta-airfoil
        let data = try AirfoilData.load()
        var rng = ctx.generator(stream: "airfoil-scratch")
        let scratch = trainLinearRegression(optimizer: AdaDelta(rho: 0.9), data: data,
                                            batchSize: 10, epochs: 2, generator: &rng)
        nb.output(scratch.summary)
        // end cell
        nb.paragraph("""
            The concise path accepts the book's call with its only key, `rho` (the book spells the \
            name "adadelata" in places; the algorithm's name is `adadelta`):
            """)
        let concise = try conciseRun(nb, ctx)
        nb.figure(BookFigures.lossCurves([scratch, concise], labels: ["from scratch", "by name"]),
                  name: "airfoil-loss",
                  caption: "Adadelta (ρ = 0.9, batch 10) on the airfoil data.")
        return scratch
    }

    /// The same training by name, in a cell of its own.
    static func conciseRun(_ nb: Notebook, _ ctx: ChapterContext) throws -> TrainingRun {
        nb.code(cell: "adadelta-concise")
        // cell: adadelta-concise
        let data = try AirfoilData.load()
        var rng = ctx.generator(stream: "airfoil-concise")
        let choice = try OptimizerChoice.named("adadelta", ["rho": 0.9])
        let concise = trainLinearRegression(choice: choice, data: data, batchSize: 10, epochs: 2, generator: &rng)
        nb.output(concise.summary)
        // end cell
        return concise
    }

    static func epsilonIsALearningRate(_ nb: Notebook, airfoilWeights: [Double]) {
        nb.heading("Beyond the book: is Adadelta free of a learning rate? (exercise 3)", level: 3)
        var rows: [[NotebookText]] = []
        var curves: [[Double]] = []
        var runs: [OptimizerRun2D<AdaDelta>] = []
        let epsilons = [1e-5, 1e-3, 1e-1]
        for eps in epsilons {
            let run = train2DDetailed(optimizer: AdaDelta(rho: 0.9, epsilon: eps), objective: ellipse, steps: longRun)
            runs.append(run)
            let first = abs(run.steps[0].update.x)
            let points = run.trace.points
            let (at20, at200) = (points[20], points[200])
            rows.append(["\(eps, format: "%g")", "\(first, format: "%.4f")",
                         "(\(at20.x, format: "%.3f"), \(at20.y, format: "%.3f"))",
                         "(\(at200.x, format: "%.3f"), \(at200.y, format: "%.3f"))",
                         "\(swing(points, endingAt: 1000), format: "%.3f")",
                         "\(swing(points, endingAt: longRun), format: "%.3f")"])
            curves.append(points.map { abs($0.y) })
        }
        let book = runs[0]
        let stepAt = { (k: Int) in abs(book.steps[k - 1].update.x) }
        let largestWeight = airfoilWeights.map(abs).max() ?? 0
        nb.paragraph("""
            Not quite: ε takes over the role. At the first step Δx = 0 and s = (1 − ρ)g², so \
            g′ = sqrt(ε)/sqrt((1 − ρ)g² + ε) · g ≈ sqrt(ε/(1 − ρ)) · sign(g), about 0.01 for the book's \
            ε = 10⁻⁵ and ρ = 0.9, whatever the scale of the problem (for any gradient well above that size). \
            After that the step can only grow as \
            fast as Δx does, and Δx grows slowly. Write the squared step as \
            g′² = (Δx + ε) · g²/(s + ε); then the last line of (1) reads \
            Δx_t = Δx_{t−1} + (1 − ρ)[(Δx_{t−1} + ε) · g_t²/(s_t + ε) − Δx_{t−1}]. As long as the gradient \
            is no larger than its own running root mean square (g² ≤ s + ε) the bracket is at most ε, so \
            Δx gains at most (1 − ρ)ε per step: it grows additively, not geometrically, and the step \
            sqrt(Δx + ε) grows at most like the square root of the number of steps. Only a gradient that \
            outgrows its running average can push the ratio g²/(s + ε) above 1; it is 1/(1 − ρ) = 10 at \
            the very first step, when s starts from zero, which gives a short initial boost. On the \
            quadratic below the step of x₁ is \(CFormat.format("%.4f", stepAt(1))) at step 1, \
            \(CFormat.format("%.4f", stepAt(10))) at step 10 and \(CFormat.format("%.4f", stepAt(100))) at \
            step 100.
            """)
        nb.paragraph("""
            On the airfoil data that is enough: its 300 updates of about 0.01 could move a weight by up to \
            3, and the trained weights are at most \(CFormat.format("%.2f", largestWeight)) in size. On the \
            quadratic 0.1x₁² + 2x₂² from (−5, −2), where the distances are larger, the slow start shows:
            """)
        nb.table(header: ["ε", "first step |Δx₁|", "x after 20 steps", "x after 200 steps",
                          "max |x₂|, steps 901–1000", "max |x₂|, steps \(longRun - 99)–\(longRun)"], rows: rows)
        let at20 = book.trace.points[20]
        let floor = curves.map { $0.min() ?? 0 }.max() ?? 0
        nb.paragraph("""
            With the book's ε the first step is \(CFormat.format("%.2f", stepAt(1))) and after 20 steps \
            the coordinates have moved by only \(CFormat.format("%.3f", at20.x + 5)) and \
            \(CFormat.format("%.3f", at20.y + 2)); a larger ε starts faster, as if it were a larger \
            learning rate. So far this is the expected answer. The last two columns are the surprise: the \
            steep coordinate x₂ never settles. Its distance from the optimum first collapses (to \
            \(CFormat.format("%.0e", floor)) or below), then jumps back to a visible size and from there \
            *grows* again, slowly, for every ε:
            """)
        let steps = (0...longRun).map(Double.init)
        nb.figure(BookFigures.plot(x: steps, curves, xLabel: "step", yLabel: "|x2|",
                                   legend: epsilons.map { "eps = " + CFormat.format("%g", $0) }, yScale: .log),
                  name: "adadelta-steep-coordinate",
                  caption: "Adadelta (ρ = 0.9) on 0.1x₁² + 2x₂²: distance of the steep coordinate x₂ from its optimum, log scale.")
        let checkpoints = stride(from: 1000, through: longRun, by: 1000).map { $0 }
        let deltas = checkpoints.map { book.steps[$0 - 1].state.meanSquareUpdate[1] }
        let growthPerStep = (deltas[deltas.count - 1] - deltas[1]) / Double(checkpoints[checkpoints.count - 1] - checkpoints[1])
        nb.paragraph("""
            The mechanism is a feedback loop between the two averages. Near the optimum of a steep \
            coordinate Adadelta behaves like gradient descent with the rate sqrt(Δx + ε)/sqrt(s + ε). \
            Once the gradients there become small, s decays and this rate climbs towards \
            sqrt(Δx/ε + 1) ≥ 1; for a curvature of 4, gradient descent is unstable above rate 0.5, so the \
            coordinate starts to overshoot and flip sign every step. In that regime |g| ≈ sqrt(s) and the \
            step length is about sqrt(Δx + ε). Nothing in the update ever pulls Δx back. For the book's ε, \
            Δx of x₂, the last step of x₂ and the largest |x₂| over the preceding 100 steps:
            """)
        nb.table(header: ["step", "Δx of x₂", "step length |Δx₂|", "max |x₂|", "(max |x₂|)²"],
                 rows: checkpoints.enumerated().map { k, step in
                     let swingHere = swing(book.trace.points, endingAt: step)
                     return ["\(step)", "\(deltas[k], format: "%.3e")",
                             "\(abs(book.steps[step - 1].update.y), format: "%.4f")",
                             "\(swingHere, format: "%.4f")", "\(swingHere * swingHere, format: "%.5f")"]
                 })
        nb.paragraph("""
            Δx rises by about the same amount every 1000 steps, \(CFormat.format("%.2f", growthPerStep / 1e-5))ε \
            per step between steps \(checkpoints[1]) and \(longRun): linear growth, so the swing itself grows \
            like the square root of the step count (its square, in the last column, also rises about \
            linearly). If |g| were exactly sqrt(s), the identity above would give (1 − ρ)ε = 0.1ε per step; \
            the measured gain is \(CFormat.format("%.1f", growthPerStep / (0.1 * 1e-5))) times that, because \
            the swing keeps widening, so g² runs slightly ahead of its lagging average s and the ratio \
            g²/(s + ε) stays a little above 1. The flat coordinate x₁ is unaffected (after \(longRun) steps it is \
            \(CFormat.format("%.1e", abs(book.trace.points[longRun].x))), the bottom of the double range), \
            because its gradients shrink monotonically and never trigger the loop. So yes, Adadelta can be \
            broken by a simple deterministic quadratic; with minibatch noise the gradients rarely vanish, \
            which hides the effect.
            """)
        let multipliers: [(String, (Int) -> Double)] = [
            ("1 (the book)", { _ in 1 }), ("0.5", { _ in 0.5 }), ("0.25", { _ in 0.25 }),
            ("(1 + t/100)^(−1/2)", { t in 1 / (1 + Double(t) / 100).squareRoot() }),
        ]
        nb.paragraph("""
            A multiplier η on the step (PyTorch's `lr`, our `learningRate`) breaks the loop only if it \
            keeps the rate below the stability limit. The rate near the optimum tends to \
            η · sqrt(Δx/ε + 1) ≥ η, and gradient descent on a curvature of 4 needs a rate below 0.5, so a \
            constant η must stay below 0.5 here; a decaying η eventually does. The largest |x₂| over the \
            last 100 of \(longRun) steps, book's ε:
            """)
        nb.table(header: ["multiplier η_t", "max |x₂|, steps \(longRun - 99)–\(longRun)"],
                 rows: multipliers.map { name, rate in
                     [NotebookText(name), "\(swing(scheduledRun(rate).points, endingAt: longRun), format: "%.2e")"]
                 })
        nb.paragraph("""
            At exactly η = 0.5 the rate settles on the stability limit itself: x₂ stops shrinking and \
            keeps flipping between two tiny values instead of drifting off. A learning rate is back, in \
            other words, and it has to respect the curvature like any other.
            """)
    }

    /// Adadelta with a step multiplier η_t that depends on the 1-based step t, run on the
    /// quadratic from (−5, −2) for `longRun` steps.
    static func scheduledRun(_ rate: (Int) -> Double) -> Trace2D {
        var optimizer = AdaDelta(rho: 0.9, epsilon: 1e-5)
        var state = optimizer.initialState(count: 2)
        var x = [-5.0, -2.0]
        var points = [Point2D(x[0], x[1])]
        for t in 1...longRun {
            let g = ellipse.gradient(Point2D(x[0], x[1]))
            optimizer.learningRate = rate(t)
            optimizer.update(&x, gradient: [g.x, g.y], state: &state)
            points.append(Point2D(x[0], x[1]))
        }
        return Trace2D(points: points)
    }

    /// Steps of the long run in the ε experiment.
    static let longRun = 5000

    /// Largest |x₂| among the 100 points ending at index `end`.
    static func swing(_ points: [Point2D], endingAt end: Int) -> Double {
        points[(end - 99)...end].map { abs($0.y) }.max() ?? 0
    }

    static func summary(_ nb: Notebook) {
        nb.heading("Summary")
        nb.paragraph("""
            - Adadelta has no explicit learning rate: the root of a leaky average of past squared \
            updates sets the step length, in the units of the parameters.
            - It keeps two leaky averages per parameter, of squared gradients and of squared updates.
            - The book's displayed update for Δx has a typo (x_t² for g′_t²); the code is right.
            - In practice ε acts as the initial learning rate, and the method is sensitive to it when \
            the distance to travel is large compared with sqrt(ε/(1 − ρ)).
            - The steps grow slowly: while gradients do not grow, Δx gains at most (1 − ρ)ε per step, so \
            the step length grows at most like √t. On a steep coordinate near its optimum that slow growth \
            never stops, and only a multiplier below the stability limit (or a decaying one) prevents it.
            """)
    }
}

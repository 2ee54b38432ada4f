import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation

/// 11.8 RMSProp: Adagrad with a leaky average of squared gradients. The weights figure,
/// the book's 2-D trace, the airfoil runs from scratch and by name, and the rotated problem.
enum RMSPropChapter: Chapter {
    static let target = "Ch11_8_RMSProp"
    static let title = "11.8 RMSProp"
    static let summary = "Adagrad with a leaky average, so the step size stops shrinking forever."
    static let keyFigure: String? = "rmsprop-2d.svg"
    static let keyFigureIsAnimated = true

    static let ellipse = Objective2D.ellipse(a: 0.1, b: 2)
    /// Exercise 2: 0.1 (x1 + x2)² + 2 (x1 − x2)², i.e. ½ xᵀ A x with A = [[4.2, −3.8], [−3.8, 4.2]].
    static let rotated = Objective2D.quadratic(a11: 4.2, a12: -3.8, a22: 4.2,
                                               name: "0.1 (x1 + x2)^2 + 2 (x1 - x2)^2")

    static func run(_ nb: Notebook, _ ctx: ChapterContext) throws {
        nb.paragraph("""
            Adagrad ties two different decisions together: how to scale each coordinate relative to \
            the others, and how fast the overall step size should shrink. Its accumulator \
            s_t = s_{t−1} + g_t² has no normalisation, so with minibatch gradients, whose noise keeps \
            them from vanishing, it grows roughly linearly for as long as training runs and the \
            rate decays like t^(−½) whether we want that or not (Section 11.7 plots it; without \
            noise the rate levels off instead). For convex problems this schedule is fine; for the \
            nonconvex objectives of deep learning it usually brakes too early. RMSProp (Tieleman and Hinton, 2012, proposed in a lecture rather than a \
            paper) keeps the per-coordinate scaling and drops the built-in schedule.
            """)
        algorithm(nb)
        trace(nb)
        let data = try airfoil(nb, ctx)
        rotation(nb)
        gammaOne(nb)
        try effectiveRate(nb, ctx)
        try extras(nb, ctx)
        closingSummary(nb)
        try exercises(nb, ctx, data: data)
    }

    // MARK: - 11.8.1

    static func algorithm(_ nb: Notebook) {
        nb.heading("11.8.1 The algorithm")
        nb.paragraph("""
            The obvious normalisation would be the running mean s_t / t. It converges for any sensible \
            gradient distribution, but it weighs the whole history equally, so it takes a very long time \
            to notice that the gradients have changed. A leaky average, exactly as momentum used for the \
            gradients themselves, forgets at a fixed rate instead. With a decay γ ∈ (0, 1) and the rest \
            of Adagrad unchanged:
            """)
        nb.formula(#"\begin{aligned}\mathbf{s}_t &\leftarrow \gamma\, \mathbf{s}_{t-1} + (1-\gamma)\, \mathbf{g}_t \odot \mathbf{g}_t\\ \mathbf{x}_t &\leftarrow \mathbf{x}_{t-1} - \frac{\eta\, \mathbf{g}_t}{\sqrt{\mathbf{s}_t + \epsilon}}\end{aligned}"#,
                   plain: "s_t ← γ s_{t−1} + (1 − γ) g_t²\nx_t ← x_{t−1} − η g_t / sqrt(s_t + ε)      (per coordinate)")
        nb.paragraph("""
            Now the learning rate η is a separate knob that a schedule can control, while s only \
            decides the relative scale of the coordinates. The constant ε (10⁻⁶ in the book, under the \
            root) guards against division by zero and against huge steps while s is tiny. Libraries \
            again differ in the details: PyTorch's `RMSprop` calls the decay `alpha` and defaults it to \
            0.99, with ε = 10⁻⁸ added after the square root and η = 0.01; optax's `rmsprop` uses decay 0.9 \
            and ε = 10⁻⁸ inside the root by default; Gluon, which the book calls, names the decay \
            `gamma1`. Our `RMSProp` type defaults to the book (γ = 0.9, ε = 10⁻⁶, `.insideRoot`) and takes \
            `epsilonPlacement: .outsideRoot` for the PyTorch form.
            """)
        nb.paragraph("Unrolling the recursion shows what s_t averages:")
        nb.formula(#"\mathbf{s}_t = (1-\gamma)\left(\mathbf{g}_t^2 + \gamma\, \mathbf{g}_{t-1}^2 + \gamma^2\, \mathbf{g}_{t-2}^2 + \cdots\right)"#,
                   plain: "s_t = (1 − γ) (g_t² + γ g_{t−1}² + γ² g_{t−2}² + …)")
        nb.paragraph("""
            Since 1 + γ + γ² + … = 1/(1 − γ), the weights (1 − γ)γ^τ of the past squared gradients add \
            up to one: s_t is a proper weighted mean, dominated by roughly the last 1/(1 − γ) steps \
            (10 for γ = 0.9, 20 for γ = 0.95): 1/(1 − γ) is the mean age τ + 1 of the weights. The \
            book calls γ⁻¹ the half-life of an observation, which is not right: a weight halves \
            after ln 2 / ln(1/γ) steps, \(CFormat.format("%.2f", halfLife(0.9))) for γ = 0.9 and \
            \(CFormat.format("%.2f", halfLife(0.95))) for γ = 0.95, while γ⁻¹ is \
            \(CFormat.format("%.2f", 1 / 0.9)) and \(CFormat.format("%.2f", 1 / 0.95)). The figure shows the \
            weight given to the gradient τ steps back for four values of γ.
            """)
        let gammas = [0.95, 0.9, 0.8, 0.7]
        let taus = (0..<40).map(Double.init)
        let weights = gammas.map { gamma in taus.map { (1 - gamma) * Foundation.pow(gamma, $0) } }
        nb.figure(BookFigures.plot(x: taus, weights, xLabel: "time", yLabel: "weight (1 − γ)γ^τ",
                                   legend: gammas.map { "gamma = " + CFormat.format("%.2f", $0) }),
                  name: "rmsprop-weights",
                  caption: "Weight (1 − γ)γ^τ of the squared gradient τ steps in the past, for γ = 0.95, 0.9, 0.8, 0.7.")
        nb.paragraph("""
            A smaller γ starts with a larger weight on the newest gradient and forgets faster; every \
            curve encloses the same total weight, 1.
            """)
    }

    // MARK: - 11.8.2 trace

    static func trace(_ nb: Notebook) {
        nb.heading("11.8.2 Implementation from scratch")
        nb.paragraph("""
            Back on f(x) = 0.1x₁² + 2x₂² from (−5, −2). With Adagrad and η = 0.4 the run stalled around \
            x₁ ≈ −2.4 because the steps kept shrinking. RMSProp with the same η and γ = 0.9 has no such \
            brake:
            """)
        nb.code(cell: "rmsprop-2d")
        // cell: rmsprop-2d
        let f = Objective2D.ellipse(a: 0.1, b: 2)          // 0.1 x1^2 + 2 x2^2
        let run = train2D(optimizer: RMSProp(learningRate: 0.4, gamma: 0.9), objective: f)   // 20 steps from (-5, -2)
        nb.output(NotebookText(run.summary))
        // end cell
        nb.figure(BookFigures.trace2D(ellipse, points: run.points), name: "rmsprop-2d",
                  caption: "RMSProp with η = 0.4, γ = 0.9 on 0.1x₁² + 2x₂².")
        nb.paragraph("""
            The first step is long, about η/sqrt(0.1) ≈ \(CFormat.format("%.2f", 0.4 / 0.1.squareRoot())) in \
            each coordinate, because s starts at zero and only 10% of the first squared gradient \
            enters it. From then on each coordinate moves \
            at a pace set by η rather than by its curvature: while a coordinate shrinks steadily, its \
            gradient is smaller than the ones s still remembers, g/sqrt(s) drops below one and the steps \
            taper off smoothly. The flat coordinate x₁ gets from −5 to \
            \(minus(CFormat.format("%.2f", run.final.x))) in 20 steps, where Adagrad with the same η reached only \
            \(minus(CFormat.format("%.2f", train2D(optimizer: AdaGrad(learningRate: 0.4), objective: ellipse).final.x))). \
            (Whether the run stays there is another matter; see the rotation experiment below.)
            """)
    }

    // MARK: - airfoil

    @discardableResult
    static func airfoil(_ nb: Notebook, _ ctx: ChapterContext) throws -> AirfoilData {
        nb.paragraph("""
            For the airfoil regression the state is again one number per parameter. The update inside \
            `RMSProp.update` is:
            """)
        nb.code(cell: "rmsprop-update")    // marked in Sources/OptimKit/Optimizers/RMSProp.swift
        nb.paragraph("""
            We train with η = 0.01 and γ = 0.9, so s averages over roughly the last ten minibatch \
            gradients; batches of 10, two epochs:
            """)
        nb.code(cell: "rmsprop-airfoil")
        // cell: rmsprop-airfoil
        let data = try AirfoilData.load()
        var rng = ctx.generator(stream: "airfoil-scratch")
        let scratch = trainLinearRegression(optimizer: RMSProp(learningRate: 0.01, gamma: 0.9), data: data,
                                            batchSize: 10, epochs: 2, generator: &rng)
        nb.output(scratch.summary)
        // end cell
        nb.heading("11.8.3 Concise implementation")
        nb.paragraph("""
            By name, with Gluon's key for the decay, `gamma1`. The parser builds the same `RMSProp` \
            value; the run differs only in its random stream.
            """)
        let concise = try conciseRun(nb, ctx)
        nb.figure(BookFigures.lossCurves([scratch, concise], labels: ["from scratch", "by name"]),
                  name: "airfoil-loss",
                  caption: "RMSProp (η = 0.01, γ = 0.9, batch 10) on the airfoil data.")
        return data
    }

    /// 11.8.3: the same training by name, in a cell of its own.
    static func conciseRun(_ nb: Notebook, _ ctx: ChapterContext) throws -> TrainingRun {
        nb.code(cell: "rmsprop-concise")
        // cell: rmsprop-concise
        let data = try AirfoilData.load()
        var rng = ctx.generator(stream: "airfoil-concise")
        let choice = try OptimizerChoice.named("rmsprop", ["learning_rate": 0.01, "gamma1": 0.9])
        let concise = trainLinearRegression(choice: choice, data: data, batchSize: 10, epochs: 2, generator: &rng)
        nb.output(concise.summary)
        // end cell
        return concise
    }

    // MARK: - Exercise 2

    static func rotation(_ nb: Notebook) {
        nb.heading(rotationHeading, level: 3)
        nb.paragraph("""
            As for Adagrad, we compare the axis-aligned valley with its rotation \
            0.1(x₁ + x₂)² + 2(x₁ − x₂)² (Hessian [[4.2, −3.8], [−3.8, 4.2]], eigenvalues 0.4 and 8 along \
            the diagonals), using the book's η = 0.4, γ = 0.9 and also a smaller η = 0.1, for 20 and 200 \
            steps from (−5, −2).
            """)
        var rows: [[NotebookText]] = []
        var panels: [(objective: Objective2D, traces: [(label: String, points: [Point2D])])] = []
        var longRuns: [Point2D] = [], shortFinals: [Point2D] = []
        for (label, f) in [("axis-aligned", ellipse), ("rotated", rotated)] {
            var traces: [(label: String, points: [Point2D])] = []
            for eta in [0.4, 0.1] {
                let opt = RMSProp(learningRate: eta, gamma: 0.9)
                let short = train2D(optimizer: opt, objective: f)
                let long = train2D(optimizer: opt, objective: f, steps: 200)
                longRuns.append(long.final)
                shortFinals.append(short.final)
                let p = short.final
                rows.append([NotebookText(label), "\(eta, format: "%g")",
                             "(\(p.x, format: "%f"), \(p.y, format: "%f"))",
                             "\(f.value(p), format: "%.2e")",
                             "\(norm(long.final), format: "%.2e")",
                             "\(f.value(long.final), format: "%.2e")"])
                traces.append((label: "η = \(CFormat.format("%g", eta))", points: short.points))
            }
            panels.append((objective: f, traces: traces))
        }
        nb.table(header: ["problem", "η", "x after 20 steps", "f after 20", "‖x‖ after 200", "f after 200"], rows: rows)
        nb.figure(BookFigures.tracePanels(panels, titles: ["0.1 x1² + 2 x2²", "0.1 (x1+x2)² + 2 (x1−x2)²"]),
                  name: "rmsprop-rotation",
                  caption: "RMSProp (γ = 0.9), 20 steps from (−5, −2), on the axis-aligned problem (left) and its rotation (right).")
        let a = longRuns
        nb.paragraph(rotationText(axis04: a[0], axis01: a[1], rotated04: a[2], rotated01: a[3],
                                  aligned20: shortFinals[0], rotated20: shortFinals[2]))
        // The η = 0.1 rotated run passes through a stretch where rounding errors grow: its
        // 200-step numbers move in the second or third digit under a change of one ulp in the
        // start (or another order of the same arithmetic), so the page says how far.
        let nudgedStart = Point2D((-5.0).nextUp, -2)
        let nudged = train2D(optimizer: RMSProp(learningRate: 0.1, gamma: 0.9), objective: rotated, steps: 200,
                             start: nudgedStart).final
        let e = { (v: Double) in minus(CFormat.format("%.2e", v)) }
        nb.paragraph("""
            The 200-step numbers of the last row are good to a few per cent only. That run passes \
            through a stretch where rounding errors grow from step to step, and the same run \
            started one double away, from x₁ = −5 + \(minus(CFormat.format("%.1e", nudgedStart.x + 5))), ends at \
            ‖x‖ = \(e(norm(nudged))) and f = \(e(rotated.value(nudged))) (the table: \(e(norm(a[3]))) and \
            \(e(rotated.value(a[3])))), as another order of the same arithmetic would. Both sit close \
            to the cycle's ‖x‖ = η/√2 = \(CFormat.format("%.4f", 0.1 / 2.0.squareRoot())) \
            and f = 2η² = \(CFormat.format("%g", 2 * 0.1 * 0.1)).
            """)
    }

    static let rotationHeading = "Beyond the book: the rotated problem (exercise 2)"
    static let gammaOneHeading = "Beyond the book: γ = 1 (exercise 1)"

    /// A printed number with the typographic minus sign of the prose.
    static func minus(_ text: String) -> String { text.replacingOccurrences(of: "-", with: "−") }

    /// ln 2 / ln(1/γ): the number of steps after which a weight γ^τ has halved.
    static func halfLife(_ gamma: Double) -> Double { log(2) / log(1 / gamma) }

    static func rotationText(axis04: Point2D, axis01: Point2D, rotated04: Point2D, rotated01: Point2D,
                             aligned20: Point2D, rotated20: Point2D) -> String {
        let fAxis = { (eta: Double) in (0.1 + 2) * (eta / 2) * (eta / 2) }      // f at ±(η/2, η/2) on 0.1x₁² + 2x₂²
        let fRot = { (eta: Double) in 2 * eta * eta }                          // f at ±(η/2, −η/2) on the rotation
        let g = { (v: Double, f: String) in minus(CFormat.format(f, v)) }
        return """
        Two things show up, and the first is not about rotation at all. The book's run on the \
        axis-aligned problem looks converged after 20 steps, but it is not: 200 steps later its loss \
        is \(g(ellipse.value(axis04), "%.3f")). With a constant η, RMSProp cannot settle. Near the optimum each coordinate's \
        gradient flips sign every step with a steady magnitude, so s converges to g², the ratio \
        g/sqrt(s) becomes ±1, and every step has length η per coordinate: the iterate ends up jumping \
        between the corners ±(η/2, η/2) of a small box around the minimum. On the axis-aligned problem \
        that box costs f = (0.1 + 2)(η/2)² = \(g(fAxis(0.4), "%.3f")) for η = 0.4 and \(g(fAxis(0.1), "%.5f")) \
        for η = 0.1; the table shows the first value (\(g(ellipse.value(axis04), "%.3g"))) and nearly the \
        second (\(g(ellipse.value(axis01), "%.3g")); the η = 0.1 runs are still closing in on their \
        cycle after 200 steps). This is the concrete reason why, unlike Adagrad, RMSProp needs a \
        learning-rate schedule.

        The rotation changes where that residual jumping happens. On the rotated valley the final \
        two-cycle is ±(η/2, −η/2), which points along the steep direction x₁ = −x₂ (curvature 8), and \
        costs 2η² = \(g(fRot(0.4), "%.2f")) and \(g(fRot(0.1), "%.3f")) for η = 0.4 and 0.1 (the table: \
        \(g(rotated.value(rotated04), "%.3g")) and \(g(rotated.value(rotated01), "%.3g"))), \
        \(g(fRot(0.4) / fAxis(0.4), "%.1f")) times the axis-aligned value. The path there is also slower: \
        for the first steps both coordinates see gradients dominated by the steep component, their \
        scales grow alike, and after the steep component is gone the run still has to travel along \
        the flat diagonal (after 20 steps with η = 0.4 it is at (\(g(rotated20.x, "%.2f")), \(g(rotated20.y, "%.2f"))), \
        against (\(g(aligned20.x, "%.2f")), \(g(aligned20.y, "%.2f"))) in the aligned case). As with Adagrad, the \
        per-coordinate scaling treats the axes, not the eigenvectors of the problem, and loses its \
        edge once the two differ.
        """
    }

    static func norm(_ p: Point2D) -> Double { (p.x * p.x + p.y * p.y).squareRoot() }

    // MARK: - Exercise 1

    static func gammaOne(_ nb: Notebook) {
        nb.heading(gammaOneHeading, level: 3)
        let rate = 0.4 / 1e-6.squareRoot()
        nb.paragraph("""
            With γ = 1 the new squared gradient gets weight 1 − γ = 0, so s stays at its initial zero \
            forever and the update degenerates to x ← x − (η/sqrt(ε)) g: plain gradient descent with \
            the enormous learning rate 0.4/sqrt(10⁻⁶) = \(CFormat.format("%g", rate)). On our quadratic, \
            x₂ is multiplied by 1 − \(CFormat.format("%g", rate)) · 4 = \(minus(CFormat.format("%g", 1 - rate * 4))) at \
            every step:
            """)
        let run = train2D(optimizer: RMSProp(learningRate: 0.4, gamma: 1), objective: ellipse, steps: 3)
        nb.output(NotebookText(run.points.map { "(\(CFormat.format("%.6g", $0.x)), \(CFormat.format("%.6g", $0.y)))" }
            .joined(separator: " → ")))
        nb.paragraph("""
            The ε that was meant as a safety margin becomes the whole denominator. (With ε placed \
            outside the root the factor would be η/ε, even worse.) γ must stay strictly below 1.
            """)
    }

    static func closingSummary(_ nb: Notebook) {
        nb.heading("Summary")
        nb.paragraph("""
            - RMSProp scales each coordinate by the root of a leaky average of its squared gradients, \
            as Adagrad does with the plain sum.
            - The leaky average borrows from momentum, but here it feeds the per-coordinate scale rather \
            than the direction.
            - With the built-in decay gone, the learning rate η has to be scheduled by the user.
            - γ sets the memory of the scale estimate, roughly 1/(1 − γ) steps; γ = 1 breaks the method.
            - With a constant η the effective rate η/√(s + ε) does not decay: it follows the recent \
            gradients, up and down, and near an optimum the iterate keeps jumping by about η.
            """)
    }
}
